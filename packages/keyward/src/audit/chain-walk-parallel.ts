/**
 * The fast path of `audit verify`: the chain cut into seq ranges, each walked on its own thread
 * with its own database connection (reading and building each event's hash input is most of the
 * cost, ~6× the hashing, and one connection does it on one core). Each thread checks, inside its
 * range, that seqs follow one another, that every stored hash is the SHA-256 of the event's hash
 * input, and that every event links to the one before; the ranges are then stitched (each range's
 * first event must follow and link to the previous range's last).
 *
 * It only ever says "all of this is intact": at the first doubt (a bad event, a gap, a range that
 * does not stitch, a thread that failed) it returns undefined and the caller walks sequentially,
 * which names and classifies the first bad event exactly (audit-verifier.ts). So a clean log is
 * verified on every core, and a tampered one is reported exactly as before.
 *
 * The thread is a small CommonJS script evaluated from a string (like authz/evaluator-pool.ts), so
 * it runs the same under tsx/vitest and from dist; it gets the scan's SQL from the storage layer.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { chainScanSql } from '../storage/sql/stores/audit-sql-store.js';
import type { Store, StoreLocation } from '../storage/storage-types.js';

/** Below this many events per thread, starting threads and connections costs more than it saves. */
const MIN_EVENTS_PER_THREAD = 25_000;
const MAX_THREADS = 4;
const BATCH = 10_000;

const WORKER_SOURCE = `
const { parentPort, workerData: w } = require('node:worker_threads');
const crypto = require('node:crypto');
const sha256 = crypto.hash ? (t) => crypto.hash('sha256', t, 'hex')
  : (t) => crypto.createHash('sha256').update(t).digest('hex');
async function* batches() {
  let from = w.from;
  if (w.location.backend === 'sqlite') {
    const Database = require(w.sqlitePath);
    const db = new Database(w.location.file, { fileMustExist: true });
    try {
      const stmt = db.prepare(w.sql).raw(true);
      for (;;) {
        const limit = Math.min(w.batch, w.to - from);
        if (limit <= 0) return;
        const rows = stmt.all(from, limit);
        if (rows.length === 0) return;
        yield rows;
        if (rows.length < limit) return;
        from = Number(rows[rows.length - 1][0]) + 1;
      }
    } finally { db.close(); }
  }
  const { Client } = require(w.pgPath);
  const client = new Client({ connectionString: w.location.url,
    ...(w.location.schema ? { options: '-c search_path=' + w.location.schema } : {}) });
  await client.connect();
  try {
    for (;;) {
      const limit = Math.min(w.batch, w.to - from);
      if (limit <= 0) return;
      const { rows } = await client.query({ text: w.sql, values: [from, limit], rowMode: 'array' });
      if (rows.length === 0) return;
      yield rows;
      if (rows.length < limit) return;
      from = Number(rows[rows.length - 1][0]) + 1;
    }
  } finally { await client.end(); }
}
(async () => {
  const wanted = new Set(w.wanted);
  const found = [];
  let first = null, lastSeq = null, lastHash = null, count = 0, bad = null;
  outer: for await (const rows of batches()) {
    for (const [s, prevHash, hash, text] of rows) {
      const seq = Number(s);
      // Past a gap the limit reaches into the next range, which walks those rows itself.
      if (seq >= w.to) break outer;
      if (first === null) first = { seq, prevHash };
      else if (seq !== lastSeq + 1 || prevHash !== lastHash) { bad = seq; break outer; }
      if (sha256(text) !== hash) { bad = seq; break outer; }
      if (wanted.has(seq)) found.push([seq, hash]);
      lastSeq = seq; lastHash = hash; count++;
    }
  }
  parentPort.postMessage({ count, first, lastSeq, lastHash, bad, wanted: found });
})().catch((err) => parentPort.postMessage({ error: String(err && err.message || err) }));
`;

interface RangeResult {
  count: number;
  first: { seq: number; prevHash: string } | null;
  lastSeq: number | null;
  lastHash: string | null;
  bad: number | null;
  wanted: Array<[number, string]>;
  error?: string;
}

export interface ParallelWalkOptions {
  /** Threads to use (default: the cores, at most 4). */
  threads?: number | undefined;
  /** Fewer events than this per thread and the walk is left to the caller (default 25,000). */
  minEventsPerThread?: number | undefined;
}

export interface ChainWalk {
  count: number;
  firstSeq: number | null;
  lastSeq: number;
  lastHash: string | undefined;
}

function walkRange(
  location: StoreLocation,
  from: number,
  to: number,
  wanted: number[],
): Promise<RangeResult> {
  const require = createRequire(import.meta.url);
  const workerData = {
    location,
    sql: chainScanSql(location.backend),
    from,
    to,
    batch: BATCH,
    wanted,
    sqlitePath: location.backend === 'sqlite' ? require.resolve('better-sqlite3') : undefined,
    pgPath: location.backend === 'postgres' ? require.resolve('pg') : undefined,
  };
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData });
    worker.once('message', (m: RangeResult) => {
      if (m.error !== undefined) reject(new Error(m.error));
      else resolve(m);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`chain walk thread exited with ${code}`)));
  });
}

/**
 * Walks the chain from `start` (its first seq, and the hash that seq must link to, or undefined
 * when it is trusted) on several threads. Records the hash at each seq of `wanted` it passes.
 * Returns undefined when it cannot vouch for every event (see the module comment), or when the
 * log is too small or the store has no location other threads can open.
 */
export async function walkChainInParallel(
  store: Store,
  start: { seq: number; prev: string | undefined },
  wanted: Map<number, string>,
  options: ParallelWalkOptions = {},
): Promise<ChainWalk | undefined> {
  const location = store.location;
  if (!location) return undefined;
  const head = await store.audit.head();
  const total = head.seq - start.seq + 1;
  const threads = Math.min(
    options.threads ?? Math.min(MAX_THREADS, availableParallelism()),
    Math.floor(total / (options.minEventsPerThread ?? MIN_EVENTS_PER_THREAD)),
  );
  if (threads < 2) return undefined;
  const bounds = Array.from({ length: threads + 1 }, (_, i) => start.seq + Math.floor((total * i) / threads));
  // The last range is open-ended, so events past the recorded head are read (and judged) too.
  bounds[threads] = Number.MAX_SAFE_INTEGER;
  const seqs = [...wanted.keys()];
  let results: RangeResult[];
  try {
    results = await Promise.all(
      bounds.slice(0, -1).map((from, i) => {
        const to = bounds[i + 1]!;
        return walkRange(
          location,
          from,
          to,
          seqs.filter((s) => s >= from && s < to),
        );
      }),
    );
  } catch {
    return undefined;
  }
  let lastSeq = start.seq - 1;
  let lastHash = start.prev;
  let count = 0;
  let firstSeq: number | null = null;
  const seen: Array<[number, string]> = [];
  for (const r of results) {
    if (r.bad !== null || r.first === null || r.lastSeq === null || r.lastHash === null) return undefined;
    if (r.first.seq !== lastSeq + 1 || (lastHash !== undefined && r.first.prevHash !== lastHash)) {
      return undefined;
    }
    firstSeq ??= r.first.seq;
    count += r.count;
    lastSeq = r.lastSeq;
    lastHash = r.lastHash;
    seen.push(...r.wanted);
  }
  for (const [seq, hash] of seen) wanted.set(seq, hash);
  return { count, firstSeq, lastSeq, lastHash };
}
