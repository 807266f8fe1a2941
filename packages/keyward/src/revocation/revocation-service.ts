/**
 * Revocation, at every grain: one token (jti), one task (and, transitively, its child tasks), an
 * identity (every task it runs as agent) or a sponsor (every task they sponsor). Each revocation
 * commits, in one transaction, the state change, its audit events and its signed Security Event
 * Tokens (revocation_events, the feed's source). After commit, and outside any transaction, the
 * brokered credentials of ended tasks are revoked (network work) and the feed is poked.
 */
import type { AuditRecorder } from '../audit/audit-recorder.js';
import type { CredentialBroker } from '../brokers/credential-broker.js';
import { KeywardError, notFound } from '../errors.js';
import { newId } from '../ids.js';
import type { BlockHook } from '../inventory/block-hook.js';
import type {
  IssuedToken,
  RevocationKind,
  Store,
  StoreTx,
  TaskFilter,
  TaskStatus,
} from '../storage/storage-types.js';
import { revocationSetClaims } from './security-event-token.js';

export interface RevocationServiceDeps {
  store: Store;
  audit: AuditRecorder;
  now: () => Date;
  issuer: () => string;
  signSecurityEvent: (claims: Record<string, unknown>) => string;
  broker: Pick<CredentialBroker, 'revokeByOwner'>;
  /** Pokes the feed after a commit so local subscribers hear at once. */
  poke: () => Promise<void>;
  onError: (err: unknown, context: string) => void;
}

export type EndStatus = Exclude<TaskStatus, 'active'>;

export function createRevocationService(deps: RevocationServiceDeps) {
  const { store, audit, now } = deps;

  async function appendEvent(tx: StoreTx, kind: RevocationKind, id: string, reason: string, at: Date) {
    const jti = newId('revocationEvent');
    const set = deps.signSecurityEvent(
      revocationSetClaims({ issuer: deps.issuer(), jti, kind, id, reason, at }),
    );
    await tx.revocationEvents.append({
      id: jti,
      kind,
      subjectId: id,
      reason,
      set,
      createdAt: at.toISOString(),
    });
  }

  async function activeTaskIds(tx: StoreTx, filter: TaskFilter): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await tx.tasks.list({ ...filter, status: 'active' }, { limit: 1000, cursor });
      ids.push(...page.items.map((t) => t.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return ids;
  }

  /**
   * Ends the given active tasks with `status` and every active descendant with `cancelled`, each
   * with its audit event and SET. Returns the ids that this call ended (already ended ones are skipped).
   */
  async function endTasksInTx(
    tx: StoreTx,
    rootIds: readonly string[],
    status: EndStatus,
    reason: string,
    actor: string,
  ): Promise<string[]> {
    const at = now();
    const ended: string[] = [];
    const queue = rootIds.map((id) => ({ id, status, reason }));
    for (let next = queue.shift(); next; next = queue.shift()) {
      if (!(await tx.tasks.end(next.id, next.status, at.toISOString(), next.reason))) continue;
      ended.push(next.id);
      await tx.audit.append(audit.event(actor, `task.${next.status}`, next.id, { reason: next.reason }));
      await appendEvent(tx, 'task', next.id, next.reason, at);
      for (const child of await activeTaskIds(tx, { parentTaskId: next.id })) {
        queue.push({ id: child, status: 'cancelled', reason: `parent task ${next.id} ended` });
      }
    }
    return ended;
  }

  /** The after-commit half: brokered credentials of ended tasks, then the feed. */
  function afterCommit(endedTaskIds: readonly string[]): () => Promise<void> {
    return async () => {
      await deps.poke().catch((err) => deps.onError(err, 'revocation feed'));
      for (const id of endedTaskIds) {
        // Failures stay recorded on the lease; the RevocationRetrier keeps trying.
        await deps.broker.revokeByOwner(id).catch((err) => deps.onError(err, `broker revocation for ${id}`));
      }
    };
  }

  /** Ends one task (and its children). Throws not_found, or task_not_active if it already ended. */
  async function endTask(
    actor: string,
    taskId: string,
    status: EndStatus,
    reason: string,
  ): Promise<string[]> {
    const ended = await store.transaction(async (tx) => {
      const task = await tx.tasks.get(taskId);
      if (!task) throw notFound('task', taskId);
      if (task.status !== 'active') {
        throw new KeywardError('task_not_active', `task ${taskId} is already ${task.status}`);
      }
      return endTasksInTx(tx, [taskId], status, reason, actor);
    });
    await afterCommit(ended)();
    return ended;
  }

  async function revokeToken(actor: string, token: IssuedToken, reason: string): Promise<boolean> {
    const at = now();
    const changed = await store.transaction(async (tx) => {
      const stored = await tx.issuedTokens.get(token.jti);
      if (stored?.revokedAt) return false;
      await tx.issuedTokens.revoke({ ...(stored ?? token), revokedAt: at.toISOString() });
      await tx.audit.append(
        audit.event(actor, 'token.revoked', token.jti, { taskId: token.taskId, sub: token.subject, reason }),
      );
      await appendEvent(tx, 'token', token.jti, reason, at);
      return true;
    });
    if (changed) await afterCommit([])();
    return changed;
  }

  async function revokeTokenById(actor: string, jti: string, reason: string): Promise<boolean> {
    const token = await store.issuedTokens.get(jti);
    if (!token) throw notFound('token', jti);
    return revokeToken(actor, token, reason);
  }

  /** Identity-level revocation inside a transaction: its tasks end, and a credential-change SET. */
  async function revokeIdentityInTx(tx: StoreTx, id: string, actor: string, reason: string) {
    const ended = await endTasksInTx(
      tx,
      await activeTaskIds(tx, { agentId: id }),
      'cancelled',
      reason,
      actor,
    );
    await tx.audit.append(audit.event(actor, 'identity.credentials_revoked', id, { reason, tasks: ended }));
    await appendEvent(tx, 'identity', id, reason, now());
    return afterCommit(ended);
  }

  async function revokeSponsorInTx(tx: StoreTx, id: string, actor: string, reason: string) {
    const ended = await endTasksInTx(
      tx,
      await activeTaskIds(tx, { sponsorId: id }),
      'cancelled',
      reason,
      actor,
    );
    await tx.audit.append(audit.event(actor, 'sponsor.tasks_revoked', id, { reason, tasks: ended }));
    await appendEvent(tx, 'sponsor', id, reason, now());
    return afterCommit(ended);
  }

  /** The admin entry point (`POST /v1/revocations`). */
  async function revoke(actor: string, kind: RevocationKind, id: string, reason: string): Promise<void> {
    switch (kind) {
      case 'token':
        await revokeTokenById(actor, id, reason);
        return;
      case 'task':
        await endTask(actor, id, 'cancelled', reason);
        return;
      case 'identity':
      case 'sponsor': {
        const then = await store.transaction(async (tx) => {
          const exists = kind === 'identity' ? await tx.identities.get(id) : await tx.humans.get(id);
          if (!exists) throw notFound(kind === 'identity' ? 'identity' : 'human', id);
          return kind === 'identity'
            ? revokeIdentityInTx(tx, id, actor, reason)
            : revokeSponsorInTx(tx, id, actor, reason);
        });
        await then();
      }
    }
  }

  const identityHook: BlockHook = {
    inTransaction: (tx, id, actor, reason) => revokeIdentityInTx(tx, id, actor, reason),
  };
  const sponsorHook: BlockHook = {
    inTransaction: (tx, id, actor, reason) => revokeSponsorInTx(tx, id, actor, reason),
  };

  return {
    revoke,
    revokeToken,
    revokeTokenById,
    endTask,
    endTasksInTx,
    afterCommit,
    identityHook,
    sponsorHook,
  };
}

export type RevocationService = ReturnType<typeof createRevocationService>;
