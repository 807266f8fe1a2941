/**
 * Migration 2: Keyward's signing keys, identities' registered public keys, used client-assertion
 * ids (replay protection) and trusted federation issuers.
 */
import { type Kysely, sql } from 'kysely';
import type { SqlDialect } from '../sql/sql-dialect.js';
import type { Migration } from './migration.js';

async function up(db: Kysely<unknown>, _dialect: SqlDialect): Promise<void> {
  const s = db.schema;

  await s
    .createTable('signing_keys')
    .addColumn('kid', 'text', (c) => c.primaryKey())
    .addColumn('alg', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('active', 'retired')`))
    .addColumn('public_jwk', 'text', (c) => c.notNull())
    .addColumn('private_key_sealed', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('retired_at', 'text')
    .execute();
  // At most one active key: replicas racing on first start or on rotation cannot both win.
  // Both SQLite and PostgreSQL support partial unique indexes with this exact syntax.
  await sql`create unique index signing_keys_one_active on signing_keys (status) where status = 'active'`.execute(
    db,
  );

  await s
    .createTable('identity_keys')
    .addColumn('identity_id', 'text', (c) => c.notNull())
    .addColumn('kid', 'text', (c) => c.notNull())
    .addColumn('thumbprint', 'text', (c) => c.notNull())
    .addColumn('public_jwk', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('identity_keys_pkey', ['identity_id', 'kid'])
    .addUniqueConstraint('identity_keys_thumbprint_key', ['identity_id', 'thumbprint'])
    .execute();

  await s
    .createTable('used_jtis')
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('jti', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('used_jtis_pkey', ['issuer', 'jti'])
    .execute();
  await s.createIndex('used_jtis_expires_idx').on('used_jtis').column('expires_at').execute();

  await s
    .createTable('federation_issuers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('issuer', 'text', (c) => c.notNull().unique())
    .addColumn('jwks_uri', 'text')
    .addColumn('jwks', 'text')
    .addColumn('audiences', 'text', (c) => c.notNull())
    .addColumn('algorithms', 'text', (c) => c.notNull())
    .addColumn('rules', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
}

export const keysAndWorkloadAuth: Migration = { version: 2, name: 'keys-and-workload-auth', up };
