/**
 * Migration 6: Cedar policy versions (who, when, why, and the full policy files of each version)
 * and the pointer to the active one. Versions are immutable; apply and rollback each add a version
 * and move the pointer, so the table is the complete history.
 */
import type { Kysely } from 'kysely';
import type { Migration } from './migration.js';

async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('policy_versions')
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('files', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('restored_from', 'integer')
    .addColumn('replaces', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('policy_state')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('active_version', 'integer', (c) => c.notNull())
    .execute();
}

export const policyVersions: Migration = { version: 6, name: 'policy-versions', up };
