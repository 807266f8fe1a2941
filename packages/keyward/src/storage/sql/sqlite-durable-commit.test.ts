/**
 * SQLite commits are acknowledged only once the WAL is synced to disk, and that sync runs off the
 * event loop (sqlite-wal-sync.ts through the driver's afterWrite hook). The sync primitive is
 * replaced by a controllable one, so each test can hold the disk and see what waits for it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Kysely, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StorageError } from '../storage-errors.js';
import type { Database } from './sql-database.js';
import { openSqlite } from './sqlite-connection.js';
import { createWalSync, type SyncFile } from './sqlite-wal-sync.js';

/** A sync primitive whose calls wait until the test releases (or fails) them. */
function heldDisk() {
  const calls: Array<{ release: () => void; fail: (err: Error) => void }> = [];
  const syncFile: SyncFile = () =>
    new Promise<void>((resolve, reject) => {
      calls.push({ release: resolve, fail: reject });
    });
  return { calls, syncFile };
}

const settledFlag = (p: Promise<unknown>) => {
  const state = { settled: false };
  p.then(
    () => {
      state.settled = true;
    },
    () => {
      state.settled = true;
    },
  );
  return state;
};
/** Lets the event loop and the thread pool run (opening the WAL file is real file I/O). */
const turns = async (ms = 30) => {
  await new Promise((r) => setTimeout(r, ms));
};
/** Waits until the held disk has seen `n` sync calls. */
const untilCalls = async (disk: { calls: unknown[] }, n: number) => {
  for (let i = 0; i < 200 && disk.calls.length < n; i++) await turns(5);
};

describe('SQLite durable commits', () => {
  let dir: string;
  let db: Kysely<Database> | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'keyward-wal-sync-'));
  });
  afterEach(async () => {
    await db?.destroy();
    db = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  /** Opens a store on the held disk and creates table t (releasing that write's own sync). */
  async function open(disk: ReturnType<typeof heldDisk>) {
    const k = openSqlite(join(dir, 'k.db'), { syncFile: disk.syncFile }).db;
    db = k;
    const created = sql`create table t (id integer primary key, v text)`.execute(k);
    await untilCalls(disk, 1);
    for (const c of disk.calls.splice(0)) c.release();
    await created;
    return k;
  }

  it('a transaction returns only after the WAL sync, and frees the connection before it', async () => {
    const disk = heldDisk();
    const k = await open(disk);
    const tx = k.transaction().execute(async (trx) => {
      await sql`insert into t (v) values ('a')`.execute(trx);
    });
    const state = settledFlag(tx);
    await untilCalls(disk, 1);
    expect(disk.calls).toHaveLength(1);
    expect(state.settled).toBe(false);
    // The commit is done and the connection free: a reader sees the row while the disk still works.
    const { rows } = await sql<{ n: number }>`select count(*) as n from t`.execute(k);
    expect(rows[0]!.n).toBe(1);
    expect(state.settled).toBe(false);
    disk.calls[0]!.release();
    await tx;
  });

  it('syncs after writes outside a transaction, not after reads', async () => {
    const disk = heldDisk();
    const k = await open(disk);
    await sql`select count(*) from t`.execute(k);
    await k
      .selectFrom('audit_events' as never)
      .selectAll()
      .execute()
      .catch(() => undefined);
    await turns();
    expect(disk.calls).toHaveLength(0);
    const write = sql`insert into t (v) values ('b')`.execute(k);
    const state = settledFlag(write);
    await untilCalls(disk, 1);
    expect(disk.calls).toHaveLength(1);
    expect(state.settled).toBe(false);
    disk.calls[0]!.release();
    await write;
  });

  it('commits made while a sync runs share the next one', async () => {
    const disk = heldDisk();
    const k = await open(disk);
    const first = sql`insert into t (v) values ('1')`.execute(k);
    await untilCalls(disk, 1);
    expect(disk.calls).toHaveLength(1);
    const more = [2, 3, 4, 5].map((i) => sql`insert into t (v) values (${String(i)})`.execute(k));
    await turns();
    expect(disk.calls).toHaveLength(1); // all four wait behind the sync in flight
    disk.calls[0]!.release();
    await first;
    await untilCalls(disk, 2);
    expect(disk.calls).toHaveLength(2); // one more sync covers the four
    disk.calls[1]!.release();
    await Promise.all(more);
  });

  it('a failed sync fails the write closed, and every later write, but not reads', async () => {
    const disk = heldDisk();
    const k = await open(disk);
    const write = k.transaction().execute(async (trx) => {
      await sql`insert into t (v) values ('x')`.execute(trx);
    });
    await untilCalls(disk, 1);
    disk.calls[0]!.fail(Object.assign(new Error('EIO: i/o error'), { code: 'EIO' }));
    const err = await write.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).code).toBe('unavailable');
    expect((err as Error).message).toMatch(/could not make the SQLite WAL durable.*EIO/);
    const later = await sql`insert into t (v) values ('y')`.execute(k).catch((e: unknown) => e);
    expect(later).toBeInstanceOf(StorageError);
    expect(disk.calls).toHaveLength(1); // sticky: no second attempt
    const { rows } = await sql<{ n: number }>`select count(*) as n from t`.execute(k);
    expect(rows[0]!.n).toBeGreaterThanOrEqual(0);
  });

  it('runs the connection at synchronous=NORMAL and really syncs the WAL file by default', async () => {
    const file = join(dir, 'real.db');
    db = openSqlite(file).db;
    const { rows } = await sql<{ synchronous: number }>`pragma synchronous`.execute(db);
    expect(rows[0]!.synchronous).toBe(1);
    await sql`create table t (id integer primary key)`.execute(db);
    await db.transaction().execute((trx) => sql`insert into t default values`.execute(trx));
    // The default primitive is fdatasync on the WAL file: calling it directly works on that file.
    const wal = createWalSync(file);
    await wal.sync();
    await wal.close();
    const missing = createWalSync(join(dir, 'nothing-here.db'));
    const err = await missing.sync().catch((e: unknown) => e);
    expect((err as StorageError).code).toBe('unavailable');
    await missing.close();
  });
});
