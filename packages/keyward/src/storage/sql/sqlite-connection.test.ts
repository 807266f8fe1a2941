/**
 * The SQLite file format choices of openSqlite: new files get 16 KiB pages, files made with
 * another page size keep it, and the WAL checkpoint threshold is the same 64 MiB either way.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqlite, SQLITE_PAGE_SIZE } from './sqlite-connection.js';

async function pragmas(file: string) {
  const { db } = openSqlite(file);
  try {
    await sql`create table if not exists t (x integer)`.execute(db);
    const page = await sql<{ page_size: number }>`pragma page_size`.execute(db);
    const ckpt = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db);
    return { pageSize: page.rows[0]!.page_size, autocheckpoint: ckpt.rows[0]!.wal_autocheckpoint };
  } finally {
    await db.destroy();
  }
}

describe('SQLite file format', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'keyward-sqlite-format-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates new databases with 16 KiB pages and checkpoints every 64 MiB of WAL', async () => {
    expect(SQLITE_PAGE_SIZE).toBe(16_384);
    const file = join(dir, 'new.db');
    expect(await pragmas(file)).toEqual({ pageSize: 16_384, autocheckpoint: 4096 });
    // Reopening keeps it.
    expect(await pragmas(file)).toEqual({ pageSize: 16_384, autocheckpoint: 4096 });
  });

  it('keeps the page size of an existing file, and the same WAL bound in bytes', async () => {
    const file = join(dir, 'old.db');
    const old = new SqliteDatabase(file);
    old.pragma('journal_mode = WAL');
    old.exec('create table t (x integer)');
    old.close();
    expect(await pragmas(file)).toEqual({ pageSize: 4096, autocheckpoint: 16_384 });
  });
});
