/**
 * AuditStore over Kysely: the append-only, hash-chained audit log. Appends lock the chain head row
 * (PostgreSQL `FOR UPDATE`; SQLite serializes writers anyway), assign seq = head + 1 …, link hashes
 * and move the head, all in the caller's transaction, so the lock is held until commit and seq order
 * is commit order. Readers page by seq. Committed appends are reported to `committed`.
 */
import { type Kysely, sql } from 'kysely';
import type { AuditEvent, AuditEventInput, AuditFilter } from '../../../audit/audit-types.js';
import type { AuditChainRow, AuditHead, AuditStore } from '../../storage-types.js';
import type { Database } from '../sql-database.js';
import type { SqlDialect } from '../sql-dialect.js';
import { clampLimit } from '../sql-paging.js';
import { insertRows } from '../sql-writes.js';
import { AUDIT_COLUMNS, chainEvents, fromAuditRow, toChainRow } from './audit-rows.js';

/** Where committed events go: straight to the listeners (no transaction) or to the transaction's list. */
export type AuditCommitSink = (events: AuditEvent[]) => void;

export class AuditSqlStore implements AuditStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: SqlDialect,
    private readonly committed: AuditCommitSink,
  ) {}

  async append(event: AuditEventInput): Promise<AuditEvent> {
    const [stored] = await this.appendMany([event]);
    return stored!;
  }

  async appendMany(inputs: AuditEventInput[]): Promise<AuditEvent[]> {
    if (inputs.length === 0) return [];
    if (!this.db.isTransaction) {
      const events = await this.db.transaction().execute((trx) => this.appendIn(trx, inputs));
      this.committed(events);
      return events;
    }
    const events = await this.appendIn(this.db, inputs);
    this.committed(events);
    return events;
  }

  private async appendIn(trx: Kysely<Database>, inputs: readonly AuditEventInput[]): Promise<AuditEvent[]> {
    const lock = this.dialect.backend === 'postgres' ? sql` for update` : sql``;
    const { rows: heads } =
      await sql<AuditHead>`select seq, hash from audit_chain_head where id = 1${lock}`.execute(trx);
    const head = heads[0];
    if (!head) throw new Error('audit_chain_head is missing: run the migrations');
    const chained = chainEvents({ seq: Number(head.seq), hash: head.hash }, inputs);
    await insertRows(trx, this.dialect, 'audit_events', AUDIT_COLUMNS, chained.rows);
    await trx
      .updateTable('audit_chain_head')
      .set({ seq: chained.head.seq, hash: chained.head.hash })
      .where('id', '=', 1)
      .execute();
    return chained.events;
  }

  async list(filter: AuditFilter, limit: number): Promise<AuditEvent[]> {
    let q = this.db.selectFrom('audit_events').selectAll();
    if (filter.afterSeq !== undefined) q = q.where('seq', '>', filter.afterSeq);
    if (filter.targetId !== undefined) q = q.where('target_id', '=', filter.targetId);
    if (filter.identityId !== undefined) {
      const id = filter.identityId;
      q = q.where((eb) => eb.or([eb('actor', '=', id), eb('target_id', '=', id)]));
    }
    if (filter.taskId !== undefined) q = q.where('task_id', '=', filter.taskId);
    if (filter.outcome !== undefined) q = q.where('outcome', '=', filter.outcome);
    if (filter.type !== undefined) q = q.where('type', '=', filter.type);
    if (filter.from !== undefined) q = q.where('time', '>=', filter.from);
    if (filter.to !== undefined) q = q.where('time', '<', filter.to);
    const rows = await q.orderBy('seq').limit(clampLimit(limit)).execute();
    return rows.map(fromAuditRow);
  }

  async head(): Promise<AuditHead> {
    const row = await this.db
      .selectFrom('audit_chain_head')
      .select(['seq', 'hash'])
      .where('id', '=', 1)
      .executeTakeFirstOrThrow();
    return { seq: Number(row.seq), hash: row.hash };
  }

  async firstSeq(): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('audit_events')
      .select('seq')
      .orderBy('seq')
      .limit(1)
      .executeTakeFirst();
    return row === undefined ? undefined : Number(row.seq);
  }

  async *scanChain(fromSeq: number, batchSize = 5000): AsyncIterable<AuditChainRow[]> {
    let from = fromSeq;
    for (;;) {
      const rows = await this.db
        .selectFrom('audit_events')
        .selectAll()
        .where('seq', '>=', from)
        .orderBy('seq')
        .limit(batchSize)
        .execute();
      if (rows.length === 0) return;
      yield rows.map(toChainRow);
      if (rows.length < batchSize) return;
      from = Number(rows[rows.length - 1]!.seq) + 1;
    }
  }

  /** Unindexed (a scan): only used to classify a log that already failed verification. */
  async findSeqByHash(hash: string): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('audit_events')
      .select('seq')
      .where('hash', '=', hash)
      .orderBy('seq')
      .limit(1)
      .executeTakeFirst();
    return row === undefined ? undefined : Number(row.seq);
  }

  async lastSeqBefore(time: string): Promise<number> {
    const first = await this.db
      .selectFrom('audit_events')
      .select('seq')
      .where('time', '>=', time)
      .orderBy('seq')
      .limit(1)
      .executeTakeFirst();
    if (first) return Number(first.seq) - 1;
    return (await this.head()).seq;
  }

  async deleteThrough(seq: number): Promise<number> {
    const result = await this.db.deleteFrom('audit_events').where('seq', '<=', seq).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
