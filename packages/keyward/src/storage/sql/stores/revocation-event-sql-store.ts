/**
 * RevocationEventStore over Kysely. On PostgreSQL, bigserial values are handed out at insert but
 * become visible at commit, possibly out of order; a feed reader paging by seq could then skip a
 * late-committing lower seq for good. A transaction-scoped advisory lock taken before the insert
 * serializes appends, so seq order is commit order. Revocations are rare: the lock costs nothing.
 * The NOTIFY is sent inside the transaction, which PostgreSQL delivers only if and when it commits.
 */
import { type Kysely, sql } from 'kysely';
import type { RevocationEvent, RevocationEventStore, RevocationKind } from '../../storage-types.js';
import type { Database, RevocationEventRow } from '../sql-database.js';
import type { SqlDialect } from '../sql-dialect.js';
import { clampLimit } from '../sql-paging.js';

/** The NOTIFY channel replicas LISTEN on; the payload is the new seq. */
export const REVOCATION_CHANNEL = 'keyward_revocations';
/** Arbitrary constant naming the advisory lock (ASCII "kwrv"). */
const APPEND_LOCK = 0x6b777276;

type StoredRow = Omit<RevocationEventRow, 'seq'> & { seq: number };

const fromRow = (r: StoredRow): RevocationEvent => ({
  seq: Number(r.seq),
  id: r.id,
  kind: r.kind as RevocationKind,
  subjectId: r.subject_id,
  reason: r.reason,
  set: r.set_jwt,
  createdAt: r.created_at,
});

export class RevocationEventSqlStore implements RevocationEventStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: SqlDialect,
  ) {}

  async append(event: Omit<RevocationEvent, 'seq'>): Promise<RevocationEvent> {
    const postgres = this.dialect.backend === 'postgres';
    if (postgres) await sql`select pg_advisory_xact_lock(${APPEND_LOCK})`.execute(this.db);
    const row = await this.db
      .insertInto('revocation_events')
      .values({
        id: event.id,
        kind: event.kind,
        subject_id: event.subjectId,
        reason: event.reason,
        set_jwt: event.set,
        created_at: event.createdAt,
      })
      .returning('seq')
      .executeTakeFirstOrThrow();
    const seq = Number(row.seq);
    if (postgres) await sql`select pg_notify(${REVOCATION_CHANNEL}, ${String(seq)})`.execute(this.db);
    return { ...event, seq };
  }

  async listAfter(afterSeq: number, limit: number): Promise<RevocationEvent[]> {
    const rows = await this.db
      .selectFrom('revocation_events')
      .selectAll()
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(clampLimit(limit))
      .execute();
    return rows.map(fromRow);
  }

  async lastSeq(): Promise<number> {
    const row = await this.db
      .selectFrom('revocation_events')
      .select((eb) => eb.fn.max('seq').as('m'))
      .executeTakeFirst();
    return Number(row?.m ?? 0);
  }
}
