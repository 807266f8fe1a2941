/** The shape of one schema migration. Migrations are append-only: never edit a released one. */
import type { Kysely } from 'kysely';
import type { SqlDialect } from '../sql/sql-dialect.js';

export interface Migration {
  /**
   * Strictly increasing and unique; gaps are allowed (a version may be reserved for a branch that
   * lands later: the runner applies every unrecorded version in order, whatever is already applied).
   * Recorded in keyward_migrations once applied.
   */
  version: number;
  name: string;
  /**
   * Applies the change inside the runner's transaction. Typed against `unknown` rather than the
   * current Database: a migration must keep describing the schema as it was when it was written.
   */
  up(db: Kysely<unknown>, dialect: SqlDialect): Promise<void>;
}
