/** AuditCheckpointStore over Kysely: signed (seq, hash, time) statements about the audit chain. */
import type { Kysely } from 'kysely';
import type { AuditCheckpoint, CheckpointKind } from '../../../audit/audit-types.js';
import type { AuditCheckpointStore } from '../../storage-types.js';
import type { AuditCheckpointRow, Database } from '../sql-database.js';

type Stored = Omit<AuditCheckpointRow, 'id'> & { id: number };

const fromRow = (r: Stored): AuditCheckpoint => ({
  id: Number(r.id),
  seq: Number(r.seq),
  hash: r.hash,
  time: r.time,
  kind: r.kind as CheckpointKind,
  kid: r.kid,
  jws: r.jws,
});

export class AuditCheckpointSqlStore implements AuditCheckpointStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(c: Omit<AuditCheckpoint, 'id'>): Promise<AuditCheckpoint> {
    const row = await this.db
      .insertInto('audit_checkpoints')
      .values({ seq: c.seq, hash: c.hash, time: c.time, kind: c.kind, kid: c.kid, jws: c.jws })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { ...c, id: Number(row.id) };
  }

  async list(): Promise<AuditCheckpoint[]> {
    const rows = await this.db
      .selectFrom('audit_checkpoints')
      .selectAll()
      .orderBy('seq')
      .orderBy('id')
      .execute();
    return rows.map(fromRow);
  }

  async latest(kind?: CheckpointKind): Promise<AuditCheckpoint | undefined> {
    let q = this.db.selectFrom('audit_checkpoints').selectAll();
    if (kind !== undefined) q = q.where('kind', '=', kind);
    const row = await q.orderBy('seq', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
    return row ? fromRow(row) : undefined;
  }
}
