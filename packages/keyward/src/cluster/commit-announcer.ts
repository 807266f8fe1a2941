/**
 * Tells the rest of a cluster what this process's commits changed, from the audit events that
 * commit with every state change (the one place all writes pass): any commit → 'audit'; inventory
 * events → 'inventory'; policy versions → 'policies'; signing keys → 'signing-keys'; API token
 * revocations → 'api-tokens'. Revocations
 * are announced where the revocation feed is poked (app.ts), since not every revocation has an
 * event type of its own. Replicas on PostgreSQL hear of the same changes (replica-sync.ts).
 */
import type { AuditEvent } from '../audit/audit-types.js';
import { INVENTORY_EVENT } from '../authz/authz-module.js';
import type { Store } from '../storage/storage-types.js';
import type { ClusterBus } from './cluster-bus.js';

/** The changes other processes must re-read after a commit of `events`. */
export type StateChange = 'inventory' | 'policies' | 'signing-keys' | 'api-tokens';

export function changesOf(events: readonly AuditEvent[]): Set<StateChange> {
  const changes = new Set<StateChange>();
  for (const e of events) {
    if (INVENTORY_EVENT.test(e.type)) changes.add('inventory');
    else if (e.type.startsWith('policy.')) changes.add('policies');
    else if (e.type.startsWith('signing_key.')) changes.add('signing-keys');
    else if (e.type === 'api_token.revoked') changes.add('api-tokens');
  }
  return changes;
}

export function announceCommits(store: Store, bus: ClusterBus): () => void {
  if (!bus.clustered) return () => {};
  return store.onAuditCommit((events) => {
    bus.publish({ t: 'audit' });
    for (const t of changesOf(events)) bus.publish({ t });
  });
}
