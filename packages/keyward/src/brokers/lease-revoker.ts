/**
 * Revocation of credential leases. One attempt: claim the lease (atomic, so the API and the
 * background retrier never work on it at once), drop the role on the target over the admin
 * connection (outside any store transaction), then record the outcome with its audit event in one
 * transaction. A failure is never dropped: the lease goes to revoke_failed with attempts, lastError
 * (secrets masked) and nextAttemptAt (exponential back-off), and the retrier tries again.
 */
import type { AuditRecorder } from '../audit/audit-recorder.js';
import { notFound } from '../errors.js';
import type { CredentialLease, Store } from '../storage/storage-types.js';
import type { BrokeredDatabaseService } from './brokered-database-service.js';
import { type AdminConnection, dropLoginRole } from './postgres-admin.js';

export type RevokeReason = 'requested' | 'owner_ended' | 'expired' | 'retry';

export interface RevocationPolicy {
  /** Delay after the first failure; doubles with each further failure. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A lease left in revoking longer than this (its revoker died) may be claimed again. */
  staleClaimMs: number;
}

export const DEFAULT_REVOCATION_POLICY: RevocationPolicy = {
  baseDelayMs: 5_000,
  maxDelayMs: 10 * 60_000,
  staleClaimMs: 5 * 60_000,
};

export interface RevocationObserver {
  attempt(outcome: 'revoked' | 'failed'): void;
}

export interface LeaseRevokerDeps {
  store: Store;
  databases: BrokeredDatabaseService;
  audit: AuditRecorder;
  now: () => Date;
  policy?: Partial<RevocationPolicy>;
  observer?: RevocationObserver;
}

/** An error's message for lastError and audit: known secrets masked, bounded length. */
export function describeFailure(err: unknown, secrets: ReadonlyArray<string | null>): string {
  let text = err instanceof Error ? err.message || err.name : String(err);
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && !text.includes(code)) text = `${code}: ${text}`;
  for (const s of secrets) if (s) text = text.replaceAll(s, '****');
  return text.slice(0, 500);
}

export function backoffMs(attempts: number, policy: RevocationPolicy): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));
}

export function createLeaseRevoker(deps: LeaseRevokerDeps) {
  const { store, databases, audit, now } = deps;
  const policy = { ...DEFAULT_REVOCATION_POLICY, ...deps.policy };

  async function attempt(claimed: CredentialLease, actor: string, reason: RevokeReason) {
    let conn: AdminConnection | undefined;
    try {
      const db = await databases.getRecord(claimed.database);
      conn = databases.adminConnection(db);
      const result = await dropLoginRole(conn, claimed.roleName);
      const lease = await store.transaction(async (tx) => {
        const done = await tx.leases.markRevoked(claimed.id, now().toISOString());
        await tx.audit.append(
          audit.event(actor, 'broker.lease.revoked', claimed.id, {
            database: claimed.database,
            role: claimed.roleName,
            ownerRef: claimed.ownerRef,
            reason,
            attempt: claimed.attempts + 1,
            roleWasPresent: result === 'dropped',
          }),
        );
        return done;
      });
      deps.observer?.attempt('revoked');
      return lease!;
    } catch (err) {
      const lastError = describeFailure(err, [conn?.password ?? null]);
      const attempts = claimed.attempts + 1;
      const next = new Date(now().getTime() + backoffMs(attempts, policy)).toISOString();
      const lease = await store.transaction(async (tx) => {
        const failed = await tx.leases.markFailed(claimed.id, lastError, next);
        await tx.audit.append(
          audit.event(
            actor,
            'broker.lease.revoke_failed',
            claimed.id,
            {
              database: claimed.database,
              role: claimed.roleName,
              reason,
              attempt: attempts,
              error: lastError,
            },
            'failure',
          ),
        );
        return failed;
      });
      deps.observer?.attempt('failed');
      return lease!;
    }
  }

  /**
   * Revokes one lease and returns it afterwards: revoked, revoke_failed (to be retried), or as it
   * was if there was nothing to do (already revoked, or another revoker holds it right now).
   */
  async function revokeLease(id: string, actor: string, reason: RevokeReason = 'requested') {
    const at = now();
    const stale = new Date(at.getTime() - policy.staleClaimMs).toISOString();
    const claimed = await store.leases.claim(id, at.toISOString(), stale);
    if (!claimed) {
      const lease = await store.leases.get(id);
      if (!lease) throw notFound('credential lease', id);
      return lease;
    }
    return attempt(claimed, actor, reason);
  }

  /** Revokes every lease of `ownerRef` not yet revoked; returns them all afterwards. */
  async function revokeByOwner(ownerRef: string, actor: string, reason: RevokeReason = 'owner_ended') {
    const out: CredentialLease[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.leases.list({ ownerRef }, { limit: 1000, ...(cursor ? { cursor } : {}) });
      for (const lease of page.items) {
        out.push(lease.status === 'revoked' ? lease : await revokeLease(lease.id, actor, reason));
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return out;
  }

  /** One sweep: expired active leases, failed ones due for retry, stale claims. */
  async function processDue(limit = 100): Promise<{ revoked: number; failed: number }> {
    const at = now();
    const stale = new Date(at.getTime() - policy.staleClaimMs).toISOString();
    const due = await store.leases.listDue(at.toISOString(), stale, limit);
    const counts = { revoked: 0, failed: 0 };
    for (const lease of due) {
      const reason: RevokeReason = lease.status === 'active' ? 'expired' : 'retry';
      const after = await revokeLease(lease.id, 'system', reason);
      if (after.status === 'revoked') counts.revoked++;
      else if (after.status === 'revoke_failed') counts.failed++;
    }
    return counts;
  }

  return { revokeLease, revokeByOwner, processDue };
}

export type LeaseRevoker = ReturnType<typeof createLeaseRevoker>;
