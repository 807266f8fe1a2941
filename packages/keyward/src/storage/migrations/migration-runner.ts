/**
 * Applies pending migrations in one transaction and records them in keyward_migrations.
 *
 * Concurrency: several processes may start against the same database at once. On PostgreSQL the
 * transaction first takes a transaction-scoped advisory lock, so the second migrator waits, then
 * sees the versions the first one recorded and applies nothing. On SQLite `BEGIN IMMEDIATE` takes
 * the database's write lock up front (waiting up to busy_timeout), which serialises migrators the
 * same way. DDL is transactional on both, so a failed migration leaves nothing behind.
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../sql/sql-database.js';
import type { SqlDialect } from '../sql/sql-dialect.js';
import type { Migration } from './migration.js';
import { MIGRATIONS } from './migrations.js';

/** Arbitrary constant naming "Keyward schema migration" among the database's advisory locks. */
const PG_MIGRATION_LOCK = 0x4b57_444d;

export async function runMigrations(
  db: Kysely<Database>,
  dialect: SqlDialect,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number[]> {
  return db.connection().execute(async (conn) => {
    await sql.raw(dialect.backend === 'sqlite' ? 'begin immediate' : 'begin').execute(conn);
    try {
      if (dialect.backend === 'postgres') {
        await sql`select pg_advisory_xact_lock(${PG_MIGRATION_LOCK})`.execute(conn);
      }
      await conn.schema
        .createTable('keyward_migrations')
        .ifNotExists()
        .addColumn('version', 'integer', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('applied_at', 'text', (c) => c.notNull())
        .execute();
      const done = new Set(
        (await conn.selectFrom('keyward_migrations').select('version').execute()).map((r) =>
          Number(r.version),
        ),
      );
      const applied: number[] = [];
      for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
        if (done.has(m.version)) continue;
        await m.up(conn as unknown as Kysely<unknown>, dialect);
        await conn
          .insertInto('keyward_migrations')
          .values({ version: m.version, name: m.name, applied_at: new Date().toISOString() })
          .execute();
        applied.push(m.version);
      }
      await sql.raw('commit').execute(conn);
      return applied;
    } catch (err) {
      await sql
        .raw('rollback')
        .execute(conn)
        .catch(() => {});
      throw err;
    }
  });
}
