/**
 * Migration 5: tasks (agent + sponsor + intent + scopes + TTL), the access tokens issued for them
 * (jti and status only, never the token), and the append-only revocation event log behind the SET
 * feed. Version 4 belongs to a change written in parallel; the runner accepts the gap.
 */
import type { Kysely } from 'kysely';
import type { SqlDialect } from '../sql/sql-dialect.js';
import type { Migration } from './migration.js';

async function up(db: Kysely<unknown>, dialect: SqlDialect): Promise<void> {
  const s = db.schema;
  await s
    .createTable('tasks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('agent_id', 'text', (c) => c.notNull())
    .addColumn('sponsor_id', 'text', (c) => c.notNull())
    .addColumn('intent', 'text', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('environment', 'text', (c) => c.notNull())
    .addColumn('parent_task_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text')
    .addColumn('end_reason', 'text')
    .execute();
  // Cascades look tasks up by agent, sponsor and parent; the sweeper by status and expiry.
  for (const column of ['agent_id', 'sponsor_id', 'parent_task_id'] as const) {
    await s.createIndex(`tasks_${column}_idx`).on('tasks').columns([column, 'id']).execute();
  }
  await s.createIndex('tasks_due_idx').on('tasks').columns(['status', 'expires_at']).execute();

  await s
    .createTable('issued_tokens')
    .addColumn('jti', 'text', (c) => c.primaryKey())
    .addColumn('task_id', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();
  await s.createIndex('issued_tokens_expires_idx').on('issued_tokens').column('expires_at').execute();

  await s
    .createTable('revocation_events')
    .addColumn('seq', dialect.backend === 'postgres' ? 'bigserial' : 'integer', (c) =>
      dialect.backend === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('set_jwt', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export const tasksAndRevocation: Migration = { version: 5, name: 'tasks-and-revocation', up };
