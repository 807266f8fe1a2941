/**
 * Group commit for token issuance: ONE transaction per batch of concurrent token requests records
 * every request's assertion `jti` (single use), its issued-token row and its audit event together,
 * after re-reading the state the issuance depends on (identity active, key still registered, task
 * active and the client's, sponsor active). Each caller learns its outcome only after that batch
 * committed, so nothing is acknowledged before it is durable (SQLite synchronous=FULL, PostgreSQL
 * synchronous_commit=on), and the in-transaction re-read makes the hot-path caches
 * (grant-read-cache.ts) safe: a disable or revocation committed anywhere refuses the issuance.
 *
 * Up to two batches are in flight: one waiting for its disk sync (off the event loop, see
 * TransactionOptions.syncOffLoop) while the next commits; requests arriving meanwhile form the
 * batch after. If a batch fails, every request in it fails and nothing of it was written.
 */
import type { AuditEventInput, IssuedToken, Store, StoreTx } from '../storage/storage-types.js';

export interface IssuanceEntry {
  /** The client assertion's single-use id, not yet recorded. */
  jti?: { issuer: string; jti: string; expiresAt: string } | undefined;
  /** What the issuance depends on; re-checked inside the commit. */
  grant?: { identityId: string; kid: string; thumbprint: string; taskId: string } | undefined;
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

export type IssuanceCommitter = (entry: IssuanceEntry) => Promise<IssuanceOutcome>;

// The event loop keeps verifying and signing the next batch while this one's fsync runs.
const SYNC_OFF_LOOP = { syncOffLoop: true } as const;

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
    if (!tasks.has(g.taskId)) tasks.set(g.taskId, await tx.tasks.get(g.taskId));
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
  }, SYNC_OFF_LOOP);
}

export function createIssuanceCommitter(deps: {
  store: Store;
  now: () => Date;
  maxBatch?: number;
}): IssuanceCommitter {
  const maxBatch = deps.maxBatch ?? 1000;
  let queue: Pending[] = [];
  let scheduled = false;
  let inFlight = 0;

  // Two batches in flight: while one waits for its disk sync, the next can already commit.
  function schedule(): void {
    if (scheduled || inFlight >= 2 || queue.length === 0) return;
    scheduled = true;
    // Let the requests already in flight this turn join the batch.
    setImmediate(() => {
      scheduled = false;
      if (inFlight >= 2 || queue.length === 0) return;
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      inFlight++;
      commitBatch(deps.store, batch, deps.now)
        .then(
          (outcomes) => {
            for (const [i, p] of batch.entries()) p.resolve(outcomes[i]!);
          },
          (err: unknown) => {
            for (const p of batch) p.reject(err);
          },
        )
        .finally(() => {
          inFlight--;
          schedule();
        });
      schedule();
    });
  }

  return (entry) =>
    new Promise<IssuanceOutcome>((resolve, reject) => {
      queue.push({ entry, resolve, reject });
      schedule();
    });
}
