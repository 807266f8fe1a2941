/**
 * The approvals queue: status tabs (in `?status=`, pending by default), then one row per approval,
 * newest first. Rows carry `data-testid="approval-row"`, `data-id` and `data-status` for tests; a row
 * opens `/approvals/<id>` (anywhere on it, so it holds no other links) keeping the query, so the
 * selection is a shareable URL too.
 */
import type { Approval, ApprovalStatus } from '@keyward/sdk';
import { Link, useLocation, useNavigate } from 'react-router';
import { Badge } from '../ui/badges.js';
import { Empty } from '../ui/states.js';
import { parseEntity } from './binding-format.js';
import { EntityLink } from './entity-name.js';
import { since, timeLeft } from './use-now.js';

export const STATUSES: ApprovalStatus[] = ['pending', 'approved', 'denied', 'expired'];

export function StatusTabs({ status, onChange }: { status: ApprovalStatus; onChange: (s: string) => void }) {
  return (
    <fieldset className="tabs status-filter" aria-label="Approval status">
      {STATUSES.map((s) => (
        <button
          key={s}
          type="button"
          aria-pressed={s === status}
          className={s === status ? 'active' : undefined}
          onClick={() => onChange(s === 'pending' ? '' : s)}
        >
          {s}
        </button>
      ))}
    </fieldset>
  );
}

/** Newest first (ids sort by creation; createdAt breaks no ties the ids would not). */
export const newestFirst = (items: Approval[]): Approval[] =>
  [...items].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));

export function ApprovalQueue({
  items,
  selectedId,
  status,
  now,
  compact = false,
}: {
  items: Approval[];
  selectedId: string | undefined;
  status: ApprovalStatus;
  now: number;
  /** Beside an open detail: two columns (request, status), the rest folded under the request. */
  compact?: boolean;
}) {
  const { search } = useLocation();
  const navigate = useNavigate();
  if (items.length === 0) {
    return (
      <Empty>
        {status === 'pending'
          ? 'Nothing waiting for a decision. New requests appear here as agents ask.'
          : `No ${status} approvals.`}
      </Empty>
    );
  }
  return (
    <div className="table-wrap">
      <table className="data approval-queue">
        <thead>
          {compact ? (
            <tr>
              <th scope="col">Request</th>
              <th scope="col">Status</th>
            </tr>
          ) : (
            <tr>
              <th scope="col">Request</th>
              <th scope="col">Requester</th>
              <th scope="col">Asked</th>
              <th scope="col">{status === 'pending' ? 'Expires' : 'Decided'}</th>
              <th scope="col">Status</th>
            </tr>
          )}
        </thead>
        <tbody>
          {items.map((a) => {
            return (
              <tr
                key={a.id}
                data-testid="approval-row"
                data-id={a.id}
                data-status={a.status}
                className={a.id === selectedId ? 'selected' : undefined}
                // The whole row opens the detail for the mouse; the link in it does for the keyboard.
                onClick={(e) => {
                  if ((e.target as HTMLElement).closest('a, button')) return;
                  navigate(`/approvals/${a.id}${search}`);
                }}
              >
                <td>
                  <Link
                    to={`/approvals/${a.id}${search}`}
                    aria-current={a.id === selectedId ? 'true' : undefined}
                  >
                    <span className="mono">{parseEntity(a.binding.action).id}</span>{' '}
                    <strong className="mono">{parseEntity(a.binding.resource).id}</strong>
                  </Link>
                  <div className="muted small queue-reason">{a.reason}</div>
                  {compact ? (
                    <div className="small">
                      by <EntityLink id={a.requesterId} plain />{' '}
                      <span className="muted" title={a.createdAt}>
                        · asked {since(a.createdAt, now)}
                      </span>
                    </div>
                  ) : null}
                </td>
                {compact ? null : (
                  <>
                    <td>
                      <EntityLink id={a.requesterId} plain />
                    </td>
                    <td title={a.createdAt}>{since(a.createdAt, now)}</td>
                  </>
                )}
                {compact ? null : <When a={a} now={now} />}
                <td>
                  <Badge value={a.status} />
                  {compact ? (
                    <div className="small">
                      <When a={a} now={now} bare />
                    </div>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Pending: time left (red once over); decided: how long ago. */
function When({ a, now, bare = false }: { a: Approval; now: number; bare?: boolean }) {
  const left = timeLeft(a.expiresAt, now);
  const text = a.status === 'pending' ? left.text : since(a.decidedAt ?? a.expiresAt, now);
  const over = a.status === 'pending' && left.over;
  if (bare) return <span className={over ? 'over' : 'muted'}>{text}</span>;
  return <td className={over ? 'over' : undefined}>{text}</td>;
}
