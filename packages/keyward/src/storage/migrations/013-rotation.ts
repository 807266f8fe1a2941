/**
 * Migration 13: credential rotation (src/lifecycle/rotation.ts).
 *
 * - rotation_schedules: a period in days per subject (identity, identity kind, API key name,
 *   signing key).
 * - rotations: one row per rotation with its persisted state (waiting → pending → overlapping →
 *   done; a PostgreSQL password: pending → applying → done), so a step interrupted by a restart
 *   resumes; candidate_sealed holds a new password (sealed) until it is stored; proposal is JSON text.
 */
import type { Kysely } from 'kysely';
import type { Migration } from './migration.js';

async function up(db: Kysely<unknown>): Promise<void> {
  const s = db.schema;
  await s
    .createTable('rotation_schedules')
    .addColumn('subject', 'text', (c) => c.primaryKey())
    .addColumn('period_days', 'integer', (c) => c.notNull())
    .addColumn('set_by', 'text', (c) => c.notNull())
    .addColumn('set_at', 'text', (c) => c.notNull())
    .execute();

  await s
    .createTable('rotations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('old_ref', 'text')
    .addColumn('new_ref', 'text')
    .addColumn('overlap_seconds', 'integer', (c) => c.notNull())
    .addColumn('overlap_until', 'text')
    .addColumn('candidate_sealed', 'text')
    .addColumn('proposal', 'text')
    .addColumn('proposal_state', 'text')
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await s.createIndex('rotations_state_idx').on('rotations').columns(['state', 'target']).execute();
}

export const rotation: Migration = { version: 13, name: 'rotation', up };
