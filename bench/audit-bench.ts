/**
 * `npm run bench -- audit`: the tamper-evident audit trail. Durable, hash-chained appends through the
 * AuditWriter (group commit) from 16 concurrent writers on SQLite (WAL synced before each
 * acknowledgement) and PostgreSQL,
 * against the floor of raw better-sqlite3 batched inserts of the same rows in the same run, and the
 * verification rate of the resulting log.
 *
 * "16 concurrent writers" = 16 independent loops, as 16 busy services recording events would be.
 * Each writer submits its events in batches of `--batch` (256: what one request handler or one
 * importer records at a time) through AuditWriter.appendMany and keeps `--inflight` (4) batches
 * outstanding, starting a new one as each is acknowledged; acknowledged = the group holding it
 * COMMITTED (durable: the WAL synced / synchronous_commit=on) with its hash chain. Large groups
 * are what make durable appends cheap: each commit rewrites every index page it touched.
 * Two stricter figures are printed beside it, with single-event appends: 64 in flight per writer,
 * and 1 (each writer awaits each event; bounded by commits/s × 16, the disk's fsync latency).
 *
 * Options: --events=N (default 200000), --writers=N (16), --batch=N (256), --inflight=N (4),
 * --skip-postgres.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import type { AuditEventInput } from '../packages/keyward/src/audit/audit-types.js';
import { verifyAuditLog } from '../packages/keyward/src/audit/audit-verifier.js';
import { createAuditWriter } from '../packages/keyward/src/audit/audit-writer.js';
import { newId } from '../packages/keyward/src/ids.js';
import { openStore, type StoreConfig } from '../packages/keyward/src/storage/open-store.js';
import { AUDIT_COLUMNS, chainEvents } from '../packages/keyward/src/storage/sql/stores/audit-rows.js';
import type { AuditHead } from '../packages/keyward/src/storage/storage-types.js';
import { emit, log, round } from './bench-output.js';
import { detectionCost, scenarioFalseAlerts } from './detection-bench.js';

const TARGET = { sqlite: 50_000, postgres: 15_000 } as const;
const VERIFY_TARGET = 200_000;
const DETECT_TARGET_US = 20;
/**
 * The machine running this is shared (other jobs come and go), so throughput figures are the best
 * of RUNS runs, and Keyward's append and the raw floor alternate run by run to see the same load.
 */
const RUNS = 3;

async function bestOf<T extends { appendPerS: number }>(make: (run: number) => Promise<T>): Promise<T> {
  let best: T | undefined;
  for (let r = 0; r < RUNS; r++) {
    const got = await make(r);
    if (!best || got.appendPerS > best.appendPerS) best = got;
  }
  return best!;
}

function arg(args: string[], name: string, fallback: number): number {
  const hit = args.find((a) => a.startsWith(`--${name}=`));
  return hit ? Number(hit.split('=')[1]) : fallback;
}

function event(i: number): AuditEventInput {
  return {
    id: newId('auditEvent'),
    time: new Date().toISOString(),
    actor: `nhi_${String(i % 500).padStart(32, '0')}`,
    delegationChain: i % 4 ? [] : ['hum_alice', 'nhi_agent'],
    type: i % 10 ? 'decision.evaluated' : 'token.issued',
    action: 's3:GetObject',
    targetId: `res_${String(i % 2000).padStart(32, '0')}`,
    taskId: `task-${i % 100}`,
    outcome: i % 20 ? 'success' : 'denied',
    policyIds: ['pol_prod_read'],
    source: { ip: '10.1.2.3', userAgent: 'keyward-sdk/0.1', workload: 'spiffe://prod/ns/api' },
    details: { request: `req-${i}`, latencyMs: i % 13 },
  };
}

async function appendBench(
  config: StoreConfig,
  events: number,
  writers: number,
  inflight: number,
  batch = 1,
) {
  const store = await openStore({ ...config, migrate: true });
  try {
    const writer = createAuditWriter(store);
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: writers * inflight }, async () => {
        while (next < events) {
          if (batch === 1) {
            next++;
            await writer.append(event(next));
          } else {
            const n = Math.min(batch, events - next);
            const first = next;
            next += n;
            await writer.appendMany(Array.from({ length: n }, (_, k) => event(first + k + 1)));
          }
        }
      }),
    );
    const appendS = (performance.now() - t0) / 1000;
    await writer.close();
    let verifyPerS = 0;
    for (let r = 0; r < RUNS; r++) {
      const v0 = performance.now();
      const result = await verifyAuditLog(store);
      const verifyS = (performance.now() - v0) / 1000;
      if (!result.ok) throw new Error(`verification failed: ${JSON.stringify(result)}`);
      verifyPerS = Math.max(verifyPerS, result.events / verifyS);
    }
    return { appendPerS: events / appendS, verifyPerS };
  } finally {
    await store.close();
  }
}

/**
 * The floor: the same chained rows, in the writer's batch sizes, inserted by raw better-sqlite3 with
 * a prepared single-row INSERT into the real (migrated) audit_events table, one transaction per batch,
 * synchronous=FULL (the same durability, paid inside COMMIT) and the same page cache as the store.
 * Hashing is included, so the gap to append_per_s is the writer's,
 * Kysely's and the chain-head bookkeeping's cost.
 */
async function rawSqlite(file: string, events: number, batch: number): Promise<number> {
  await (await openStore({ backend: 'sqlite', file, migrate: true })).close();
  const db = new SqliteDatabase(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  // The store's page cache and WAL checkpoint interval (sqlite-connection.ts), for a fair floor.
  db.pragma('cache_size = -65536');
  db.pragma(`wal_autocheckpoint = ${(64 * 1024 * 1024) / Number(db.pragma('page_size', { simple: true }))}`);
  const stmt = db.prepare(
    `insert into audit_events (${AUDIT_COLUMNS.join(',')}) values (${AUDIT_COLUMNS.map(() => '?').join(',')})`,
  );
  const insertRow = (row: unknown[]): void => {
    stmt.run(row);
  };
  const chainBatch = db.transaction((head: AuditHead, inputs: AuditEventInput[]) =>
    chainEvents(head, inputs, insertRow),
  );
  let head: AuditHead = { seq: 0, hash: '0'.repeat(64) };
  const t0 = performance.now();
  for (let i = 0; i < events; i += batch) {
    head = chainBatch(
      head,
      Array.from({ length: Math.min(batch, events - i) }, (_, k) => event(i + k)),
    ).head;
  }
  const s = (performance.now() - t0) / 1000;
  db.close();
  return events / s;
}

export async function run(args: string[]): Promise<void> {
  const events = arg(args, 'events', 200_000);
  const writers = arg(args, 'writers', 16);
  const inflight = arg(args, 'inflight', 4);
  const batch = arg(args, 'batch', 256);
  const labels = { writers, batch, inflight, events };
  const dir = mkdtempSync(join(tmpdir(), 'keyward-audit-bench-'));
  try {
    log(`audit: ${events} events, ${writers} writers x ${inflight} batches of ${batch} in flight, SQLite`);
    let rawBest = 0;
    const lite = await bestOf(async (r) => {
      const got = await appendBench(
        { backend: 'sqlite', file: join(dir, `a${r}.db`) },
        events,
        writers,
        inflight,
        batch,
      );
      rawBest = Math.max(
        rawBest,
        await rawSqlite(join(dir, `raw${r}.db`), events, writers * inflight * batch),
      );
      return got;
    });
    const strictEvents = Math.min(events, 20_000);
    const single = await appendBench({ backend: 'sqlite', file: join(dir, 'c.db') }, events, writers, 64);
    const strict = await appendBench(
      { backend: 'sqlite', file: join(dir, 'b.db') },
      strictEvents,
      writers,
      1,
    );
    const raw = rawBest;
    const unit = 'events/s';
    emit({
      bench: 'audit',
      metric: 'append_per_s',
      value: round(lite.appendPerS, 0),
      unit,
      backend: 'sqlite',
      target: TARGET.sqlite,
      ...labels,
      runs: RUNS,
    });
    emit({
      bench: 'audit',
      metric: 'append_per_s',
      value: round(single.appendPerS, 0),
      unit,
      backend: 'sqlite',
      target: TARGET.sqlite,
      writers,
      batch: 1,
      inflight: 64,
      events,
    });
    emit({
      bench: 'audit',
      metric: 'append_per_s',
      value: round(strict.appendPerS, 0),
      unit,
      backend: 'sqlite',
      target: TARGET.sqlite,
      writers,
      batch: 1,
      inflight: 1,
      events: strictEvents,
    });
    emit({
      bench: 'audit',
      metric: 'raw_insert_per_s',
      value: round(raw, 0),
      unit,
      backend: 'sqlite',
      batch: writers * inflight * batch,
      events,
      runs: RUNS,
    });
    emit({
      bench: 'audit',
      metric: 'verify_per_s',
      value: round(lite.verifyPerS, 0),
      unit,
      backend: 'sqlite',
      target: VERIFY_TARGET,
      events,
      runs: RUNS,
    });
    log('audit: detection cost on a realistic mix, baselines warm');
    const detect = await detectionCost(Math.min(events, 200_000));
    emit({
      bench: 'audit',
      metric: 'detect_us_per_event',
      value: round(detect.usPerEvent, 2),
      unit: 'us',
      target: DETECT_TARGET_US,
      identities: 500,
      events: Math.min(events, 200_000),
      findings: detect.findings,
    });
    log('audit: detection scenario (entry → escalation → impact amid normal traffic)');
    const scenario = await scenarioFalseAlerts();
    emit({
      bench: 'audit',
      metric: 'false_alerts',
      value: scenario.falseAlerts,
      unit: 'alerts',
      backend: 'sqlite',
      normal_events: scenario.normalEvents,
      stages_alerted: scenario.stagesAlerted,
    });
    const url = process.env['KEYWARD_BENCH_DATABASE_URL'] ?? process.env['KEYWARD_TEST_DATABASE_URL'];
    if (args.includes('--skip-postgres') || !url) return;
    const schema = `kw_audit_bench_${randomBytes(4).toString('hex')}`;
    log(`audit: PostgreSQL schema ${schema}`);
    try {
      const pgr = await bestOf((r) =>
        appendBench(
          { backend: 'postgres', url, schema: `${schema}_b${r}` },
          events,
          writers,
          inflight,
          batch,
        ),
      );
      const pgSingle = await appendBench(
        { backend: 'postgres', url, schema: `${schema}_1` },
        events,
        writers,
        64,
      );
      const pgStrict = await appendBench(
        { backend: 'postgres', url, schema: `${schema}_s` },
        strictEvents,
        writers,
        1,
      );
      emit({
        bench: 'audit',
        metric: 'append_per_s',
        value: round(pgr.appendPerS, 0),
        unit,
        backend: 'postgres',
        target: TARGET.postgres,
        ...labels,
        runs: RUNS,
      });
      emit({
        bench: 'audit',
        metric: 'append_per_s',
        value: round(pgSingle.appendPerS, 0),
        unit,
        backend: 'postgres',
        target: TARGET.postgres,
        writers,
        batch: 1,
        inflight: 64,
        events,
      });
      emit({
        bench: 'audit',
        metric: 'append_per_s',
        value: round(pgStrict.appendPerS, 0),
        unit,
        backend: 'postgres',
        target: TARGET.postgres,
        writers,
        batch: 1,
        inflight: 1,
        events: strictEvents,
      });
      emit({
        bench: 'audit',
        metric: 'verify_per_s',
        value: round(pgr.verifyPerS, 0),
        unit,
        backend: 'postgres',
        target: VERIFY_TARGET,
        events,
        runs: RUNS,
      });
    } finally {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`drop schema if exists "${schema}" cascade`);
      await client.query(`drop schema if exists "${schema}_s" cascade`);
      await client.query(`drop schema if exists "${schema}_1" cascade`);
      for (let r = 0; r < RUNS; r++) await client.query(`drop schema if exists "${schema}_b${r}" cascade`);
      await client.end();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
