/**
 * Creates the `pg` pool for a PostgreSQL URL and wraps it in Kysely. An optional schema isolates a
 * store (tests, benchmarks, several tenants in one database): it is created if missing and every
 * pooled connection gets it as its search_path, so the SQL never names a schema.
 */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './sql-database.js';
import { postgresDialect } from './sql-dialect.js';
import { withErrorTranslation } from './sql-translating-driver.js';

const INT8_OID = 20;
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export interface PostgresOptions {
  url: string;
  schema?: string | undefined;
  poolSize?: number | undefined;
}

export async function openPostgres(options: PostgresOptions): Promise<Kysely<Database>> {
  const { schema } = options;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new TypeError(`invalid PostgreSQL schema name ${JSON.stringify(schema)}`);
  }
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    // A down server must surface as StorageError('unavailable'), not as a request that hangs.
    connectionTimeoutMillis: 5000,
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
    // bigint (audit seq, count(*)) as number: exact up to 2^53, far beyond any row count here.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client losing its server emits 'error' on the pool, which would crash the process if
  // unhandled; the next query on the pool fails and is translated to 'unavailable' instead.
  pool.on('error', () => {});
  if (schema !== undefined) {
    try {
      await pool.query(`create schema if not exists "${schema}"`);
    } catch (err) {
      // Two processes creating the same schema at once: the loser sees 23505, and the schema exists.
      if ((err as { code?: unknown }).code === '23505') return kysely(pool);
      await pool.end().catch(() => {});
      throw postgresDialect.translateError(err);
    }
  }
  return kysely(pool);
}

const kysely = (pool: pg.Pool): Kysely<Database> =>
  new Kysely<Database>({
    dialect: withErrorTranslation(new PostgresDialect({ pool }), postgresDialect.translateError),
  });
