/**
 * Expiry: an active identity whose end has passed (credential.expiresAt or reviewDate, whichever
 * comes first) is disabled (audit `identity.disabled`, reason 'past its end'), which also revokes
 * its tasks and tokens; one ending within the notice window gets one notice (audit
 * `identity.expiry_notice`, delivered like every audit event to the configured sinks, webhook
 * included). A marker per (identity, end) makes the notice once-only across runs, restarts and
 * replicas; a renewed end is a new key and gets its own notice.
 */
import type { Identity } from '@keyward/sdk';
import type { AuditRecorder } from '../audit/audit-recorder.js';
import type { IdentityService } from '../inventory/identity-service.js';
import type { Store } from '../storage/storage-types.js';
import { allIdentities } from './lifecycle-paging.js';
import { SYSTEM_ACTOR } from './offboarding.js';

export const EXPIRY_REASON = 'past its end';

export interface ExpiryDeps {
  store: Store;
  audit: AuditRecorder;
  now: () => Date;
  identities: Pick<IdentityService, 'transition'>;
  noticeSeconds: number;
}

export interface ExpiryRun {
  disabled: string[];
  noticed: string[];
}

/** The identity's end: the earlier of its credential's expiry and its review date, or null. */
export function endOf(identity: Pick<Identity, 'credential' | 'reviewDate'>): Date | null {
  const ends = [identity.credential.expiresAt, identity.reviewDate]
    .filter((v): v is string => typeof v === 'string' && v !== '')
    .map((v) => new Date(v))
    .filter((d) => !Number.isNaN(d.getTime()));
  if (ends.length === 0) return null;
  return new Date(Math.min(...ends.map((d) => d.getTime())));
}

export function createExpiry(deps: ExpiryDeps) {
  const { store, audit, now } = deps;

  async function notice(identity: Identity, end: Date, at: Date): Promise<boolean> {
    const endsAt = end.toISOString();
    if (await store.expiryNotices.has(identity.id, endsAt)) return false;
    return store.transaction(async (tx) => {
      if (!(await tx.expiryNotices.record(identity.id, endsAt, at.toISOString()))) return false;
      await tx.audit.append(
        audit.event(SYSTEM_ACTOR, 'identity.expiry_notice', identity.id, {
          name: identity.name,
          ownerId: identity.ownerId,
          endsAt,
          daysLeft: Math.max(0, Math.ceil((end.getTime() - at.getTime()) / 86_400_000)),
        }),
      );
      return true;
    });
  }

  async function run(): Promise<ExpiryRun> {
    const at = now();
    const result: ExpiryRun = { disabled: [], noticed: [] };
    for (const identity of await allIdentities(store, { status: 'active' })) {
      const end = endOf(identity);
      if (!end) continue;
      if (end.getTime() <= at.getTime()) {
        const done = await deps.identities.transition(
          SYSTEM_ACTOR,
          identity.id,
          'disabled',
          'identity.disabled',
          { reason: EXPIRY_REASON, endsAt: end.toISOString() },
          // Re-checked in the transaction: the end may have been moved meanwhile.
          { guard: (cur) => cur.status === 'active' && (endOf(cur)?.getTime() ?? Infinity) <= at.getTime() },
        );
        if (done) result.disabled.push(identity.id);
      } else if (end.getTime() - at.getTime() <= deps.noticeSeconds * 1000) {
        if (await notice(identity, end, at)) result.noticed.push(identity.id);
      }
    }
    return result;
  }

  return { run };
}

export type Expiry = ReturnType<typeof createExpiry>;
