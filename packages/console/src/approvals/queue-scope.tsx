/**
 * Whose approvals the queue shows, kept in `?approver=`: empty means the signed-in approver's (or
 * everyone's when nobody is signed in), `all` means everyone's, a `hum_` id means that human's. A
 * human search picks one, so the queue can be browsed without an approver token.
 */
import type { Human, Page } from '@keyward/sdk';
import { useState } from 'react';
import { withQuery } from '../api/api-client.js';
import { useResource } from '../api/use-resource.js';
import { useFilter } from '../ui/pager.js';
import { useApprover } from './approver-store.js';

export interface QueueScope {
  /** The approver to filter by; undefined = everyone. */
  approverId: string | undefined;
  param: string;
  setParam: (v: string) => void;
}

export function useQueueScope(): QueueScope {
  const approver = useApprover();
  const [param, setParam] = useFilter('approver');
  const approverId = param === 'all' ? undefined : param || approver?.humanId;
  return { approverId, param, setParam };
}

export function QueueScopePicker({ scope }: { scope: QueueScope }) {
  const approver = useApprover();
  const [q, setQ] = useState('');
  const picked = useResource<Human>(
    scope.approverId ? `/v1/humans/${encodeURIComponent(scope.approverId)}` : null,
  );
  const matches = useResource<Page<Human>>(
    q.trim().length >= 2 ? withQuery('/v1/humans', { q: q.trim(), limit: 8 }) : null,
  );
  const mine = approver && scope.approverId === approver.humanId;
  return (
    <div className="queue-scope">
      <span>
        Showing{' '}
        {scope.approverId ? (
          <strong data-testid="queue-approver">
            {mine ? 'your' : `${picked.data?.name ?? scope.approverId}'s`} approvals
          </strong>
        ) : (
          <strong data-testid="queue-approver">everyone's approvals</strong>
        )}
      </span>
      {approver && !mine ? (
        <button type="button" className="btn btn-small" onClick={() => scope.setParam('')}>
          Show mine
        </button>
      ) : null}
      {scope.approverId ? (
        <button type="button" className="btn btn-small" onClick={() => scope.setParam('all')}>
          Show everyone's
        </button>
      ) : null}
      <div className="queue-scope-search">
        <label className="field">
          Browse as approver
          <input
            type="search"
            name="approverSearch"
            placeholder="name or email"
            value={q}
            onChange={(e) => setQ(e.target.value)}
          />
        </label>
        {q.trim().length >= 2 && matches.data ? (
          <ul className="human-matches" aria-label="Matching humans">
            {matches.data.items.length === 0 ? <li className="muted">No match.</li> : null}
            {matches.data.items.map((h) => (
              <li key={h.id}>
                <button
                  type="button"
                  className="btn btn-small"
                  onClick={() => {
                    scope.setParam(h.id);
                    setQ('');
                  }}
                >
                  {h.name} <span className="muted">{h.email}</span>
                </button>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    </div>
  );
}
