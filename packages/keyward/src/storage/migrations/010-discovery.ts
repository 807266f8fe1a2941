/**
 * Migration 10: discovery.
 *
 * - discovery_refs: per (scope, feed, external id), the Keyward record an import made of a source
 *   record, so a re-import updates instead of duplicating and a record gone from its source is marked.
 * - credentials: access keys, tokens and deploy keys the importers found (hints and hashes, never secrets).
 * - findings: posture findings (a leaked secret is NHI2) with their lifecycle, deduplicated by dedup_key.
 * - discovery_runs: each import and scan with its summary.
 */
import type { Kysely } from 'kysely';
import type { Migration } from './migration.js';

async function up(db: Kysely<unknown>): Promise<void> {
  const s = db.schema;
  await s
    .createTable('discovery_refs')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('feed', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('node_type', 'text', (c) => c.notNull())
    .addColumn('node_id', 'text')
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('first_imported_at', 'text', (c) => c.notNull())
    .addColumn('last_imported_at', 'text', (c) => c.notNull())
    .addColumn('last_run_id', 'text', (c) => c.notNull())
    .addColumn('missing_since', 'text')
    .addPrimaryKeyConstraint('discovery_refs_pkey', ['scope', 'feed', 'external_id'])
    .execute();
  await s.createIndex('discovery_refs_node_idx').on('discovery_refs').column('node_id').execute();
  await s
    .createIndex('discovery_refs_external_idx')
    .on('discovery_refs')
    .columns(['external_id', 'scope'])
    .execute();

  await s
    .createTable('credentials')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('identity_id', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('hint', 'text')
    .addColumn('secret_sha256', 'text')
    .addColumn('created_at', 'text')
    .addColumn('last_rotated_at', 'text')
    .addColumn('last_used_at', 'text')
    .addColumn('expires_at', 'text')
    .addColumn('revoked_at', 'text')
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('first_seen', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addUniqueConstraint('credentials_scope_external_key', ['scope', 'external_id'])
    .execute();
  for (const col of ['identity_id', 'hint', 'secret_sha256', 'status']) {
    await s.createIndex(`credentials_${col}_idx`).on('credentials').columns([col, 'id']).execute();
  }

  await s
    .createTable('findings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('dedup_key', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('identity_id', 'text')
    .addColumn('credential_id', 'text')
    .addColumn('evidence', 'text', (c) => c.notNull())
    .addColumn('remedy', 'text', (c) => c.notNull())
    .addColumn('first_seen_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('resolved_at', 'text')
    .addColumn('resolution', 'text')
    .addColumn('accepted_until', 'text')
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  for (const col of ['status', 'identity_id', 'code', 'rule', 'credential_id']) {
    await s.createIndex(`findings_${col}_idx`).on('findings').columns([col, 'id']).execute();
  }

  await s
    .createTable('discovery_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('feed', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .execute();
}

export const discovery: Migration = { version: 10, name: 'discovery', up };
