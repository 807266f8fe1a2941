/**
 * Step-up approvals: the ApprovalGate the decision engine consults, and the human side — list,
 * show, approve, deny — plus expiry. An approver proves who they are the way a task sponsor does:
 * their own ID token from a trusted federation issuer, mapped to a human by the issuer's rules.
 * Only listed approvers may decide, never the requester; a decision is a conditional update, so an
 * approval is decided (or expires) exactly once. Every step is audited in the same transaction.
 *
 * An approved approval lifts the exact request it is bound to (principal, action, resource,
 * arguments hash) for `grantTtlSeconds` after the decision; a pending one expires unanswered after
 * `pendingTtlSeconds` (swept by the maintenance loop, and lazily when read or decided).
 */
import type { Page, PageRequest } from '@keyward/sdk';
import type { AuditRecorder } from '../audit/audit-recorder.js';
import { KeywardError, notFound, validationFailed } from '../errors.js';
import { newId } from '../ids.js';
import type { ApprovalFilter, Store, StoreTx } from '../storage/storage-types.js';
import type { WorkloadAuthService } from '../workload-auth/workload-auth-service.js';
import type { ApprovalBinding, ApprovalGate, ApprovalRecord, ApprovalRequestInfo } from './approval-types.js';

export interface ApprovalServiceDeps {
  store: Store;
  audit: AuditRecorder;
  now: () => Date;
  workloadAuth: Pick<WorkloadAuthService, 'authenticateFederatedToken'>;
  /** How long a pending approval waits for a decision; default 15 min. */
  pendingTtlSeconds?: number | undefined;
  /** How long an approval lifts its request after it is approved; default 10 min. */
  grantTtlSeconds?: number | undefined;
}

/** What proves the decider: their ID token from a trusted issuer. */
export interface ApproverProof {
  humanToken?: string | undefined;
}

export const HUMAN_TOKEN_HEADER = 'x-keyward-human-token';

const notPending = (a: ApprovalRecord): KeywardError =>
  new KeywardError('approval_not_pending', `approval ${a.id} is ${a.status}; it cannot be decided again`);

export function createApprovalService(deps: ApprovalServiceDeps) {
  const { store, audit, now } = deps;
  const pendingMs = (deps.pendingTtlSeconds ?? 900) * 1000;
  const grantMs = (deps.grantTtlSeconds ?? 600) * 1000;

  /** The audit event of one approval step, carrying the request's chain, task and policies. */
  function stepEvent(actor: string, type: string, a: ApprovalRecord, details: Record<string, unknown>) {
    return {
      ...audit.event(actor, type, a.id, { binding: a.binding, requester: a.requesterId, ...details }),
      delegationChain: a.delegationChain,
      taskId: a.taskId,
      policyIds: a.policyIds,
    };
  }

  const gate: ApprovalGate = {
    async findGranted(binding, at) {
      const [granted] = await store.approvals.findByBinding(binding, 'approved', at.toISOString());
      return granted;
    },
    async open(binding: ApprovalBinding, info: ApprovalRequestInfo) {
      const approverIds = [...new Set(info.approverIds)].filter((id) => id !== info.requesterId);
      const at = now();
      return store.transaction(async (tx) => {
        const [pending] = await tx.approvals.findByBinding(binding, 'pending', at.toISOString());
        if (pending) return pending;
        const approval: ApprovalRecord = {
          id: newId('approval'),
          status: 'pending',
          binding,
          requesterId: info.requesterId,
          taskId: info.taskId,
          approverIds,
          policyIds: info.policyIds,
          reason: info.reason,
          delegationChain: info.delegationChain,
          createdAt: at.toISOString(),
          expiresAt: new Date(at.getTime() + pendingMs).toISOString(),
          decidedBy: null,
          decidedAt: null,
          comment: null,
        };
        await tx.approvals.create(approval);
        await tx.audit.append(
          stepEvent(info.requesterId, 'approval.requested', approval, {
            approvers: approverIds,
            reason: info.reason,
            expiresAt: approval.expiresAt,
          }),
        );
        return approval;
      });
    },
  };

  /** Expires `a` if it is pending and due, audited; returns the stored record either way. */
  async function expireIfDue(tx: StoreTx, a: ApprovalRecord, at: string): Promise<ApprovalRecord> {
    if (a.status !== 'pending' || a.expiresAt > at) return a;
    if (await tx.approvals.expire(a.id, at)) {
      await tx.audit.append(stepEvent('system', 'approval.expired', a, { expiredAt: at }));
    }
    return (await tx.approvals.get(a.id)) ?? a;
  }

  async function get(id: string): Promise<ApprovalRecord> {
    const a = await store.approvals.get(id);
    if (!a) throw notFound('approval', id);
    const at = now().toISOString();
    if (a.status !== 'pending' || a.expiresAt > at) return a;
    return store.transaction(async (tx) => expireIfDue(tx, a, at));
  }

  const list = (filter: ApprovalFilter, page: PageRequest): Promise<Page<ApprovalRecord>> =>
    store.approvals.list(filter, page);

  /** The human proven by `proof`, who must be a listed approver and not the requester. */
  async function approverOf(a: ApprovalRecord, proof: ApproverProof): Promise<string> {
    if (!proof.humanToken) {
      throw new KeywardError(
        'unauthenticated',
        'send your ID token from a trusted issuer in X-Keyward-Human-Token',
      );
    }
    const principal = await deps.workloadAuth.authenticateFederatedToken(proof.humanToken);
    if (principal.kind !== 'human')
      throw new KeywardError('forbidden', 'the token does not identify a human');
    const human = principal.human.id;
    if (human === a.requesterId)
      throw new KeywardError('forbidden', 'the requester cannot decide its own request');
    if (!a.approverIds.includes(human))
      throw new KeywardError('forbidden', `${human} is not an approver of ${a.id}`);
    return human;
  }

  async function decide(
    id: string,
    status: 'approved' | 'denied',
    proof: ApproverProof,
    comment: string | undefined,
  ): Promise<ApprovalRecord> {
    if (comment !== undefined && (comment.length < 1 || comment.length > 1000)) {
      throw validationFailed('comment must be 1-1000 characters', [
        { path: '/comment', message: '1-1000 characters' },
      ]);
    }
    const current = await get(id);
    const human = await approverOf(current, proof);
    if (current.status !== 'pending') throw notPending(current);
    const at = now();
    const decision = {
      status,
      decidedBy: human,
      decidedAt: at.toISOString(),
      comment: comment ?? null,
      expiresAt: status === 'approved' ? new Date(at.getTime() + grantMs).toISOString() : current.expiresAt,
    };
    const decided = await store.transaction(async (tx) => {
      if (!(await tx.approvals.decide(id, decision))) return undefined;
      const stored = { ...current, ...decision };
      await tx.audit.append(
        stepEvent(human, `approval.${status}`, stored, {
          comment: decision.comment,
          until: decision.expiresAt,
        }),
      );
      return stored;
    });
    if (!decided) throw notPending(await get(id));
    return decided;
  }

  /** Expires pending approvals past their time (the maintenance loop calls this). */
  async function expireDue(): Promise<number> {
    const at = now().toISOString();
    let n = 0;
    for (const a of await store.approvals.listExpired(at, 100)) {
      const after = await store.transaction((tx) => expireIfDue(tx, a, at));
      if (after.status === 'expired') n++;
    }
    return n;
  }

  return {
    ...gate,
    get,
    list,
    approve: (id: string, proof: ApproverProof, comment?: string) => decide(id, 'approved', proof, comment),
    deny: (id: string, proof: ApproverProof, comment?: string) => decide(id, 'denied', proof, comment),
    expireDue,
  };
}

export type ApprovalService = ReturnType<typeof createApprovalService>;
