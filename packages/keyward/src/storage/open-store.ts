/**
 * The storage entry point: opens a Store for a configured backend. Both backends are the same SQL
 * implementation (sql/), differing only in connection setup and the helpers of sql/sql-dialect.ts.
 */
import type { Kysely } from 'kysely';
import { openPostgres } from './sql/postgres-connection.js';
import type { Database } from './sql/sql-database.js';
import { postgresDialect } from './sql/sql-dialect.js';
import { SqlStore } from './sql/sql-store.js';
import { openSqlite } from './sql/sqlite-connection.js';
import type { Store } from './storage-types.js';

export type StoreConfig =
  | {
      backend: 'sqlite';
      /** Path of the database file, usually inside the caller's data directory (created if missing). */
      file: string;
      /** Apply pending migrations before returning. */
      migrate?: boolean | undefined;
    }
  | {
      backend: 'postgres';
      url: string;
      /** Schema to use (created if missing) instead of the URL's default search_path. */
      schema?: string | undefined;
      poolSize?: number | undefined;
      migrate?: boolean | undefined;
    };

export async function openStore(config: StoreConfig): Promise<Store> {
  let store: SqlStore;
  if (config.backend === 'sqlite') {
    const { db, dialect } = openSqlite(config.file);
    store = new SqlStore(
      db,
      dialect,
      config.file === ':memory:' ? undefined : { backend: 'sqlite', file: config.file },
    );
  } else {
    const db: Kysely<Database> = await openPostgres(config);
    store = new SqlStore(db, postgresDialect, {
      backend: 'postgres',
      url: config.url,
      schema: config.schema,
    });
  }
  if (config.migrate) {
    try {
      await store.migrate();
    } catch (err) {
      await store.close().catch(() => {});
      throw err;
    }
  }
  return store;
}
