/**
 * Group commit for token issuance: ONE transaction per batch of concurrent token requests records
 * every request's assertion `jti` (single use), its issued-token row and its audit event together,
 * after re-reading the state the issuance depends on (identity active, key still registered, task
 * active and the client's, sponsor active). Each caller learns its outcome only after that batch
 * committed, so nothing is acknowledged before it is durable (SQLite's WAL synced to disk,
 * PostgreSQL synchronous_commit=on), and the in-transaction re-read makes the hot-path caches
 * (grant-read-cache.ts) safe: a disable or revocation committed anywhere refuses the issuance.
 *
 * Requests arriving while a batch commits form the next batch. On SQLite the next batch is written
 * while the previous one's sync to disk runs (storage/sql/sqlite-wal-sync.ts; the single connection
 * keeps them in order); on PostgreSQL one batch is in flight at a time. If a batch fails, every
 * request in it fails and nothing of it was written.
 */
import type { AuditEventInput, IssuedToken, Store, StoreTx } from '../storage/storage-types.js';

export interface IssuanceEntry {
  /** The client assertion's single-use id, not yet recorded. */
  jti?: { issuer: string; jti: string; expiresAt: string } | undefined;
  /**
   * What the issuance depends on, re-checked inside the commit: the client identity and the key
   * its assertion was verified with, and (when given) the task and its sponsor.
   */
  grant?: { identityId: string; kid: string; thumbprint: string; taskId?: string | undefined } | undefined;
  /** Written only when the entry succeeds. */
  token?: IssuedToken | undefined;
  /** Written only when the entry succeeds. */
  events: AuditEventInput[];
}

export type IssuanceOutcome =
  | { ok: true }
  | { ok: false; error: 'replayed' | 'invalid_client' | 'invalid_grant'; detail: string };

interface Pending {
  entry: IssuanceEntry;
  resolve: (o: IssuanceOutcome) => void;
  reject: (err: unknown) => void;
}

export interface IssuanceCommitter {
  (entry: IssuanceEntry): Promise<IssuanceOutcome>;
  /**
   * Announces a request that is on its way to a commit (its signature checks run on the thread
   * pool meanwhile). A forming batch waits up to MAX_GATHER_MS for the requests announced before
   * it started forming, so under load one commit covers every concurrent request instead of about
   * half of them. Call the returned release (idempotent) before the request's first commit, and
   * when it gives up: a request still announced when it commits makes its own batch wait it out.
   */
  expect(): () => void;
  /** Batches committed, and how many of them waited MAX_GATHER_MS out for an announced request. */
  stats(): { batches: number; waitedOut: number };
}

const MAX_GATHER_TURNS = 8;
const MAX_GATHER_MS = 2;

const distinct = (values: string[]): string[] => [...new Set(values)];

/** Per entry: undefined when its grant still holds, else why not. */
async function recheckGrants(tx: StoreTx, entries: IssuanceEntry[], now: number) {
  const grants = entries.map((e) => e.grant);
  const present = grants.filter((g) => g !== undefined);
  if (present.length === 0) return grants.map(() => undefined);
  const identities = new Map(
    (await tx.identities.getMany(distinct(present.map((g) => g.identityId)))).map((i) => [i.id, i]),
  );
  const keys = new Map<string, string | undefined>();
  const tasks = new Map<string, Awaited<ReturnType<StoreTx['tasks']['get']>>>();
  for (const g of present) {
    const k = `${g.identityId} ${g.kid}`;
    if (!keys.has(k)) keys.set(k, (await tx.identityKeys.get(g.identityId, g.kid))?.thumbprint);
    if (g.taskId !== undefined && !tasks.has(g.taskId)) tasks.set(g.taskId, await tx.tasks.get(g.taskId));
  }
  const sponsorIds = distinct([...tasks.values()].flatMap((t) => (t ? [t.sponsorId] : [])));
  const sponsors = new Map((await tx.humans.getMany(sponsorIds)).map((h) => [h.id, h]));
  return grants.map((g): Extract<IssuanceOutcome, { ok: false }> | undefined => {
    if (!g) return undefined;
    const identity = identities.get(g.identityId);
    if (identity?.status !== 'active')
      return { ok: false, error: 'invalid_client', detail: `identity is ${identity?.status ?? 'gone'}` };
    if (keys.get(`${g.identityId} ${g.kid}`) !== g.thumbprint)
      return { ok: false, error: 'invalid_client', detail: 'the assertion key is no longer registered' };
    if (g.taskId === undefined) return undefined;
    const task = tasks.get(g.taskId);
    if (!task || task.agentId !== g.identityId)
      return { ok: false, error: 'invalid_grant', detail: 'task_id is not a task of this client' };
    if (task.status !== 'active' || Date.parse(task.expiresAt) <= now)
      return { ok: false, error: 'invalid_grant', detail: `task ${task.id} is no longer active` };
    if (!sponsors.get(task.sponsorId)?.active)
      return { ok: false, error: 'invalid_grant', detail: "the task's sponsor is not active" };
    return undefined;
  });
}

async function commitBatch(store: Store, batch: Pending[], now: () => Date): Promise<IssuanceOutcome[]> {
  return store.transaction(async (tx) => {
    const entries = batch.map((p) => p.entry);
    const outcomes: IssuanceOutcome[] = (await recheckGrants(tx, entries, now().getTime())).map(
      (refused) => refused ?? { ok: true },
    );
    const withJti = entries.flatMap((e, i) => (e.jti ? [{ i, jti: e.jti }] : []));
    if (withJti.length > 0) {
      const fresh = await tx.usedJtis.recordMany(withJti.map((w) => w.jti));
      withJti.forEach((w, n) => {
        if (fresh[n] !== true)
          outcomes[w.i] = { ok: false, error: 'replayed', detail: 'jti was already used' };
      });
    }
    const ok = entries.filter((_, i) => outcomes[i]?.ok);
    const tokens = ok.flatMap((e) => (e.token ? [e.token] : []));
    const events = ok.flatMap((e) => e.events);
    if (tokens.length > 0) await tx.issuedTokens.recordMany(tokens);
    if (events.length > 0) await tx.audit.appendMany(events);
    return outcomes;
  });
}

export function createIssuanceCommitter(deps: {
  store: Store;
  now: () => Date;
  maxBatch?: number;
}): IssuanceCommitter {
  const maxBatch = deps.maxBatch ?? 1000;
  const depth = deps.store.backend === 'sqlite' ? 2 : 1;
  let queue: Pending[] = [];
  let running = false;
  // Announced requests by ticket, oldest first (a Set keeps insertion order).
  const announced = new Set<number>();
  let nextTicket = 0;
  const stats = { batches: 0, waitedOut: 0 };
  let wake: (() => void) | undefined;
  const poke = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };

  /**
   * Lets the batch fill before committing: better-sqlite3 commits (and fsyncs) synchronously, so
   * the event loop gets turns first — I/O is served and requests already in flight join. It keeps
   * yielding while the last turn brought more requests (one fsync then covers them all), for at
   * most MAX_GATHER_TURNS turns, then waits for announced requests (expect()); all within
   * MAX_GATHER_MS.
   */
  async function gather(): Promise<void> {
    const until = performance.now() + MAX_GATHER_MS;
    const horizon = nextTicket;
    let seen = -1;
    for (let turn = 0; turn < MAX_GATHER_TURNS && queue.length !== seen; turn++) {
      seen = queue.length;
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (performance.now() >= until || queue.length >= maxBatch) return;
    }
    // Only requests announced before this batch started forming: under steady load new ones keep
    // arriving, and waiting for those too would make every batch wait MAX_GATHER_MS out.
    while (announcedBefore(horizon) && queue.length < maxBatch) {
      const left = until - performance.now();
      if (left <= 0) {
        stats.waitedOut++;
        return;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  function announcedBefore(horizon: number): boolean {
    for (const ticket of announced) return ticket < horizon; // the oldest decides
    return false;
  }

  async function drain(): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    while (queue.length > 0 || inFlight.size > 0) {
      if (queue.length === 0) {
        // Requests that come while the last batches finish must still be picked up by this loop.
        await Promise.race(inFlight);
        continue;
      }
      await gather();
      stats.batches++;
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      const done = commitBatch(deps.store, batch, deps.now).then(
        (outcomes) => {
          for (const [i, p] of batch.entries()) p.resolve(outcomes[i]!);
        },
        (err: unknown) => {
          for (const p of batch) p.reject(err);
        },
      );
      inFlight.add(done);
      void done.then(() => inFlight.delete(done));
      if (inFlight.size >= depth) await Promise.race(inFlight);
    }
    running = false;
  }

  const commit = (entry: IssuanceEntry) =>
    new Promise<IssuanceOutcome>((resolve, reject) => {
      queue.push({ entry, resolve, reject });
      poke();
      if (!running) {
        running = true;
        void drain();
      }
    });

  function expect(): () => void {
    const ticket = nextTicket++;
    announced.add(ticket);
    return () => {
      if (announced.delete(ticket)) poke();
    };
  }

  return Object.assign(commit, { expect, stats: () => ({ ...stats }) });
}
