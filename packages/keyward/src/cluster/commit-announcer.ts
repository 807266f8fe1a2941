/**
 * Tells the rest of a cluster what this process's commits changed, from the audit events that
 * commit with every state change (the one place all writes pass): any commit → 'audit'; inventory
 * events → 'inventory'; policy versions → 'policies'; signing keys → 'signing-keys'. Revocations
 * are announced where the revocation feed is poked (app.ts), since not every revocation has an
 * event type of its own.
 */
import { INVENTORY_EVENT } from '../authz/authz-module.js';
import type { Store } from '../storage/storage-types.js';
import type { ClusterBus } from './cluster-bus.js';

export function announceCommits(store: Store, bus: ClusterBus): () => void {
  if (!bus.clustered) return () => {};
  return store.onAuditCommit((events) => {
    bus.publish({ t: 'audit' });
    for (const e of events) {
      if (INVENTORY_EVENT.test(e.type)) bus.publish({ t: 'inventory' });
      else if (e.type.startsWith('policy.')) bus.publish({ t: 'policies' });
      else if (e.type.startsWith('signing_key.')) bus.publish({ t: 'signing-keys' });
    }
  });
}
