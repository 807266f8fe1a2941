/**
 * The few places where the SQL differs between SQLite and PostgreSQL, and nothing else: the
 * case-insensitive substring match, the JSON label match, the shape of bulk INSERTs (unnest
 * of one array per column on PostgreSQL, a prepared single-row statement on SQLite), and the translation of driver
 * errors into StorageError. Everything else (upserts included: both speak `ON CONFLICT … DO
 * NOTHING`, which Kysely's onConflict emits) is one Kysely query for both backends.
 */
import { type Expression, type SqlBool, type SqliteDatabase, sql } from 'kysely';
import { StorageError } from '../storage-errors.js';
import type { StoreBackend } from '../storage-types.js';

export interface SqlDialect {
  readonly backend: StoreBackend;
  /**
   * Most bind parameters one statement may carry: SQLite's SQLITE_MAX_VARIABLE_NUMBER is 32766
   * (since 3.32), PostgreSQL's wire protocol counts parameters in an int16 (65535).
   */
  readonly maxBindParams: number;
  /**
   * Rows per multi-row INSERT in createMany, below what the bind limit allows. PostgreSQL pays a
   * network round-trip per statement, so it gets big ones; SQLite bulk-inserts through
   * rowInserter instead and only falls back to this when that hook is absent.
   */
  readonly maxRowsPerInsert: number;
  /** The n-th (1-based) bind placeholder in hand-built SQL. */
  placeholder(n: number): string;
  /** `column` contains `needle`, ignoring case (LIKE metacharacters in needle are matched literally). */
  containsIgnoringCase(column: string, needle: string): Expression<SqlBool>;
  /** The JSON object in TEXT `column` has `key` set to the string `value`. */
  labelEquals(column: string, key: string, value: string): Expression<SqlBool>;
  /** Maps a driver error to StorageError; returns anything it does not recognise unchanged. */
  translateError(err: unknown): unknown;
  /**
   * SQLite only: an inserter running one prepared single-row INSERT per call, straight on the
   * in-process connection. The caller must be inside the Kysely transaction that holds that (only)
   * connection. Measured ~35% faster than multi-row VALUES for edges (bench/store-bench.ts): with no
   * network round-trip to save, SQLite's VALUES co-routine is pure overhead, and running through
   * Kysely's executeQuery per row would add ~15 µs a row. Row by row, a caller can make each row
   * just before inserting it (the audit chain does), so no batch of row arrays is ever held.
   * With `ignoreConflictOn` a row whose key exists is skipped (`on conflict (…) do nothing`); the
   * inserter returns whether the row was written. With `upsertOn` such a row's other columns are
   * replaced instead (`on conflict (…) do update`).
   */
  rowInserter?(
    table: string,
    columns: readonly string[],
    options?: { ignoreConflictOn?: readonly string[]; upsertOn?: readonly string[] },
  ): (row: readonly unknown[]) => boolean;
}

/** `%needle%` with LIKE's metacharacters escaped by backslash (the queries say ESCAPE '\'). */
const likePattern = (needle: string): string => `%${needle.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export const sqliteDialect: SqlDialect = {
  backend: 'sqlite',
  maxBindParams: 32766,
  maxRowsPerInsert: 100,
  placeholder: () => '?',
  // SQLite's LIKE already ignores case, for ASCII letters only (no ICU in better-sqlite3's build).
  containsIgnoringCase: (column, needle) =>
    sql<SqlBool>`${sql.ref(column)} like ${likePattern(needle)} escape '\\'`,
  // json_each instead of json_extract(col, '$.key'): the key is bound as a value, so keys holding
  // dots or quotes need no path escaping.
  labelEquals: (column, key, value) =>
    sql<SqlBool>`exists (select 1 from json_each(${sql.ref(column)}) as l where l.key = ${key} and l.value = ${value})`,
  translateError: translateSqliteError,
};

const quoted = (names: readonly string[]): string => names.map((c) => `"${c}"`).join(',');

/**
 * The SQLite dialect bound to its connection, for rowInserter. `db` is the connection's
 * statement-caching wrapper (sqlite-connection.ts), so each shape is prepared once.
 */
export function sqliteDialectFor(db: SqliteDatabase): SqlDialect {
  return {
    ...sqliteDialect,
    rowInserter(table, columns, options) {
      const conflict = options?.ignoreConflictOn;
      const upsert = options?.upsertOn;
      const updates =
        upsert && columns.filter((c) => !upsert.includes(c)).map((c) => `"${c}" = excluded."${c}"`);
      const stmt = db.prepare(
        `insert into "${table}" (${quoted(columns)}) values (${columns.map(() => '?').join(',')})` +
          (conflict ? ` on conflict (${quoted(conflict)}) do nothing` : '') +
          (upsert && updates ? ` on conflict (${quoted(upsert)}) do update set ${updates.join(',')}` : ''),
      );
      return (row) => stmt.run(row).changes > 0;
    },
  };
}

export const postgresDialect: SqlDialect = {
  backend: 'postgres',
  maxBindParams: 65535,
  maxRowsPerInsert: 1000,
  placeholder: (n) => `$${n}`,
  containsIgnoringCase: (column, needle) =>
    sql<SqlBool>`${sql.ref(column)} ilike ${likePattern(needle)} escape '\\'`,
  labelEquals: (column, key, value) => sql<SqlBool>`(${sql.ref(column)}::jsonb ->> ${key}) = ${value}`,
  translateError: translatePostgresError,
};

const errorCode = (err: unknown): string | undefined => {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
};

const passThrough = (err: unknown): boolean => err instanceof StorageError || !(err instanceof Error);

function translateSqliteError(err: unknown): unknown {
  if (passThrough(err)) return err;
  const code = errorCode(err) ?? '';
  const message = (err as Error).message;
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    return new StorageError('conflict', `unique key already taken: ${message}`, { cause: err });
  }
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
    return new StorageError('invalid_reference', message, { cause: err });
  }
  if (
    /^SQLITE_(BUSY|LOCKED|CANTOPEN|IOERR|FULL|READONLY|NOTADB|CORRUPT)/.test(code) ||
    /database connection is not open/i.test(message)
  ) {
    return new StorageError('unavailable', `SQLite unavailable: ${message}`, { cause: err });
  }
  return err;
}

/** Node socket errors that mean "cannot reach the server". */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'EAI_AGAIN',
]);
const PG_UNAVAILABLE_MESSAGES =
  /connection terminated|timeout exceeded when trying to connect|pool after calling end|connection error|not queryable/i;

function translatePostgresError(err: unknown): unknown {
  if (passThrough(err)) return err;
  const code = errorCode(err) ?? '';
  const message = (err as Error).message;
  if (code === '23505') {
    return new StorageError('conflict', `unique key already taken: ${message}`, { cause: err });
  }
  if (code === '23503') return new StorageError('invalid_reference', message, { cause: err });
  // Class 08 connection exception, 53 insufficient resources, 57P0x shutdown/cannot connect now,
  // 40001/40P01 serialization failure and deadlock: all transient, the caller may retry.
  const transient =
    code.startsWith('08') ||
    code.startsWith('53') ||
    /^57P0[1-4]$/.test(code) ||
    code === '40001' ||
    code === '40P01';
  const network =
    NETWORK_CODES.has(code) ||
    (err instanceof AggregateError && err.errors.some((e) => NETWORK_CODES.has(errorCode(e) ?? '')));
  if (transient || network || PG_UNAVAILABLE_MESSAGES.test(message)) {
    return new StorageError('unavailable', `PostgreSQL unavailable: ${message || code}`, { cause: err });
  }
  return err;
}
