/**
 * Write paths shared by the role stores: the bulk INSERT behind every createMany (and the bulk
 * upsert of importers), and the optimistic-concurrency check behind every update.
 */
import { CompiledQuery, type Kysely, type UpdateResult } from 'kysely';
import { StorageError } from '../storage-errors.js';
import type { Database } from './sql-database.js';
import type { SqlDialect } from './sql-dialect.js';
import { chunks } from './sql-paging.js';

const statementCache = new Map<string, string>();

/** `insert into t (cols) values (…), (…)` for `rowCount` rows, built once per shape. */
function insertSql(dialect: SqlDialect, table: string, columns: readonly string[], rowCount: number): string {
  const key = `${dialect.backend}|${table}|${columns.join(',')}|${rowCount}`;
  let text = statementCache.get(key);
  if (text === undefined) {
    let n = 0;
    const tuples: string[] = [];
    for (let r = 0; r < rowCount; r++) {
      const marks: string[] = [];
      for (let c = 0; c < columns.length; c++) marks.push(dialect.placeholder(++n));
      tuples.push(`(${marks.join(',')})`);
    }
    text = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(',')}) values ${tuples.join(',')}`;
    statementCache.set(key, text);
  }
  return text;
}

/**
 * Columns of bulk-loaded tables that are not TEXT. PostgreSQL's unnest needs each array's element
 * type; every other column those tables have is text (times, ids and JSON are TEXT by design).
 */
const INTEGER_COLUMNS = new Set(['version', 'active']);

/**
 * `insert into t (cols) select * from unnest($1::text[], …)`: one statement and one bind parameter
 * per column however many rows, so PostgreSQL parses and plans once for a whole chunk (the bulk path
 * of imports; faster than multi-row VALUES, whose parse cost grows with every value).
 */
function unnestSql(table: string, columns: readonly string[], upsertOn?: readonly string[]): string {
  const arrays = columns.map((c, i) => `$${i + 1}::${INTEGER_COLUMNS.has(c) ? 'int4' : 'text'}[]`);
  const names = columns.map((c) => `"${c}"`).join(',');
  let text = `insert into "${table}" (${names}) select * from unnest(${arrays.join(',')})`;
  if (upsertOn) {
    const updates = columns.filter((c) => !upsertOn.includes(c)).map((c) => `"${c}" = excluded."${c}"`);
    text += ` on conflict (${upsertOn.map((c) => `"${c}"`).join(',')}) do update set ${updates.join(',')}`;
  }
  return text;
}

/** Rows per unnest statement: bounds the memory of one bind without costing round-trips. */
const UNNEST_ROWS = 10_000;

async function unnestRows(
  conn: Kysely<Database>,
  table: string,
  columns: readonly string[],
  rows: readonly unknown[][],
  upsertOn?: readonly string[],
): Promise<void> {
  const text = unnestSql(table, columns, upsertOn);
  for (const chunk of chunks(rows, UNNEST_ROWS)) {
    const arrays = columns.map((_, c) => chunk.map((row) => row[c] ?? null));
    await conn.executeQuery(CompiledQuery.raw(text, arrays));
  }
}

/**
 * Inserts `rows` (each in the order of `columns`): on SQLite through the dialect's direct
 * prepared-statement path, on PostgreSQL with unnest (see unnestSql).
 * Runs inside `db`'s transaction when it is one, else opens its own, so the whole call is
 * all-or-nothing either way. The statements are hand-built (and cached) rather than composed with
 * the query builder: for tens of thousands of values the builder's per-value nodes are the bulk of
 * the cost, and this is the hot path of every importer.
 */
export async function insertRows(
  db: Kysely<Database>,
  dialect: SqlDialect,
  table: keyof Database & string,
  columns: readonly string[],
  rows: readonly unknown[][],
): Promise<void> {
  if (rows.length === 0) return;
  const perStatement = Math.min(dialect.maxRowsPerInsert, Math.floor(dialect.maxBindParams / columns.length));
  const run = async (conn: Kysely<Database>): Promise<void> => {
    if (dialect.rowInserter) {
      try {
        const insert = dialect.rowInserter(table, columns);
        for (const row of rows) insert(row);
      } catch (err) {
        throw dialect.translateError(err);
      }
      return;
    }
    if (dialect.backend === 'postgres') return unnestRows(conn, table, columns, rows);
    for (const chunk of chunks(rows, perStatement)) {
      await conn.executeQuery(
        CompiledQuery.raw(insertSql(dialect, table, columns, chunk.length), chunk.flat()),
      );
    }
  };
  const oneStatement =
    !dialect.rowInserter && rows.length <= (dialect.backend === 'postgres' ? UNNEST_ROWS : perStatement);
  if (db.isTransaction || oneStatement) {
    await run(db); // a single statement is atomic on its own
  } else {
    await db.transaction().execute(run);
  }
}

/**
 * The last row of each key, in first-seen key order. PostgreSQL refuses an ON CONFLICT DO UPDATE
 * that touches one row twice in a statement ("cannot affect row a second time"), where SQLite's
 * row-by-row upsert lets the later row win; keeping only the later row gives both the same result.
 */
function lastPerKey(
  columns: readonly string[],
  keyColumns: readonly string[],
  rows: readonly unknown[][],
): readonly unknown[][] {
  const at = keyColumns.map((k) => columns.indexOf(k));
  if (at.some((i) => i < 0)) throw new TypeError(`upsertRows: key ${keyColumns.join(',')} not in columns`);
  const byKey = new Map<string, unknown[]>();
  for (const row of rows) byKey.set(JSON.stringify(at.map((i) => row[i] ?? null)), row);
  return byKey.size === rows.length ? rows : [...byKey.values()];
}

/**
 * Inserts `rows`, replacing every non-key column of a row whose `keyColumns` exist already. Same
 * transaction rules and paths as insertRows (SQLite: one prepared statement; PostgreSQL: unnest).
 */
export async function upsertRows(
  db: Kysely<Database>,
  dialect: SqlDialect,
  table: keyof Database & string,
  columns: readonly string[],
  keyColumns: readonly string[],
  rows: readonly unknown[][],
): Promise<void> {
  if (rows.length === 0) return;
  const run = async (conn: Kysely<Database>): Promise<void> => {
    if (dialect.rowInserter) {
      try {
        const upsert = dialect.rowInserter(table, columns, { upsertOn: keyColumns });
        for (const row of rows) upsert(row);
      } catch (err) {
        throw dialect.translateError(err);
      }
      return;
    }
    if (dialect.backend === 'postgres') {
      return unnestRows(conn, table, columns, lastPerKey(columns, keyColumns, rows), keyColumns);
    }
    throw new TypeError(`upsertRows: no bulk upsert path for ${dialect.backend}`);
  };
  if (db.isTransaction || (!dialect.rowInserter && rows.length <= UNNEST_ROWS)) await run(db);
  else await db.transaction().execute(run);
}

/** The update contract: the stored record must carry version expectedVersion + 1. */
export function assertNextVersion(kind: string, version: number, expectedVersion: number): void {
  if (version !== expectedVersion + 1) {
    throw new TypeError(
      `${kind} update: record version ${version} must be expectedVersion + 1 (${expectedVersion + 1})`,
    );
  }
}

/**
 * Turns an `update … where id = ? and version = ?` result into the contract's outcome: nothing
 * updated means the id is unknown (not_found) or someone else wrote first (version_conflict).
 */
export async function assertUpdated(
  result: UpdateResult,
  kind: string,
  id: string,
  exists: () => Promise<boolean>,
): Promise<void> {
  if (result.numUpdatedRows > 0n) return;
  if (await exists()) {
    throw new StorageError('version_conflict', `${kind} ${id} was changed by someone else`);
  }
  throw new StorageError('not_found', `${kind} ${id} does not exist`);
}

export const toJson = (value: unknown): string => JSON.stringify(value);
export const fromJson = <T>(text: string): T => JSON.parse(text) as T;
