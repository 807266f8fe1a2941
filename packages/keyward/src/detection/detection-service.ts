/**
 * Runs detection inside Keyward: at start it loads the persisted baselines and catches up on the
 * audit log from its cursor (on the very first start it learns from the stored log over the window,
 * without alerting on history); then it takes every committed batch of events from
 * `store.onAuditCommit`, in order, and hands the findings to the alert service. Baselines and the
 * cursor are persisted together every `persistEveryMs` and at close, so a restart neither forgets
 * what normal looks like nor re-reads more than the last few seconds.
 */
import type { AuditEvent } from '../audit/audit-types.js';
import type { CommitSource, Store } from '../storage/storage-types.js';
import type { AlertService } from './alert-service.js';
import type { DetectionEngine } from './detection-engine.js';
import type { BaselineJson } from './identity-baseline.js';

/** The detection cursor's name among the audit sink cursors (the last seq folded into baselines). */
export const DETECTION_CURSOR = 'detection';

export interface DetectionServiceDeps {
  store: Store;
  /** Where committed events are heard of; default the store (this process's commits). */
  commits?: CommitSource | undefined;
  engine: DetectionEngine;
  alerts: Pick<AlertService, 'raise' | 'flush'>;
  now: () => Date;
  persistEveryMs?: number;
  onError: (err: unknown, context: string) => void;
}

export function createDetectionService(deps: DetectionServiceDeps) {
  const { store, engine } = deps;
  let chain: Promise<void> = Promise.resolve();
  /** The highest seq processed (the cursor persisted with the baselines). */
  let lastSeq = 0;
  /** Live batches at or below this seq were already read by the catch-up at start. */
  let caughtUpTo = 0;
  let persistedSeq = 0;
  let timer: NodeJS.Timeout | undefined;
  let unsubscribe: (() => void) | undefined;
  let started = false;

  async function handle(events: readonly AuditEvent[], learnOnly = false): Promise<void> {
    const fresh = events.filter((e) => e.seq > caughtUpTo);
    if (fresh.length === 0) return;
    for (const e of fresh) if (e.seq > lastSeq) lastSeq = e.seq;
    const findings = await engine.process(fresh, learnOnly);
    if (findings.length > 0) await deps.alerts.raise(findings);
  }

  function enqueue(events: readonly AuditEvent[]): Promise<void> {
    chain = chain.then(() => handle(events)).catch((err) => deps.onError(err, 'detection'));
    return chain;
  }

  async function persist(): Promise<void> {
    // Held alert joins first: once the cursor moves past their events, nothing would re-raise them.
    await deps.alerts.flush();
    const ids = engine.takeDirty();
    if (ids.length === 0 && lastSeq === persistedSeq) return;
    const at = deps.now().toISOString();
    const seq = lastSeq;
    const rows = ids.flatMap((identityId) => {
      const b = engine.baseline(identityId);
      return b ? [{ identityId, baseline: JSON.stringify(b.toJSON()), updatedAt: at }] : [];
    });
    await store.transaction(async (tx) => {
      await tx.baselines.upsertMany(rows);
      await tx.auditSinks.setCursor(DETECTION_CURSOR, seq, at);
    });
    persistedSeq = seq;
  }

  async function catchUp(cursor: number): Promise<void> {
    const windowStart = new Date(deps.now().getTime() - engine.config.windowDays * 86_400_000).toISOString();
    const firstStart = cursor === 0;
    lastSeq = cursor;
    caughtUpTo = cursor;
    for (;;) {
      const page = await store.audit.list(
        { afterSeq: lastSeq, ...(firstStart ? { from: windowStart } : {}) },
        1000,
      );
      if (page.length === 0) return;
      // On a first start, history is learned, not alerted on: it happened before Keyward watched.
      await handle(page, firstStart);
      caughtUpTo = lastSeq;
    }
  }

  return {
    async start(): Promise<void> {
      started = true;
      for await (const batch of store.baselines.scan()) {
        for (const b of batch) engine.load(b.identityId, JSON.parse(b.baseline) as BaselineJson);
      }
      const buffered: AuditEvent[][] = [];
      let live = false;
      unsubscribe = (deps.commits ?? store).onAuditCommit((events) => {
        if (live) void enqueue(events);
        else buffered.push(events);
      });
      persistedSeq = await store.auditSinks.cursor(DETECTION_CURSOR);
      await catchUp(persistedSeq);
      live = true;
      for (const events of buffered) void enqueue(events);
      const every = deps.persistEveryMs ?? 5_000;
      timer = setInterval(() => {
        chain = chain.then(persist).catch((err) => deps.onError(err, 'persisting baselines'));
      }, every);
      timer.unref();
    },
    /** Resolves once every event committed so far has been processed (and its alerts raised). */
    async idle(): Promise<void> {
      let current: Promise<void>;
      do {
        current = chain;
        await current;
      } while (current !== chain);
    },
    /**
     * An identity's current baseline (its persisted JSON form), if it has one. Where detection does
     * not run (a cluster's HTTP workers; the leader runs it), the last persisted one.
     */
    async baselineOf(identityId: string): Promise<BaselineJson | undefined> {
      if (started) return engine.baseline(identityId)?.toJSON();
      const stored = await store.baselines.get(identityId);
      return stored && (JSON.parse(stored.baseline) as BaselineJson);
    },
    /** Persists baselines and the cursor now. */
    persist: () => {
      chain = chain.then(persist);
      return chain;
    },
    async close(): Promise<void> {
      unsubscribe?.();
      if (timer) clearInterval(timer);
      await chain.catch(() => {});
      await persist().catch((err) => deps.onError(err, 'persisting baselines'));
    },
  };
}

export type DetectionService = ReturnType<typeof createDetectionService>;
