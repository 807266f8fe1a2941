/**
 * Migration 4: the tamper-evident audit trail (numbers 2 and 3 are reserved for work merged
 * separately; the runner applies whatever is not yet recorded, in version order, so gaps are fine).
 *
 * - audit_events gains the fields (delegation chain, action, task, policy ids, source) and the
 *   chain columns prev_hash/hash; existing events are renumbered 1..n in seq order (PostgreSQL's
 *   bigserial leaves gaps on rollback) and chained with the v1 serialization of audit/audit-hash.ts,
 *   hashing their stored JSON text as it is.
 * - audit_chain_head: one row (id 1) holding the last seq and hash; appenders lock it (PostgreSQL
 *   FOR UPDATE) so concurrent transactions extend one chain.
 * - audit_checkpoints: signed (seq, hash, time) statements; audit_sink_cursors and
 *   audit_dead_letters for the export sinks.
 */
import { type Kysely, sql } from 'kysely';
import { chainHash, GENESIS_HASH } from '../../audit/audit-hash.js';
import type { SqlDialect } from '../sql/sql-dialect.js';
import type { Migration } from './migration.js';

interface LegacyRow {
  seq: number;
  id: string;
  time: string;
  actor: string;
  type: string;
  target_id: string | null;
  outcome: string;
  details: string;
}

async function chainExisting(db: Kysely<unknown>): Promise<{ seq: number; hash: string }> {
  let prev = GENESIS_HASH;
  let next = 1;
  let after = 0;
  for (;;) {
    const { rows } = await sql<LegacyRow>`select seq, id, time, actor, type, target_id, outcome, details
      from audit_events where seq > ${after} order by seq limit 1000`.execute(db);
    if (rows.length === 0) break;
    for (const r of rows) {
      const hash = chainHash(
        {
          id: r.id,
          time: r.time,
          actor: r.actor,
          delegationChain: '[]',
          type: r.type,
          action: null,
          targetId: r.target_id,
          taskId: null,
          outcome: r.outcome,
          policyIds: '[]',
          source: null,
          details: r.details,
        },
        prev,
      );
      // Renumbering downwards in ascending order never collides with a seq still in use.
      await sql`update audit_events set seq = ${next}, prev_hash = ${prev}, hash = ${hash}
        where seq = ${Number(r.seq)}`.execute(db);
      prev = hash;
      next++;
    }
    after = Number(rows[rows.length - 1]!.seq);
  }
  return { seq: next - 1, hash: prev };
}

async function up(db: Kysely<unknown>, dialect: SqlDialect): Promise<void> {
  const s = db.schema;
  const auto = dialect.backend === 'postgres' ? 'bigserial' : 'integer';
  // SQLite's ALTER TABLE adds one column per statement.
  const add = [
    ['delegation_chain', `text not null default '[]'`],
    ['action', 'text'],
    ['task_id', 'text'],
    ['policy_ids', `text not null default '[]'`],
    ['source', 'text'],
    ['prev_hash', `text not null default ''`],
    ['hash', `text not null default ''`],
  ] as const;
  for (const [name, type] of add) {
    await sql.raw(`alter table audit_events add column ${name} ${type}`).execute(db);
  }
  const head = await chainExisting(db);
  // No index on hash: random keys make it the costliest b-tree on the append path, and it would only
  // speed up classifying a tampered log (findSeqByHash), which may scan.
  await s.createIndex('audit_events_actor_idx').on('audit_events').columns(['actor', 'seq']).execute();
  await s.createIndex('audit_events_task_idx').on('audit_events').columns(['task_id', 'seq']).execute();

  await s
    .createTable('audit_chain_head')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await sql`insert into audit_chain_head (id, seq, hash) values (1, ${head.seq}, ${head.hash})`.execute(db);

  await s
    .createTable('audit_checkpoints')
    .addColumn('id', auto, (c) =>
      dialect.backend === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('time', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('kid', 'text', (c) => c.notNull())
    .addColumn('jws', 'text', (c) => c.notNull())
    .execute();
  await s.createIndex('audit_checkpoints_seq_idx').on('audit_checkpoints').columns(['seq', 'id']).execute();

  await s
    .createTable('audit_sink_cursors')
    .addColumn('sink', 'text', (c) => c.primaryKey())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await s
    .createTable('audit_dead_letters')
    .addColumn('id', auto, (c) =>
      dialect.backend === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('sink', 'text', (c) => c.notNull())
    .addColumn('from_seq', 'bigint', (c) => c.notNull())
    .addColumn('to_seq', 'bigint', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('error', 'text', (c) => c.notNull())
    .addColumn('time', 'text', (c) => c.notNull())
    .execute();
}

export const auditChain: Migration = { version: 4, name: 'audit-chain', up };
