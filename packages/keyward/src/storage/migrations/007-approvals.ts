/**
 * Migration 7: step-up approvals. One row per approval request, bound to the exact request
 * (principal, action, resource, arguments hash). Version 6 belongs to a change written in parallel
 * (the policy store); the runner accepts the gap.
 */
import type { Kysely } from 'kysely';
import type { Migration } from './migration.js';

async function up(db: Kysely<unknown>): Promise<void> {
  const s = db.schema;
  await s
    .createTable('approvals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('principal', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('resource', 'text', (c) => c.notNull())
    .addColumn('arguments_hash', 'text', (c) => c.notNull())
    .addColumn('requester_id', 'text', (c) => c.notNull())
    .addColumn('task_id', 'text')
    .addColumn('approver_ids', 'text', (c) => c.notNull())
    .addColumn('policy_ids', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('delegation_chain', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('comment', 'text')
    .execute();
  // The gate looks approvals up by their binding on every approval-lifted decision.
  await s
    .createIndex('approvals_binding_idx')
    .on('approvals')
    .columns(['principal', 'action', 'resource', 'arguments_hash', 'status'])
    .execute();
  await s.createIndex('approvals_due_idx').on('approvals').columns(['status', 'expires_at']).execute();
  await s.createIndex('approvals_requester_idx').on('approvals').columns(['requester_id', 'id']).execute();
}

export const approvals: Migration = { version: 7, name: 'approvals', up };
