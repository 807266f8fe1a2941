/**
 * `npm run bench -- store`: bulk import throughput of the storage layer. Imports 100,000 identities
 * with 3 edges each to 2,000 resources, through createMany in batches of 5,000 inside one bulkLoad
 * (as an importer does), into SQLite (temp data dir) and PostgreSQL (fresh schema, dropped after).
 * The floor is raw better-sqlite3: prepared single-row INSERTs in the same batches and schema, for
 * the identity rows alone (`raw_sqlite_insert_per_s`, compared like for like with the Store's
 * identity-only import in `import_ratio_vs_raw`) and for the full workload with edges.
 *
 * Options: --identities=N (default 100000), --batch=N (default 5000), --skip-postgres.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Edge, EdgeKind, Identity, Resource } from '@keyward/sdk';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { newId } from '../packages/keyward/src/ids.js';
import { openStore, type StoreConfig } from '../packages/keyward/src/storage/open-store.js';
import { toIdentityRow } from '../packages/keyward/src/storage/sql/stores/identity-sql-store.js';
import { emit, log, round } from './bench-output.js';

const TARGET_PER_S = 20_000;
const EDGES_PER_IDENTITY = 3;
const RESOURCES = 2_000;
const NOW = '2025-01-01T00:00:00.000Z';
const EDGE_KINDS: EdgeKind[] = ['has_permission', 'stored_in', 'can_assume'];

interface Dataset {
  resources: Resource[];
  identities: Identity[];
  edges: Edge[];
}

function makeDataset(count: number): Dataset {
  const resources: Resource[] = Array.from({ length: RESOURCES }, (_, i) => ({
    id: newId('resource'),
    name: `resource-${i}`,
    kind: 'database',
    systemId: null,
    environment: 'prod',
    sensitivity: 'high',
    labels: { tier: String(i % 3) },
    createdAt: NOW,
    updatedAt: NOW,
    version: 1,
  }));
  const identities: Identity[] = [];
  const edges: Edge[] = [];
  for (let i = 0; i < count; i++) {
    const id = newId('identity');
    identities.push({
      id,
      name: `svc-${i}`,
      kind: 'service_account',
      ownerId: null,
      purpose: `imported identity ${i}`,
      environment: i % 2 ? 'prod' : 'staging',
      businessSystem: null,
      origin: 'aws',
      originExternalId: `arn:aws:iam::123456789012:role/svc-${i}`,
      secretLocations: [{ store: 'vault', ref: `kv/svc-${i}` }],
      credential: { createdAt: NOW, rotationPeriodDays: 90 },
      reviewDate: null,
      status: 'active',
      labels: { team: `team-${i % 50}` },
      firstSeen: NOW,
      lastSeen: null,
      createdAt: NOW,
      updatedAt: NOW,
      version: 1,
    });
    for (let k = 0; k < EDGES_PER_IDENTITY; k++) {
      edges.push({
        id: newId('edge'),
        kind: EDGE_KINDS[k]!,
        fromId: id,
        toId: resources[(i * 7 + k * 131) % RESOURCES]!.id,
        actions: k === 0 ? ['read'] : [],
        createdAt: NOW,
      });
    }
  }
  return { resources, identities, edges };
}

/** Seconds to import the dataset through the Store: one bulk load, createMany batch by batch. */
async function importThroughStore(config: StoreConfig, data: Dataset, batch: number): Promise<number> {
  const store = await openStore({ ...config, migrate: true });
  try {
    const start = performance.now();
    await store.bulkLoad(async (tx) => {
      await tx.resources.createMany(data.resources);
      for (let i = 0; i < data.identities.length; i += batch) {
        const ids = data.identities.slice(i, i + batch);
        const edges = data.edges.slice(i * EDGES_PER_IDENTITY, (i + batch) * EDGES_PER_IDENTITY);
        await tx.identities.createMany(ids);
        await tx.edges.createMany(edges);
      }
    });
    const seconds = (performance.now() - start) / 1000;
    const [n, e] = [await store.identities.count(), await store.edges.count()];
    if (n !== data.identities.length || e !== data.edges.length) throw new Error(`imported ${n}/${e} rows`);
    return seconds;
  } finally {
    await store.close();
  }
}

/**
 * The floor: the same rows through prepared single-row better-sqlite3 statements, in the same
 * schema and the same batches, no Kysely and no Store in the way.
 */
async function rawSqliteSeconds(file: string, data: Dataset, batch: number): Promise<number> {
  const schemaStore = await openStore({ backend: 'sqlite', file, migrate: true });
  await schemaStore.close();
  const db = new SqliteDatabase(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -65536');
  try {
    const cols = Object.keys(toIdentityRow(data.identities[0]!));
    const insertIdentity = db.prepare(
      `insert into identities (${cols.join(',')}) values (${cols.map(() => '?').join(',')})`,
    );
    const insertEdge = db.prepare(
      'insert into edges (id, kind, from_id, to_id, actions, created_at) values (?, ?, ?, ?, ?, ?)',
    );
    const importBatch = db.transaction((ids: Identity[], edges: Edge[]) => {
      for (const identity of ids) insertIdentity.run(Object.values(toIdentityRow(identity)));
      for (const e of edges) {
        insertEdge.run(e.id, e.kind, e.fromId, e.toId, JSON.stringify(e.actions), e.createdAt);
      }
    });
    const start = performance.now();
    for (let i = 0; i < data.identities.length; i += batch) {
      const edges = data.edges.slice(i * EDGES_PER_IDENTITY, (i + batch) * EDGES_PER_IDENTITY);
      importBatch(data.identities.slice(i, i + batch), edges);
    }
    return (performance.now() - start) / 1000;
  } finally {
    db.close();
  }
}

async function postgresReachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

const option = (args: string[], name: string): string | undefined =>
  args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

export async function run(args: string[]): Promise<void> {
  const count = Number(option(args, 'identities') ?? 100_000);
  const batch = Number(option(args, 'batch') ?? 5_000);
  log(`store bench: ${count} identities, ${count * EDGES_PER_IDENTITY} edges, batches of ${batch}`);
  const data = makeDataset(count);
  const dir = mkdtempSync(join(tmpdir(), 'keyward-store-bench-'));
  try {
    // Warm-up (JIT, statement shapes) so the first measured run is not also the cold one.
    await importThroughStore({ backend: 'sqlite', file: join(dir, 'warmup.db') }, makeDataset(10_000), batch);
    const sqliteS = await importThroughStore(
      { backend: 'sqlite', file: join(dir, 'keyward.db') },
      data,
      batch,
    );
    const sqliteRate = count / sqliteS;
    log(`sqlite: ${round(sqliteS, 3)} s (identities + edges)`);
    emit({
      bench: 'store',
      metric: 'import_identities_per_s',
      value: Math.round(sqliteRate),
      unit: 'identities/s',
      backend: 'sqlite',
      edgesPerIdentity: EDGES_PER_IDENTITY,
      target: TARGET_PER_S,
    });

    const identitiesOnly = { ...data, edges: [] };
    const rawS = await rawSqliteSeconds(join(dir, 'raw.db'), identitiesOnly, count); // one transaction
    const rawRate = count / rawS;
    log(`raw better-sqlite3: ${round(rawS, 3)} s (identities only)`);
    emit({
      bench: 'store',
      metric: 'raw_sqlite_insert_per_s',
      value: Math.round(rawRate),
      unit: 'identities/s',
      backend: 'sqlite',
    });
    // Like for like: the Store importing identities only, against the raw floor.
    const storeOnlyS = await importThroughStore(
      { backend: 'sqlite', file: join(dir, 'identities-only.db') },
      identitiesOnly,
      batch,
    );
    log(`sqlite: ${round(storeOnlyS, 3)} s (identities only)`);
    emit({
      bench: 'store',
      metric: 'import_ratio_vs_raw',
      value: round(rawS / storeOnlyS, 3),
      unit: 'ratio',
      backend: 'sqlite',
      note: 'identities only: Store createMany rate / raw prepared-insert rate; >1 is faster than raw',
    });
    // The same floor for the full workload, edges included: what the hardware allows at all.
    const rawFullS = await rawSqliteSeconds(join(dir, 'raw-full.db'), data, batch);
    log(`raw better-sqlite3: ${round(rawFullS, 3)} s (identities + edges)`);
    emit({
      bench: 'store',
      metric: 'raw_sqlite_import_with_edges_per_s',
      value: Math.round(count / rawFullS),
      unit: 'identities/s',
      backend: 'sqlite',
      edgesPerIdentity: EDGES_PER_IDENTITY,
    });
    emit({
      bench: 'store',
      metric: 'import_ratio_vs_raw_with_edges',
      value: round(rawFullS / sqliteS, 3),
      unit: 'ratio',
      backend: 'sqlite',
    });

    if (args.includes('--skip-postgres')) return;
    const url = process.env.KEYWARD_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
    if (!(await postgresReachable(url))) {
      log(`postgres: ${url} unreachable, skipped`);
      return;
    }
    const schema = `kw_bench_${randomBytes(6).toString('hex')}`;
    try {
      const pgS = await importThroughStore({ backend: 'postgres', url, schema }, data, batch);
      log(`postgres: ${round(pgS, 3)} s (identities + edges)`);
      emit({
        bench: 'store',
        metric: 'import_identities_per_s',
        value: Math.round(count / pgS),
        unit: 'identities/s',
        backend: 'postgres',
        edgesPerIdentity: EDGES_PER_IDENTITY,
        target: TARGET_PER_S,
      });
    } finally {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`drop schema if exists "${schema}" cascade`);
      await client.end();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
