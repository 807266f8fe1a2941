/**
 * Write paths shared by the role stores: the bulk INSERT behind every createMany, and
 * the optimistic-concurrency check behind every update.
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
 * Inserts `rows` (each in the order of `columns`): on SQLite through the dialect's direct
 * prepared-statement path, elsewhere with multi-row INSERTs sized to the bind-parameter limit.
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
    for (const chunk of chunks(rows, perStatement)) {
      await conn.executeQuery(
        CompiledQuery.raw(insertSql(dialect, table, columns, chunk.length), chunk.flat()),
      );
    }
  };
  const oneStatement = !dialect.rowInserter && rows.length <= perStatement;
  if (db.isTransaction || oneStatement) {
    await run(db); // a single statement is atomic on its own
  } else {
    await db.transaction().execute(run);
  }
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
