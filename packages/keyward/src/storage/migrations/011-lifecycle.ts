/**
 * Migration 11: the lifecycle workflows (src/lifecycle).
 *
 * - scheduler_leases: one row per scheduled job; the replica whose lease is unexpired runs the job.
 * - offboarding_cases: one per departure of a human; a partial unique index keeps at most one open
 *   case per human, so two replicas cannot both start the same offboarding.
 * - expiry_notices: the (identity, end date) pairs already noticed, so each notice is sent once.
 */
import { type Kysely, sql } from 'kysely';
import type { Migration } from './migration.js';

async function up(db: Kysely<unknown>): Promise<void> {
  const s = db.schema;
  await s
    .createTable('scheduler_leases')
    .addColumn('job', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();

  await s
    .createTable('offboarding_cases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('human_id', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('grace_until', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .execute();
  await s
    .createIndex('offboarding_cases_one_open')
    .unique()
    .on('offboarding_cases')
    .column('human_id')
    .where(sql.ref('state'), '!=', 'closed')
    .execute();
  await s
    .createIndex('offboarding_cases_human_idx')
    .on('offboarding_cases')
    .columns(['human_id', 'id'])
    .execute();

  await s
    .createTable('expiry_notices')
    .addColumn('identity_id', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('expiry_notices_pk', ['identity_id', 'ends_at'])
    .execute();
}

export const lifecycle: Migration = { version: 11, name: 'lifecycle', up };
