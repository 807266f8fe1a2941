/**
 * Inventory: every identity, filtered, searched and paged on the server (cursor pages of 50), so
 * it stays quick on 100,000 identities. Filters live in the URL; rows open the identity page.
 */
import type { FindingCounts, Identity, Page } from '@keyward/sdk';
import { IDENTITY_KINDS, IDENTITY_STATUSES } from '@keyward/sdk/types';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { withQuery } from '../api/api-client.js';
import { useNames } from '../api/use-names.js';
import { useResource } from '../api/use-resource.js';
import { Badge } from '../ui/badges.js';
import { age, ago } from '../ui/format.js';
import { PageHeader } from '../ui/layout.js';
import { Pager, useFilter, usePager } from '../ui/pager.js';
import { Empty, ErrorBox, Loading } from '../ui/states.js';

const ENVIRONMENTS = ['prod', 'staging', 'dev', 'test'];

function SearchBox({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  // Search after a pause in typing, not on every key.
  useEffect(() => {
    if (text === value) return;
    const t = setTimeout(() => onChange(text.trim()), 300);
    return () => clearTimeout(t);
  }, [text, value, onChange]);
  return (
    <label className="field">
      Search
      <input
        type="search"
        name="q"
        placeholder="name, purpose, external id… ( / )"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') onChange(text.trim());
        }}
      />
    </label>
  );
}

function Select({
  label,
  name,
  value,
  options,
  onChange,
}: {
  label: string;
  name: string;
  value: string;
  options: readonly string[];
  onChange: (v: string) => void;
}) {
  return (
    <label className="field">
      {label}
      <select name={name} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">any</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
}

export function InventoryPage() {
  const [q, setQ] = useFilter('q');
  const [kind, setKind] = useFilter('kind');
  const [environment, setEnvironment] = useFilter('environment');
  const [status, setStatus] = useFilter('status');
  const [ownerId, setOwnerId] = useFilter('ownerId');
  const pager = usePager();
  const list = useResource<Page<Identity>>(
    withQuery('/v1/identities', { q, kind, environment, status, ownerId, cursor: pager.cursor, limit: 50 }),
  );
  const items = list.data?.items ?? [];
  const counts = useResource<FindingCounts>(
    items.length ? withQuery('/v1/findings/counts', { identityIds: items.map((i) => i.id).join(',') }) : null,
  );
  const name = useNames(items.map((i) => i.ownerId));
  const filtered = Boolean(q || kind || environment || status || ownerId);
  return (
    <>
      <PageHeader title="Inventory" />
      <div className="filters">
        <SearchBox value={q} onChange={setQ} />
        <Select label="Kind" name="kind" value={kind} options={IDENTITY_KINDS} onChange={setKind} />
        <Select
          label="Environment"
          name="environment"
          value={environment}
          options={ENVIRONMENTS}
          onChange={setEnvironment}
        />
        <Select
          label="Status"
          name="status"
          value={status}
          options={IDENTITY_STATUSES}
          onChange={setStatus}
        />
        {ownerId ? (
          <button type="button" className="btn btn-small" onClick={() => setOwnerId('')}>
            Owner: {name(ownerId)} ✕
          </button>
        ) : null}
      </div>
      {list.error ? <ErrorBox error={list.error} onRetry={list.reload} /> : null}
      {!list.data && list.loading ? <Loading what="Loading identities" /> : null}
      {list.data && items.length === 0 ? (
        <Empty>{filtered ? 'No identity matches these filters.' : 'No identities yet.'}</Empty>
      ) : null}
      {items.length > 0 ? (
        <div className="table-wrap">
          <table className="data" data-testid="inventory-table" aria-busy={list.loading}>
            <thead>
              <tr>
                <th>Name</th>
                <th>Kind</th>
                <th>Owner</th>
                <th>Env</th>
                <th>Status</th>
                <th>Age</th>
                <th>Last use</th>
                <th>Open findings</th>
              </tr>
            </thead>
            <tbody>
              {items.map((i) => {
                const c = counts.data?.counts[i.id];
                return (
                  <tr key={i.id} data-testid="identity-row" data-id={i.id}>
                    <td>
                      <Link to={`/identities/${i.id}`}>{i.name}</Link>
                      {i.purpose ? <div className="muted small">{i.purpose}</div> : null}
                    </td>
                    <td>{i.kind}</td>
                    <td>
                      {i.ownerId ? (
                        <button type="button" className="linkish" onClick={() => setOwnerId(i.ownerId ?? '')}>
                          {name(i.ownerId)}
                        </button>
                      ) : (
                        <Badge value="no owner" />
                      )}
                    </td>
                    <td>{i.environment}</td>
                    <td>
                      <Badge value={i.status} />
                    </td>
                    <td title={i.createdAt}>{age(i.createdAt)}</td>
                    <td title={i.credential.lastUsedAt ?? i.lastSeen ?? ''}>
                      {ago(i.credential.lastUsedAt ?? i.lastSeen)}
                    </td>
                    <td>
                      {c === undefined ? (
                        <span className="muted">…</span>
                      ) : c.open === 0 ? (
                        <span className="muted">0</span>
                      ) : (
                        <Link to={withQuery('/findings', { identity: i.id })}>
                          {c.open} <Badge value={c.worst} />
                        </Link>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      {list.data ? <Pager nextCursor={list.data.nextCursor} pager={pager} count={items.length} /> : null}
    </>
  );
}
