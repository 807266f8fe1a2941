/** AuditSinkStore over Kysely: each export sink's delivery cursor and its dead letters. */
import type { Kysely } from 'kysely';
import type { AuditDeadLetter, AuditSinkStore } from '../../storage-types.js';
import type { Database } from '../sql-database.js';

export class AuditSinkSqlStore implements AuditSinkStore {
  constructor(private readonly db: Kysely<Database>) {}

  async cursor(sink: string): Promise<number> {
    const row = await this.db
      .selectFrom('audit_sink_cursors')
      .select('seq')
      .where('sink', '=', sink)
      .executeTakeFirst();
    return row ? Number(row.seq) : 0;
  }

  async setCursor(sink: string, seq: number, at: string): Promise<void> {
    await this.db
      .insertInto('audit_sink_cursors')
      .values({ sink, seq, updated_at: at })
      .onConflict((oc) => oc.column('sink').doUpdateSet({ seq, updated_at: at }))
      .execute();
  }

  async minCursor(): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('audit_sink_cursors')
      .select((eb) => eb.fn.min<number>('seq').as('seq'))
      .executeTakeFirst();
    return row?.seq === null || row?.seq === undefined ? undefined : Number(row.seq);
  }

  async deadLetter(l: Omit<AuditDeadLetter, 'id'>): Promise<void> {
    await this.db
      .insertInto('audit_dead_letters')
      .values({
        sink: l.sink,
        from_seq: l.fromSeq,
        to_seq: l.toSeq,
        attempts: l.attempts,
        error: l.error,
        time: l.time,
      })
      .execute();
  }

  async deadLetters(sink: string): Promise<AuditDeadLetter[]> {
    const rows = await this.db
      .selectFrom('audit_dead_letters')
      .selectAll()
      .where('sink', '=', sink)
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      id: Number(r.id),
      sink: r.sink,
      fromSeq: Number(r.from_seq),
      toSeq: Number(r.to_seq),
      attempts: r.attempts,
      error: r.error,
      time: r.time,
    }));
  }
}
