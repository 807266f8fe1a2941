/**
 * AuditStore over Kysely: the append-only, hash-chained audit log. Appends lock the chain head row
 * (PostgreSQL `FOR UPDATE`; SQLite serializes writers anyway), assign seq = head + 1 …, link hashes
 * and move the head, all in the caller's transaction, so the lock is held until commit and seq order
 * is commit order. Readers page by seq. Committed appends are reported to `committed`.
 */
import { CompiledQuery, type Kysely, sql } from 'kysely';
import type { AuditEvent, AuditEventInput, AuditFilter } from '../../../audit/audit-types.js';
import type {
  AuditChainRow,
  AuditChainTextRow,
  AuditHead,
  AuditStore,
  DayCount,
} from '../../storage-types.js';
import type { Database } from '../sql-database.js';
import { countPerDay } from '../sql-day-counts.js';
import type { SqlDialect } from '../sql-dialect.js';
import { clampLimit } from '../sql-paging.js';
import { AUDIT_COLUMNS, chainEvents, fromAuditRow } from './audit-rows.js';

/**
 * The chain hash input of audit-hash.ts, concatenated by the database: strings JSON-quoted by the
 * database (json_quote / to_json), JSON columns as stored, nulls as `null`.
 */
function chainTextExpr(backend: 'sqlite' | 'postgres'): string {
  const q =
    backend === 'sqlite'
      ? (c: string) => `json_quote(${c})`
      : (c: string) => `coalesce(to_json(${c})::text, 'null')`;
  const parts = [
    q('id'),
    q('time'),
    q('actor'),
    'delegation_chain',
    q('type'),
    q('action'),
    q('target_id'),
    q('task_id'),
    q('outcome'),
    'policy_ids',
    "coalesce(source, 'null')",
    'details',
    q('prev_hash'),
  ];
  return `'["kw-audit-v1",' || ${parts.join(" || ',' || ")} || ']'`;
}

/**
 * The chain scan as plain SQL, for readers on other threads with connections of their own
 * (audit/chain-walk-parallel.ts): seq, prev_hash, hash and the hash input text of at most `limit`
 * events from seq `from` on, in seq order (bind parameters: from, limit). One lower bound only: the
 * caller caps `limit` at its range's end, because a two-sided range on a freshly filled table (no
 * statistics yet) led PostgreSQL to a bitmap scan and a sort of the whole rest of the range for
 * every batch (measured 67k events/s against 300k for this form).
 */
export function chainScanSql(backend: 'sqlite' | 'postgres'): string {
  const text = chainTextExpr(backend);
  const [a, b] = backend === 'sqlite' ? ['?', '?'] : ['$1', '$2'];
  return `select seq, prev_hash, hash, ${text} from audit_events where seq >= ${a} order by seq limit ${b}`;
}

const UNNEST_SQL = `insert into audit_events (${AUDIT_COLUMNS.join(',')}) select * from unnest(${AUDIT_COLUMNS.map(
  (c, i) => `$${i + 1}::${c === 'seq' ? 'bigint' : 'text'}[]`,
).join(',')})`;

/**
 * PostgreSQL: a whole batch as one INSERT … SELECT FROM unnest(one array per column): 15 bind
 * parameters whatever the batch size, so the server parses and plans one small statement instead of
 * a VALUES list of thousands of tuples (measured faster than multi-row VALUES for large batches).
 */
function unnestColumns(count: number): { columns: unknown[][]; onRow: (row: unknown[]) => void } {
  const columns: unknown[][] = AUDIT_COLUMNS.map(() => new Array(count));
  let r = 0;
  return {
    columns,
    onRow(row) {
      for (let c = 0; c < columns.length; c++) columns[c]![r] = row[c];
      r++;
    },
  };
}

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
    const from = { seq: Number(head.seq), hash: head.hash };
    let chained: ReturnType<typeof chainEvents>;
    if (this.dialect.rowInserter) {
      // SQLite: straight into the table as each row is chained (the transaction holds the connection).
      try {
        chained = chainEvents(from, inputs, this.dialect.rowInserter('audit_events', AUDIT_COLUMNS));
      } catch (err) {
        throw this.dialect.translateError(err);
      }
    } else {
      const unnest = unnestColumns(inputs.length);
      chained = chainEvents(from, inputs, unnest.onRow);
      await trx.executeQuery(CompiledQuery.raw(UNNEST_SQL, unnest.columns));
    }
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
    if (filter.beforeSeq !== undefined) q = q.where('seq', '<', filter.beforeSeq);
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
    const rows = await q
      .orderBy('seq', filter.newestFirst ? 'desc' : 'asc')
      .limit(clampLimit(limit))
      .execute();
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
      // Selected under the chain row's own names: the driver's row objects are used as they come,
      // with no second object per row (verification reads every event).
      const rows: AuditChainRow[] = await this.db
        .selectFrom('audit_events')
        .select([
          'seq',
          'id',
          'time',
          'actor',
          'delegation_chain as delegationChain',
          'type',
          'action',
          'target_id as targetId',
          'task_id as taskId',
          'outcome',
          'policy_ids as policyIds',
          'source',
          'details',
          'prev_hash as prevHash',
          'hash',
        ])
        .where('seq', '>=', from)
        .orderBy('seq')
        .limit(batchSize)
        .execute();
      if (rows.length === 0) return;
      yield rows;
      if (rows.length < batchSize) return;
      from = rows[rows.length - 1]!.seq + 1;
    }
  }

  async *scanChainText(fromSeq: number, batchSize = 10_000): AsyncIterable<AuditChainTextRow[]> {
    const text = sql.raw(chainTextExpr(this.dialect.backend));
    let from = fromSeq;
    for (;;) {
      const { rows } =
        await sql<AuditChainTextRow>`select seq, id, prev_hash as "prevHash", hash, ${text} as text
        from audit_events where seq >= ${from} order by seq limit ${batchSize}`.execute(this.db);
      if (rows.length === 0) return;
      yield rows;
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

  countPerDay(types: readonly string[], since: string): Promise<DayCount[]> {
    if (types.length === 0) return Promise.resolve([]);
    return countPerDay(this.db, 'audit_events', 'time', since, sql`type in (${sql.join([...types])})`);
  }
}
