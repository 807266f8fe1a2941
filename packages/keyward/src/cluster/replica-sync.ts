/**
 * Replicas on one PostgreSQL keep their in-memory state coherent: after this process commits an
 * inventory, policy or signing-key change, it NOTIFYs `keyward_changes`, and every other process
 * of every replica (each has its own LISTEN connection, pg-listener.ts) delivers the change to its
 * own handlers as if it came over the cluster bus: entity slices and cached decisions are dropped,
 * the policy set and signing keys re-read. So a disable on replica A denies on replica B within
 * milliseconds, not after B's caches happen to turn over. Revocations ride `keyward_revocations`
 * as before (sent inside the revoking transaction by the store).
 *
 * The NOTIFY goes out right after the commit, from the listening connection, so a crash between
 * the two can lose it; hence the safety net: a (re)connected listener delivers every change (it
 * may have missed some), and app.ts's maintenance loop drops the inventory caches and re-reads
 * policies and keys every interval. Payloads name the schema (channels are per database, schemas
 * share them) and the sending process (which ignores its own).
 */
import { randomUUID } from 'node:crypto';
import { REVOCATION_CHANNEL } from '../storage/sql/stores/revocation-event-sql-store.js';
import type { Store } from '../storage/storage-types.js';
import type { BusMessage } from './cluster-bus.js';
import { changesOf, type StateChange } from './commit-announcer.js';
import { startPgListener } from './pg-listener.js';

export const CHANGES_CHANNEL = 'keyward_changes';
const ALL: StateChange[] = ['inventory', 'policies', 'signing-keys', 'api-tokens'];

interface ChangeNotice {
  from: string;
  schema: string | null;
  changes: StateChange[];
}

export function startReplicaSync(options: {
  store: Store;
  url: string;
  schema?: string | undefined;
  /** Delivers a change to this process's handlers (the bus's local delivery). */
  deliver: (message: BusMessage) => void;
  /** Revocation events were written somewhere: read the feed on. */
  onRevocations: () => void;
  onError: (err: unknown) => void;
  retryMs?: number;
}): { stop(): Promise<void> } {
  const self = randomUUID();
  const schema = options.schema ?? null;
  const deliverAll = (changes: Iterable<StateChange>) => {
    for (const t of changes) options.deliver({ t });
  };
  const listener = startPgListener({
    url: options.url,
    schema: options.schema,
    onError: options.onError,
    ...(options.retryMs !== undefined ? { retryMs: options.retryMs } : {}),
    channels: {
      [REVOCATION_CHANNEL]: () => options.onRevocations(),
      [CHANGES_CHANNEL]: (payload) => {
        if (payload === undefined) return deliverAll(ALL);
        let notice: ChangeNotice;
        try {
          notice = JSON.parse(payload) as ChangeNotice;
        } catch {
          return;
        }
        if (notice.from === self || notice.schema !== schema || !Array.isArray(notice.changes)) return;
        deliverAll(notice.changes.filter((c) => ALL.includes(c)));
      },
    },
  });
  // One NOTIFY per event-loop turn, however many commits it saw.
  let pending: Set<StateChange> | undefined;
  const off = options.store.onAuditCommit((events) => {
    const changes = changesOf(events);
    if (changes.size === 0) return;
    if (!pending) {
      pending = new Set();
      setImmediate(() => {
        const notice: ChangeNotice = { from: self, schema, changes: [...(pending ?? [])] };
        pending = undefined;
        listener.notify(CHANGES_CHANNEL, JSON.stringify(notice));
      });
    }
    for (const c of changes) pending.add(c);
  });
  return {
    async stop() {
      off();
      await listener.stop();
    },
  };
}
