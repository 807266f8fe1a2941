/**
 * One approval in full (`/approvals/:id`): the exact request it is bound to, why approval was needed
 * (reason, policies), the task's intent, the delegation chain, time left (ticking), the decision if
 * made, and Approve / Deny. Polls so a decision made elsewhere, or expiry, shows at once.
 */
import type { Approval, Task } from '@keyward/sdk';
import { Link, useLocation } from 'react-router';
import { useResource } from '../api/use-resource.js';
import { Badge } from '../ui/badges.js';
import { when } from '../ui/format.js';
import { Loaded } from '../ui/states.js';
import { parseEntity } from './binding-format.js';
import { DecisionActions } from './decision-actions.js';
import { chainOf, DelegationChain } from './delegation-chain.js';
import { EntityLink } from './entity-name.js';
import { TaskFacts } from './task-facts.js';
import { since, timeLeft } from './use-now.js';

export function ApprovalDetail({ id, now, onDecided }: { id: string; now: number; onDecided: () => void }) {
  const approval = useResource<Approval>(`/v1/approvals/${encodeURIComponent(id)}`, { refreshMs: 2000 });
  const { search } = useLocation();
  return (
    <section
      className="panel approval-detail"
      aria-label="Approval"
      data-testid="approval-detail"
      data-status={approval.data?.status}
    >
      <Link to={`/approvals${search}`} className="small">
        ← Back to the queue
      </Link>
      {approval.data && approval.error ? (
        <p className="state-error small" role="alert">
          Could not refresh: {approval.error.detail} ({approval.error.code}); showing the last answer.
        </p>
      ) : null}
      {/* A failed refresh keeps the last answer; only a first load that fails shows the error box. */}
      <Loaded resource={approval.data ? { ...approval, error: undefined } : approval} what="Loading approval">
        {(a) => (
          <Body
            a={a}
            now={now}
            onDecided={() => {
              approval.reload();
              onDecided();
            }}
          />
        )}
      </Loaded>
    </section>
  );
}

function Body({ a, now, onDecided }: { a: Approval; now: number; onDecided: () => void }) {
  const task = useResource<Task>(a.taskId ? `/v1/tasks/${a.taskId}` : null);
  const left = timeLeft(a.expiresAt, now);
  const principal = parseEntity(a.binding.principal);
  return (
    <>
      <h2 className="detail-title">
        <span className="mono">{parseEntity(a.binding.action).id}</span>{' '}
        <span className="mono">{parseEntity(a.binding.resource).id}</span> <Badge value={a.status} />
      </h2>
      {a.status === 'pending' ? (
        <p className={left.over ? 'time-left over' : 'time-left'} data-testid="time-left" aria-live="off">
          {left.text} <span className="muted small">(expires {when(a.expiresAt)} UTC)</span>
        </p>
      ) : (
        <p className="decision" data-testid="decision">
          {a.status === 'expired' ? (
            <>Expired unanswered {since(a.decidedAt ?? a.expiresAt, now)}.</>
          ) : (
            <>
              {a.status === 'approved' ? 'Approved' : 'Denied'} by{' '}
              {a.decidedBy ? <EntityLink id={a.decidedBy} /> : '—'} {since(a.decidedAt, now)}
              {a.comment ? <>: “{a.comment}”</> : '.'}
              {a.status === 'approved' ? (
                <span className="muted small">
                  {' '}
                  The grant {left.over ? 'ended' : 'lasts'} until {when(a.expiresAt)} UTC.
                </span>
              ) : null}
            </>
          )}
        </p>
      )}
      <DecisionActions approval={a} now={now} onDecided={onDecided} />
      <h3>The exact request</h3>
      <dl className="facts" data-testid="approval-binding">
        <dt>Principal</dt>
        <dd>
          {principal.id.startsWith('nhi_') || principal.id.startsWith('hum_') ? (
            <EntityLink id={principal.id} showDetail />
          ) : null}{' '}
          <code className="small">{a.binding.principal}</code>
        </dd>
        <dt>Action</dt>
        <dd>
          <code>{a.binding.action}</code>
        </dd>
        <dt>Resource</dt>
        <dd>
          <code>{a.binding.resource}</code>
        </dd>
        <dt>Arguments hash</dt>
        <dd>
          {a.binding.argumentsHash ? (
            <code
              className="hash"
              title="SHA-256 of the canonical JSON arguments; an approval lifts only this exact call"
            >
              {a.binding.argumentsHash}
            </code>
          ) : (
            <span className="muted">no arguments</span>
          )}
        </dd>
        <dt>Asked</dt>
        <dd>
          {when(a.createdAt)} UTC <span className="muted">({since(a.createdAt, now)})</span>
        </dd>
      </dl>
      <h3>Why it needs approval</h3>
      <dl className="facts">
        <dt>Reason</dt>
        <dd>{a.reason || <span className="muted">none given</span>}</dd>
        <dt>Policies</dt>
        <dd>
          {a.policyIds.length ? (
            <ul className="chip-list" data-testid="approval-policies">
              {a.policyIds.map((p) => (
                <li key={p} className="mono">
                  {p}
                </li>
              ))}
            </ul>
          ) : (
            <span className="muted">none recorded</span>
          )}
        </dd>
        <dt>Approvers</dt>
        <dd>
          <ul className="chip-list">
            {a.approverIds.map((h) => (
              <li key={h}>
                <EntityLink id={h} />
              </li>
            ))}
          </ul>
        </dd>
      </dl>
      <h3>On whose behalf</h3>
      <DelegationChain
        ids={chainOf(a.delegationChain, a.requesterId, task.data?.sponsorId)}
        sponsorId={task.data?.sponsorId}
        requesterId={a.requesterId}
      />
      <h3>The task</h3>
      {a.taskId ? (
        <Loaded resource={task} what="Loading task">
          {(t) => <TaskFacts task={t} />}
        </Loaded>
      ) : (
        <p className="muted">Not part of a task.</p>
      )}
    </>
  );
}
