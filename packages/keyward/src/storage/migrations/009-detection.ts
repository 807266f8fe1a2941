/**
 * Migration 9: detection and the persistent audit checkpoint key.
 *
 * - audit_checkpoint_keys: Ed25519 keys that sign audit checkpoints. The private half is sealed under
 *   the master key; retired keys keep their public half so old checkpoints still verify after a
 *   rotation or a restart.
 * - detection_baselines: one compact behavioural baseline per identity (JSON), so a restart does not
 *   forget what normal looks like.
 * - alerts: behavioural alerts with their lifecycle (open → acknowledged → resolved).
 * Versions 6–8 belong to changes written in parallel; the runner accepts the gap.
 */
import type { Kysely } from 'kysely';
import type { Migration } from './migration.js';

async function up(db: Kysely<unknown>): Promise<void> {
  const s = db.schema;
  await s
    .createTable('audit_checkpoint_keys')
    .addColumn('kid', 'text', (c) => c.primaryKey())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('public_jwk', 'text', (c) => c.notNull())
    .addColumn('private_key_sealed', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('retired_at', 'text')
    .execute();
  // At most one active key, enforced by the database (two replicas starting at once).
  await s
    .createIndex('audit_checkpoint_keys_one_active')
    .unique()
    .on('audit_checkpoint_keys')
    .column('status')
    .where('status', '=', 'active')
    .execute();

  await s
    .createTable('detection_baselines')
    .addColumn('identity_id', 'text', (c) => c.primaryKey())
    .addColumn('baseline', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await s
    .createTable('alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('identity_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('explanation', 'text', (c) => c.notNull())
    .addColumn('baseline', 'text', (c) => c.notNull())
    .addColumn('observed', 'text', (c) => c.notNull())
    .addColumn('event_ids', 'text', (c) => c.notNull())
    .addColumn('event_count', 'integer', (c) => c.notNull())
    .addColumn('first_seen_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('acknowledged_by', 'text')
    .addColumn('acknowledged_at', 'text')
    .addColumn('resolved_by', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('note', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await s.createIndex('alerts_status_idx').on('alerts').columns(['status', 'id']).execute();
  await s.createIndex('alerts_identity_idx').on('alerts').columns(['identity_id', 'kind', 'id']).execute();
}

export const detection: Migration = { version: 9, name: 'detection', up };
