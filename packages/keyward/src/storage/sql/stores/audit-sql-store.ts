/**
 * AuditStore over Kysely: the append-only audit log. `seq` comes from the database (SQLite
 * AUTOINCREMENT, PostgreSQL bigserial), so it increases with every append. Readers page by seq.
 */
import type { Kysely } from 'kysely';
import type { AuditEvent, AuditEventInput, AuditStore } from '../../storage-types.js';
import type { AuditEventRow, Database } from '../sql-database.js';
import type { SqlDialect } from '../sql-dialect.js';
import { clampLimit } from '../sql-paging.js';
import { fromJson, insertRows, toJson } from '../sql-writes.js';

const COLUMNS = ['id', 'time', 'actor', 'type', 'target_id', 'outcome', 'details'] as const;

type StoredRow = Omit<AuditEventRow, 'seq'> & { seq: number };

const fromRow = (r: StoredRow): AuditEvent => ({
  id: r.id,
  seq: Number(r.seq),
  time: r.time,
  actor: r.actor,
  type: r.type,
  targetId: r.target_id,
  outcome: r.outcome as AuditEvent['outcome'],
  details: fromJson<Record<string, unknown>>(r.details),
});

const toValues = (e: AuditEventInput): unknown[] => [
  e.id,
  e.time,
  e.actor,
  e.type,
  e.targetId,
  e.outcome,
  toJson(e.details),
];

export class AuditSqlStore implements AuditStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: SqlDialect,
  ) {}

  async append(event: AuditEventInput): Promise<AuditEvent> {
    const row = await this.db
      .insertInto('audit_events')
      .values({
        id: event.id,
        time: event.time,
        actor: event.actor,
        type: event.type,
        target_id: event.targetId,
        outcome: event.outcome,
        details: toJson(event.details),
      })
      .returning('seq')
      .executeTakeFirstOrThrow();
    return { ...event, seq: Number(row.seq) };
  }

  appendMany(events: AuditEventInput[]): Promise<void> {
    // Rows are inserted in array order, so seq follows the order of `events`.
    return insertRows(this.db, this.dialect, 'audit_events', COLUMNS, events.map(toValues));
  }

  async list(
    filter: { targetId?: string; type?: string; afterSeq?: number },
    limit: number,
  ): Promise<AuditEvent[]> {
    let q = this.db.selectFrom('audit_events').selectAll();
    if (filter.afterSeq !== undefined) q = q.where('seq', '>', filter.afterSeq);
    if (filter.targetId !== undefined) q = q.where('target_id', '=', filter.targetId);
    if (filter.type !== undefined) q = q.where('type', '=', filter.type);
    const rows = await q.orderBy('seq').limit(clampLimit(limit)).execute();
    return rows.map(fromRow);
  }
}
