/**
 * Export sinks read the COMMITTED log by seq, from a cursor persisted per sink (audit_sink_cursors),
 * so nothing acknowledged is lost across restarts: delivery is at-least-once (a crash between a
 * delivery and its cursor update re-delivers that batch). A batch that still fails after
 * `maxAttempts` tries with exponential back-off is recorded as a dead letter (sink, seq range, error;
 * the events themselves stay in the log) and the cursor moves on, so one poisoned batch cannot stall
 * the sink forever.
 */
import type { CommitSource, Store } from '../../storage/storage-types.js';
import type { AuditEvent } from '../audit-types.js';

export interface AuditSink {
  readonly name: string;
  /** Delivers one batch in seq order; throws to have it retried. */
  deliver(events: AuditEvent[]): Promise<void>;
}

export interface SinkRunnerOptions {
  batchSize?: number;
  maxAttempts?: number;
  baseDelayMs?: number;
  pollMs?: number;
  now?: () => Date;
  /** Where committed events are heard of (wakes the runner); default the store. */
  commits?: CommitSource | undefined;
}

export interface SinkRunner {
  /** Delivers everything committed so far; resolves with the number of events delivered or dead-lettered. */
  runOnce(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createSinkRunner(store: Store, sink: AuditSink, o: SinkRunnerOptions = {}): SinkRunner {
  const batchSize = o.batchSize ?? 500;
  const maxAttempts = o.maxAttempts ?? 5;
  const baseDelayMs = o.baseDelayMs ?? 200;
  const now = o.now ?? (() => new Date());
  let stopped = false;
  let running: Promise<number> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let unsubscribe: (() => void) | undefined;

  async function deliverWithRetry(events: AuditEvent[]): Promise<void> {
    let lastError: unknown;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      try {
        await sink.deliver(events);
        return;
      } catch (err) {
        lastError = err;
        if (attempt < maxAttempts && !stopped) await sleep(baseDelayMs * 2 ** (attempt - 1));
      }
    }
    await store.auditSinks.deadLetter({
      sink: sink.name,
      fromSeq: events[0]!.seq,
      toSeq: events[events.length - 1]!.seq,
      attempts: maxAttempts,
      error: lastError instanceof Error ? lastError.message : String(lastError),
      time: now().toISOString(),
    });
  }

  async function drain(): Promise<number> {
    let delivered = 0;
    do {
      again = false;
      for (;;) {
        const cursor = await store.auditSinks.cursor(sink.name);
        const events = await store.audit.list({ afterSeq: cursor }, batchSize);
        if (events.length === 0 || stopped) break;
        await deliverWithRetry(events);
        await store.auditSinks.setCursor(sink.name, events[events.length - 1]!.seq, now().toISOString());
        delivered += events.length;
      }
    } while (again && !stopped);
    return delivered;
  }

  const runOnce = (): Promise<number> => {
    if (running) {
      again = true;
      return running;
    }
    running = drain().finally(() => {
      running = undefined;
    });
    return running;
  };

  return {
    runOnce,
    start() {
      unsubscribe = (o.commits ?? store).onAuditCommit(() => void runOnce().catch(() => {}));
      timer = setInterval(() => void runOnce().catch(() => {}), o.pollMs ?? 2000);
      timer.unref();
      void runOnce().catch(() => {});
    },
    async stop() {
      stopped = true;
      unsubscribe?.();
      if (timer) clearInterval(timer);
      await running?.catch(() => {});
    },
  };
}
