/**
 * Migration 1: every table of the first release.
 *
 * Secondary indexes are composite `(filter column, id)`: a filtered list is `where col = ? and
 * id > cursor order by id limit n`, which such an index answers without a sort.
 */
import { type Kysely, sql } from 'kysely';
import type { SqlDialect } from '../sql/sql-dialect.js';
import type { Migration } from './migration.js';

async function up(db: Kysely<unknown>, dialect: SqlDialect): Promise<void> {
  const s = db.schema;

  await s
    .createTable('identities')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text')
    .addColumn('purpose', 'text')
    .addColumn('environment', 'text', (c) => c.notNull())
    .addColumn('business_system', 'text')
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('origin_external_id', 'text')
    .addColumn('secret_locations', 'text', (c) => c.notNull())
    .addColumn('credential', 'text', (c) => c.notNull())
    .addColumn('review_date', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('labels', 'text', (c) => c.notNull())
    .addColumn('first_seen', 'text', (c) => c.notNull())
    .addColumn('last_seen', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  for (const col of ['kind', 'status', 'environment', 'owner_id', 'origin', 'business_system']) {
    await s.createIndex(`identities_${col}_idx`).on('identities').columns([col, 'id']).execute();
  }

  await s
    .createTable('humans')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().check(sql`active in (0, 1)`))
    .addColumn('title', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();

  await s
    .createTable('systems')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('sensitivity', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text')
    .addColumn('description', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();

  await s
    .createTable('resources')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('system_id', 'text')
    .addColumn('environment', 'text')
    .addColumn('sensitivity', 'text', (c) => c.notNull())
    .addColumn('labels', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  for (const col of ['kind', 'system_id', 'sensitivity', 'environment']) {
    await s.createIndex(`resources_${col}_idx`).on('resources').columns([col, 'id']).execute();
  }

  // Endpoints are not foreign keys: an edge may join any two node types (see EdgeStore).
  // The unique triple leads with from_id, so it is also the from_id index (one b-tree fewer to
  // maintain on every edge insert, the hot path of imports); to_id gets its own index.
  await s
    .createTable('edges')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('from_id', 'text', (c) => c.notNull())
    .addColumn('to_id', 'text', (c) => c.notNull())
    .addColumn('actions', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('edges_from_kind_to_key', ['from_id', 'kind', 'to_id'])
    .execute();
  await s.createIndex('edges_to_id_idx').on('edges').column('to_id').execute();

  await s
    .createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text')
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();

  // AUTOINCREMENT (not just INTEGER PRIMARY KEY) so SQLite never reuses a seq, like bigserial.
  await s
    .createTable('audit_events')
    .addColumn('seq', dialect.backend === 'postgres' ? 'bigserial' : 'integer', (c) =>
      dialect.backend === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('time', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .execute();
  await s.createIndex('audit_events_target_idx').on('audit_events').columns(['target_id', 'seq']).execute();
  await s.createIndex('audit_events_type_idx').on('audit_events').columns(['type', 'seq']).execute();
}

export const initial: Migration = { version: 1, name: 'initial', up };
