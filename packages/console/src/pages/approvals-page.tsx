/**
 * Approvals: the step-up queue a human decides. Who decides is the approver's own ID token (the
 * "Approver sign-in" panel); the queue (their pending approvals by default, newest first, refreshed
 * every 2 s) and `/approvals/:id` (the request in full, with Approve / Deny) only read with the
 * console's API token. Status, whose queue, page and selection all live in the URL.
 */
import type { Approval, ApprovalStatus, Page } from '@keyward/sdk';
import { useParams } from 'react-router';
import { withQuery } from '../api/api-client.js';
import { useResource } from '../api/use-resource.js';
import { ApprovalDetail } from '../approvals/approval-detail.js';
import { ApprovalQueue, newestFirst, STATUSES, StatusTabs } from '../approvals/approval-queue.js';
import { ApproverPanel } from '../approvals/approver-panel.js';
import { QueueScopePicker, useQueueScope } from '../approvals/queue-scope.js';
import { useNow } from '../approvals/use-now.js';
import { PageHeader } from '../ui/layout.js';
import { Pager, useFilter, usePager } from '../ui/pager.js';
import { Loaded } from '../ui/states.js';
import '../approvals/approvals.css';

const PAGE_SIZE = 200;

export function ApprovalsPage() {
  const { id } = useParams();
  const [statusParam, setStatus] = useFilter('status');
  const status: ApprovalStatus = STATUSES.includes(statusParam as ApprovalStatus)
    ? (statusParam as ApprovalStatus)
    : 'pending';
  const scope = useQueueScope();
  const pager = usePager();
  const now = useNow();
  const list = useResource<Page<Approval>>(
    withQuery('/v1/approvals', {
      status,
      approver: scope.approverId,
      cursor: pager.cursor,
      limit: PAGE_SIZE,
    }),
    { refreshMs: 2000 },
  );
  const count = list.data ? `${list.data.items.length}${list.data.nextCursor ? '+' : ''} ${status}` : status;
  return (
    <div className="approvals-page">
      <PageHeader title={`Approvals · ${count}`}>
        <span className="muted small" title="The queue refreshes every 2 seconds">
          <span className={list.error ? 'live-dot' : 'live-dot live'} aria-hidden="true" />
          {list.error ? 'not updating' : 'live'}
        </span>
      </PageHeader>
      <ApproverPanel />
      <div className={id ? 'approvals-layout with-detail' : 'approvals-layout'}>
        <section className="panel approvals-queue-panel" aria-label="Approval queue">
          <QueueScopePicker scope={scope} />
          <StatusTabs status={status} onChange={setStatus} />
          {list.data && list.error ? (
            // A failed refresh keeps the last answer on screen rather than blanking the queue.
            <p className="state-error small" role="alert">
              Could not refresh: {list.error.detail} ({list.error.code}); showing the last answer.
            </p>
          ) : null}
          <Loaded resource={list.data ? { ...list, error: undefined } : list} what="Loading approvals">
            {(page) => (
              <>
                <ApprovalQueue
                  items={newestFirst(page.items)}
                  selectedId={id}
                  status={status}
                  now={now}
                  compact={Boolean(id)}
                />
                {page.nextCursor || pager.prev ? (
                  <Pager nextCursor={page.nextCursor} pager={pager} count={page.items.length} />
                ) : null}
              </>
            )}
          </Loaded>
        </section>
        {id ? <ApprovalDetail key={id} id={id} now={now} onDecided={list.reload} /> : null}
      </div>
    </div>
  );
}
