/** The shape of one schema migration. Migrations are append-only: never edit a released one. */
import type { Kysely } from 'kysely';
import type { SqlDialect } from '../sql/sql-dialect.js';

export interface Migration {
  /** Strictly increasing (gaps allowed); recorded in keyward_migrations once applied. */
  version: number;
  name: string;
  /**
   * Applies the change inside the runner's transaction. Typed against `unknown` rather than the
   * current Database: a migration must keep describing the schema as it was when it was written.
   */
  up(db: Kysely<unknown>, dialect: SqlDialect): Promise<void>;
}
