/** The findings list table: one row per finding, each a link to its detail (`/findings/:id`). */
import { Link } from 'react-router';
import { useNames } from '../api/use-names.js';
import { Badge } from '../ui/badges.js';
import { ago, when } from '../ui/format.js';
import { IdentityLink } from './id-link.js';
import { nhiName } from './nhi-codes.js';
import { useRowClick } from './row-link.js';
import type { Finding } from './triage-types.js';

export function FindingTable({
  items,
  selected,
  hrefFor,
}: {
  items: Finding[];
  selected: string | undefined;
  hrefFor: (id: string) => string;
}) {
  // One parallel round of name look-ups for the whole page, not one per row as rows render.
  useNames(items.map((f) => f.identityId));
  const rowClick = useRowClick();
  return (
    <div className="table-wrap">
      <table className="data triage-table">
        <thead>
          <tr>
            <th scope="col">Severity</th>
            <th scope="col">Code</th>
            <th scope="col">Finding</th>
            <th scope="col">Identity</th>
            <th scope="col">First seen</th>
            <th scope="col">Last seen</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {items.map((f) => (
            <tr
              key={f.id}
              data-testid="finding-row"
              data-id={f.id}
              data-status={f.status}
              className={f.id === selected ? 'selected' : undefined}
              aria-current={f.id === selected ? 'true' : undefined}
              onClick={rowClick(hrefFor(f.id))}
            >
              <td>
                <Badge value={f.severity} />
              </td>
              <td>
                <abbr title={nhiName(f.code)}>{f.code}</abbr>
              </td>
              <td>
                <Link to={hrefFor(f.id)} className="triage-row-title">
                  {f.title}
                </Link>
                <div className="muted small">{f.rule}</div>
              </td>
              <td>
                <IdentityLink id={f.identityId} />
              </td>
              <td title={when(f.firstSeenAt)}>{ago(f.firstSeenAt)}</td>
              <td title={when(f.lastSeenAt)}>{ago(f.lastSeenAt)}</td>
              <td>
                <Badge value={f.status} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
