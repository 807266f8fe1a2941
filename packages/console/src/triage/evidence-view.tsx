/**
 * Renders a finding's evidence or an alert's baseline/observed JSON readably: objects as key/value
 * lists, lists of records (e.g. leak locations) as a small table, ids as links, dates as dates.
 * Unknown shapes still show (rules add evidence fields over time); nothing is dropped.
 */
import { ago, when } from '../ui/format.js';
import { IdLink, LinkedText } from './id-link.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const WHOLE_ID = /^(?:nhi|alr|fnd|apr)_[0-9a-zA-Z]{8,}$/;

type Plain = Record<string, unknown>;
const isBlank = (v: unknown) => v === null || v === undefined || v === '';
const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `locationCount` → `location count`, `awsAccessKeyId` → `aws access key id`. */
export function humanKey(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase();
}

function Scalar({ value }: { value: unknown }) {
  if (isBlank(value)) return <span className="muted">—</span>;
  if (typeof value === 'boolean') return <>{value ? 'yes' : 'no'}</>;
  if (typeof value === 'number') return <>{value.toLocaleString()}</>;
  const text = String(value);
  if (WHOLE_ID.test(text)) return <IdLink id={text} />;
  if (ISO_DATE.test(text) && !Number.isNaN(Date.parse(text)))
    return <time dateTime={text} title={text}>{`${when(text)} (${ago(text)})`}</time>;
  return <LinkedText text={text} />;
}

function RecordTable({ rows }: { rows: Plain[] }) {
  // Columns empty in every row (e.g. commit and author of a working-tree leak) are named once below
  // the table instead of taking width in a narrow panel.
  const all = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const keys = all.filter((k) => rows.some((r) => !isBlank(r[k])));
  const blank = all.filter((k) => !keys.includes(k));
  return (
    <div className="table-wrap triage-evidence-table">
      <table className="data">
        <thead>
          <tr>
            {keys.map((k) => (
              <th key={k} scope="col">
                {humanKey(k)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: evidence rows have no id and never reorder
            <tr key={i}>
              {keys.map((k) => (
                <td key={k}>
                  <Value value={r[k]} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {blank.length ? (
        <p className="muted small triage-blank">No {blank.map(humanKey).join(', ')} recorded.</p>
      ) : null}
    </div>
  );
}

function Value({ value }: { value: unknown }) {
  if (Array.isArray(value)) {
    if (value.length === 0) return <span className="muted">none</span>;
    if (value.every(isPlain)) return <RecordTable rows={value} />;
    return (
      <ul className="triage-list">
        {value.map((v, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: evidence values have no id and never reorder
          <li key={i}>
            <Value value={v} />
          </li>
        ))}
      </ul>
    );
  }
  if (isPlain(value)) return <EvidenceView data={value} />;
  return <Scalar value={value} />;
}

export function EvidenceView({ data, empty = 'No evidence recorded.' }: { data: Plain; empty?: string }) {
  const entries = Object.entries(data);
  if (entries.length === 0) return <p className="muted">{empty}</p>;
  return (
    <dl className="facts triage-evidence">
      {entries.map(([k, v]) => (
        <div key={k} className="triage-fact">
          <dt>{humanKey(k)}</dt>
          <dd>
            <Value value={v} />
          </dd>
        </div>
      ))}
    </dl>
  );
}
