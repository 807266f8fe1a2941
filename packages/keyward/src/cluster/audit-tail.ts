/**
 * Commit sources for a cluster. The Store reports only this process's commits; the cluster leader
 * runs the consumers that must see every event exactly once and in order (detection, checkpoints,
 * export sinks), so it feeds them from an AuditTail: a reader that follows the log by seq from the
 * database whenever it is poked (a local commit, a worker's 'audit' bus message) and on a slow poll.
 * Seq order is commit order on both backends (the chain head lock), so reading `seq > cursor`
 * never skips an event that committed late.
 */
import type { AuditEvent } from '../audit/audit-types.js';
import type { CommitSource, Store } from '../storage/storage-types.js';
import type { ClusterBus } from './cluster-bus.js';

type Listener = (events: AuditEvent[]) => void;

export interface AuditTail extends CommitSource {
  /** Starts after the current head (earlier events are the consumers' own catch-up). */
  start(): Promise<void>;
  /** Reads on now (coalesced: a poke during a read schedules one more read). */
  poke(): void;
  /** Resolves when everything committed before the call has been handed to the listeners. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export function createAuditTail(o: {
  store: Store;
  pollMs?: number;
  /**
   * Least time between two reads (default 50 ms): under load every worker commits many times a
   * second; reading once per interval hands the consumers larger batches for far fewer queries.
   */
  minIntervalMs?: number;
  pageSize?: number;
  onError: (err: unknown) => void;
}): AuditTail {
  const listeners = new Set<Listener>();
  const pageSize = o.pageSize ?? 5000;
  let cursor = 0;
  let reading: Promise<void> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let delayed: NodeJS.Timeout | undefined;
  let lastRead = 0;
  const minInterval = o.minIntervalMs ?? 50;

  async function read(): Promise<void> {
    do {
      again = false;
      lastRead = Date.now();
      for (;;) {
        const events = await o.store.audit.list({ afterSeq: cursor }, pageSize);
        if (events.length === 0) break;
        cursor = events[events.length - 1]!.seq;
        for (const l of listeners) {
          try {
            l(events);
          } catch (err) {
            o.onError(err);
          }
        }
        if (events.length < pageSize) break;
      }
    } while (again);
  }

  const poke = (): void => {
    if (reading) {
      again = true;
      return;
    }
    const wait = lastRead + minInterval - Date.now();
    if (wait > 0) {
      delayed ??= setTimeout(() => {
        delayed = undefined;
        poke();
      }, wait);
      return;
    }
    reading = read()
      .catch(o.onError)
      .finally(() => {
        reading = undefined;
      });
  };

  return {
    onAuditCommit(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async start() {
      cursor = (await o.store.audit.head()).seq;
      timer = setInterval(poke, o.pollMs ?? 1000);
      timer.unref();
    },
    poke,
    async idle() {
      lastRead = 0;
      poke();
      while (reading) await reading;
    },
    async stop() {
      if (timer) clearInterval(timer);
      if (delayed) clearTimeout(delayed);
      while (reading) await reading;
      listeners.clear();
    },
  };
}

/**
 * A worker's source for its live audit feed: its own commits as they happen, and a wake-up (with
 * no events: the feed reads them from the database) when another process announces commits.
 */
export function withClusterWakeups(store: Store, bus: ClusterBus): CommitSource {
  return {
    onAuditCommit(listener) {
      const off = [store.onAuditCommit(listener), bus.on('audit', () => listener([]))];
      return () => {
        for (const f of off) f();
      };
    },
  };
}
