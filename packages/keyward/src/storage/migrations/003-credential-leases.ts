/**
 * Migration 3: brokered PostgreSQL credentials — the databases Keyward issues credentials on (admin
 * password sealed) and the leases of the credentials it issued (never their passwords).
 *
 * Version 2 is reserved for a change being written in parallel; the runner applies whatever is not
 * yet recorded, in version order, so the gap is harmless.
 */
import type { Kysely } from 'kysely';
import type { SqlDialect } from '../sql/sql-dialect.js';
import type { Migration } from './migration.js';

async function up(db: Kysely<unknown>, _dialect: SqlDialect): Promise<void> {
  const s = db.schema;

  await s
    .createTable('brokered_databases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('admin_url', 'text', (c) => c.notNull())
    .addColumn('sealed_password', 'text')
    .addColumn('role_prefix', 'text', (c) => c.notNull())
    .addColumn('grants', 'text', (c) => c.notNull())
    .addColumn('max_ttl_seconds', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await s
    .createTable('credential_leases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('database_name', 'text', (c) => c.notNull())
    .addColumn('role_name', 'text', (c) => c.notNull())
    .addColumn('owner_ref', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('valid_until', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('revoked_at', 'text')
    .addColumn('next_attempt_at', 'text')
    .addColumn('claimed_at', 'text')
    .addUniqueConstraint('credential_leases_database_role_key', ['database_name', 'role_name'])
    .execute();
  // Lists filter by status or owner in id order; the sweeper looks for due work by status and time.
  await s
    .createIndex('credential_leases_status_idx')
    .on('credential_leases')
    .columns(['status', 'id'])
    .execute();
  await s
    .createIndex('credential_leases_owner_idx')
    .on('credential_leases')
    .columns(['owner_ref', 'id'])
    .execute();
  await s
    .createIndex('credential_leases_due_idx')
    .on('credential_leases')
    .columns(['status', 'valid_until'])
    .execute();
}

export const credentialLeases: Migration = { version: 3, name: 'credential-leases', up };
