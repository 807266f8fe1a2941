/**
 * AuditWriter: group commit for high-rate events that have no state change to share a transaction
 * with (decisions, token issuance, refusals). Callers append concurrently; events queue up while
 * the previous batch commits and are then written as one chained batch in one transaction. Each
 * caller's promise resolves only after its batch COMMITTED (acknowledged = durable: SQLite runs
 * synchronous=FULL, PostgreSQL synchronous_commit=on), and rejects if the batch failed (nothing
 * of it was written). One batch is in flight at a time: the chain head lock serializes batches anyway.
 */
import type { Store } from '../storage/storage-types.js';
import type { AuditEvent, AuditEventInput } from './audit-types.js';

interface Pending {
  event: AuditEventInput;
  resolve: (e: AuditEvent) => void;
  reject: (err: unknown) => void;
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export interface AuditWriter {
  append(event: AuditEventInput): Promise<AuditEvent>;
  /** Resolves when everything appended so far has committed (or failed). */
  flush(): Promise<void>;
  /** Flushes, then refuses further appends. */
  close(): Promise<void>;
}

export function createAuditWriter(store: Store, options: { maxBatch?: number } = {}): AuditWriter {
  const maxBatch = options.maxBatch ?? 5000;
  let queue: Pending[] = [];
  let writing: Promise<void> | undefined;
  let closed = false;

  async function drain(): Promise<void> {
    while (queue.length > 0) {
      // Yield to the event loop first: better-sqlite3 commits synchronously, so without this a
      // steady stream of appends would run entirely in microtasks and starve all I/O (HTTP included).
      // It also lets more events join the batch.
      await yieldToEventLoop();
      const batch = queue.length <= maxBatch ? queue : queue.slice(0, maxBatch);
      queue = queue.length <= maxBatch ? [] : queue.slice(maxBatch);
      try {
        const stored = await store.audit.appendMany(batch.map((p) => p.event));
        for (let i = 0; i < batch.length; i++) batch[i]!.resolve(stored[i]!);
      } catch (err) {
        for (const p of batch) p.reject(err);
      }
    }
    writing = undefined;
  }

  return {
    append(event) {
      if (closed) return Promise.reject(new Error('audit writer is closed'));
      return new Promise<AuditEvent>((resolve, reject) => {
        queue.push({ event, resolve, reject });
        writing ??= drain();
      });
    },
    async flush() {
      while (writing) await writing;
    },
    async close() {
      closed = true;
      while (writing) await writing;
    },
  };
}
