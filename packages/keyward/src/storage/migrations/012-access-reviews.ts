/**
 * Migration 12: access reviews (src/lifecycle/access-reviews.ts).
 *
 * - access_review_campaigns: one per campaign; scope and summary are JSON text.
 * - access_review_items: the campaign's snapshot, one row per (campaign, identity): who must attest
 *   it, the decision once made and what became of the identity. The primary key makes the snapshot
 *   and every decision once-only.
 */
import type { Kysely } from 'kysely';
import type { Migration } from './migration.js';

async function up(db: Kysely<unknown>): Promise<void> {
  const s = db.schema;
  await s
    .createTable('access_review_campaigns')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('deadline', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .addColumn('summary', 'text')
    .execute();
  await s
    .createIndex('access_review_campaigns_open_idx')
    .on('access_review_campaigns')
    .columns(['state', 'deadline'])
    .execute();

  await s
    .createTable('access_review_items')
    .addColumn('campaign_id', 'text', (c) => c.notNull())
    .addColumn('identity_id', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text')
    .addColumn('decision', 'text')
    .addColumn('note', 'text')
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('outcome', 'text')
    .addPrimaryKeyConstraint('access_review_items_pk', ['campaign_id', 'identity_id'])
    .execute();
}

export const accessReviews: Migration = { version: 12, name: 'access reviews', up };
