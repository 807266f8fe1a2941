/** The alerts list table: one row per alert, each a link to its detail (`/alerts/:id`). */
import { Link } from 'react-router';
import { useNames } from '../api/use-names.js';
import { Badge } from '../ui/badges.js';
import { ago, when } from '../ui/format.js';
import { IdentityLink } from './id-link.js';
import { useRowClick } from './row-link.js';
import type { Alert } from './triage-types.js';

export const kindLabel = (kind: string) => kind.replace(/_/g, ' ');

export function AlertTable({
  items,
  selected,
  hrefFor,
}: {
  items: Alert[];
  selected: string | undefined;
  hrefFor: (id: string) => string;
}) {
  // One parallel round of name look-ups for the whole page, not one per row as rows render.
  useNames(items.map((a) => a.identityId));
  const rowClick = useRowClick();
  return (
    <div className="table-wrap">
      <table className="data triage-table">
        <thead>
          <tr>
            <th scope="col">Severity</th>
            <th scope="col">Kind</th>
            <th scope="col">Alert</th>
            <th scope="col">Identity</th>
            <th scope="col">Events</th>
            <th scope="col">First seen</th>
            <th scope="col">Last seen</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {items.map((a) => (
            <tr
              key={a.id}
              data-testid="alert-row"
              data-id={a.id}
              data-status={a.status}
              className={a.id === selected ? 'selected' : undefined}
              aria-current={a.id === selected ? 'true' : undefined}
              onClick={rowClick(hrefFor(a.id))}
            >
              <td>
                <Badge value={a.severity} />
              </td>
              <td>{kindLabel(a.kind)}</td>
              <td>
                <Link to={hrefFor(a.id)} className="triage-row-title">
                  {a.title}
                </Link>
              </td>
              <td>
                <IdentityLink id={a.identityId} />
              </td>
              <td>{a.eventCount}</td>
              <td title={when(a.firstSeenAt)}>{ago(a.firstSeenAt)}</td>
              <td title={when(a.lastSeenAt)}>{ago(a.lastSeenAt)}</td>
              <td>
                <Badge value={a.status} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
