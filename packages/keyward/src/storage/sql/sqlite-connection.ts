/**
 * Opens the SQLite database file and wraps it in Kysely.
 *
 * Durability choice: WAL journal, and every commit synced to disk before the store returns from it,
 * so a commit that returned survives a power loss, not only a process crash. The audit trail needs
 * this: an event the AuditWriter acknowledged, or a change whose response was sent, must be durable.
 * The sync is what synchronous=FULL would do inside COMMIT, done instead off the event loop after
 * COMMIT (synchronous=NORMAL plus sqlite-wal-sync.ts), so the process keeps working while the disk
 * does. Bulk imports amortize the sync over their large transactions and the AuditWriter over each
 * group-committed batch (see audit/audit-writer.ts and docs/audit.md). An in-memory database has
 * nothing to sync.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  Kysely,
  type SqliteDatabase as KyselySqliteDatabase,
  SqliteDialect,
} from 'kysely';
import type { Database } from './sql-database.js';
import { type SqlDialect, sqliteDialect, sqliteDialectFor } from './sql-dialect.js';
import { withErrorTranslation } from './sql-translating-driver.js';
import { createWalSync, type SyncFile } from './sqlite-wal-sync.js';

/** How long a writer waits for another process's write lock before SQLITE_BUSY (→ unavailable). */
const BUSY_TIMEOUT_MS = 5000;
/**
 * Page cache per connection (the default is 2 MiB). Bulk imports insert into several secondary
 * indexes at random positions (edges by to_id, identities by owner …); with a cache that holds the
 * hot index pages they stay in memory instead of being re-read from the WAL each batch.
 */
const CACHE_KIB = 64 * 1024;
/**
 * Page size of new database files (SQLite's default is 4 KiB; an existing file keeps its own).
 * Appends touch the right edge of the table and several index b-trees per row, and every commit
 * writes each dirty page to the WAL as one frame: with 16 KiB pages there are a quarter as many
 * frames and b-tree splits per row. Measured +12% durable audit appends and +6% identity imports
 * on this machine, with no change to request-time decisions (bench audit, store, authz).
 */
export const SQLITE_PAGE_SIZE = 16_384;
/**
 * WAL size at which a commit checkpoints it into the database (SQLite's default is 1,000 pages):
 * index pages rewritten by every audit group commit are then copied into the database once per
 * 64 MiB of WAL, not once per commit (measured +15% on durable audit appends). The WAL stays
 * bounded; durability is unchanged.
 */
const WAL_AUTOCHECKPOINT_BYTES = 64 * 1024 * 1024;
/** Prepared statements kept per connection (LRU by SQL text). */
const STATEMENT_CACHE_SIZE = 200;

/**
 * Kysely's SQLite driver prepares every query it runs. Preparing is cheap for a point query but
 * not for createMany's 1,000-row INSERTs (up to ~20,000 placeholders to parse), so the database
 * handed to Kysely reuses prepared statements by SQL text. Reuse is safe: Kysely serialises all
 * use of the single connection, so no statement is ever run twice at once.
 */
function withStatementCache(raw: SqliteDatabase.Database): KyselySqliteDatabase {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => {
      cache.clear();
      raw.close();
    },
    prepare: (text: string) => {
      let stmt = cache.get(text);
      if (stmt) {
        cache.delete(text); // re-inserted below: Map order is the LRU order
      } else {
        stmt = raw.prepare(text);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      }
      cache.set(text, stmt);
      return stmt;
    },
  };
}

const BEGIN = CompiledQuery.raw('begin immediate');
const NO_WAIT = CompiledQuery.raw('pragma busy_timeout = 0');
const WAIT = CompiledQuery.raw(`pragma busy_timeout = ${BUSY_TIMEOUT_MS}`);
const isBusy = (err: unknown): boolean =>
  typeof err === 'object' &&
  err !== null &&
  String((err as { code?: unknown }).code).startsWith('SQLITE_BUSY');
const nextTurn = (attempt: number): Promise<void> =>
  new Promise((resolve) => (attempt < 16 ? setImmediate(resolve) : setTimeout(resolve, 1)));

/**
 * BEGIN for every transaction: `begin immediate` takes the write lock up front, so a transaction
 * never fails with SQLITE_BUSY when it first writes after another process (`serve --workers`)
 * committed since its first read (a deferred transaction cannot upgrade a stale snapshot).
 * While another process holds the lock, the wait is asynchronous: SQLite's own busy handler would
 * sleep the whole event loop for 1, 2, 5, 10 … ms per attempt, stalling every request of this
 * process; retrying on the next event-loop turn keeps serving them. Statements outside explicit
 * transactions still wait through busy_timeout.
 */
async function beginImmediate(c: DatabaseConnection): Promise<void> {
  await c.executeQuery(NO_WAIT);
  try {
    const deadline = Date.now() + BUSY_TIMEOUT_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        await c.executeQuery(BEGIN);
        return;
      } catch (err) {
        if (!isBusy(err) || Date.now() > deadline) throw err;
      }
      await nextTurn(attempt);
    }
  } finally {
    await c.executeQuery(WAIT);
  }
}

export function openSqlite(
  file: string,
  options: { syncFile?: SyncFile } = {},
): { db: Kysely<Database>; dialect: SqlDialect } {
  let raw: SqliteDatabase.Database;
  const inMemory = file === ':memory:';
  try {
    if (!inMemory) mkdirSync(dirname(file), { recursive: true });
    raw = new SqliteDatabase(file);
    // Before the journal mode: the page size can only change while the file is still empty.
    raw.pragma(`page_size = ${SQLITE_PAGE_SIZE}`);
    raw.pragma('journal_mode = WAL');
    raw.pragma(inMemory ? 'synchronous = FULL' : 'synchronous = NORMAL');
    raw.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    raw.pragma('foreign_keys = ON');
    raw.pragma(`cache_size = -${CACHE_KIB}`);
    const pageSize = Number(raw.pragma('page_size', { simple: true }));
    raw.pragma(`wal_autocheckpoint = ${Math.ceil(WAL_AUTOCHECKPOINT_BYTES / pageSize)}`);
  } catch (err) {
    throw sqliteDialect.translateError(err);
  }
  const cached = withStatementCache(raw);
  const wal = inMemory ? undefined : createWalSync(file, options.syncFile);
  const db = new Kysely<Database>({
    dialect: withErrorTranslation(new SqliteDialect({ database: cached }), sqliteDialect.translateError, {
      begin: beginImmediate,
      ...(wal ? { afterWrite: wal.sync, destroyed: wal.close } : {}),
    }),
  });
  return { db, dialect: sqliteDialectFor(cached) };
}
