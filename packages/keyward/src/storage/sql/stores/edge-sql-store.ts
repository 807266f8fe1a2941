/** EdgeStore over Kysely: the edges table of the lineage graph, unique per (kind, from, to). */
import type { Edge, EdgeFilter, EdgeKind, Page, PageRequest } from '@keyward/sdk';
import type { Kysely } from 'kysely';
import { ID_PREFIX } from '../../../ids.js';
import type { EdgeStore } from '../../storage-types.js';
import type { Database, EdgeRow } from '../sql-database.js';
import type { SqlDialect } from '../sql-dialect.js';
import { chunks, clampLimit, keysetScan, readCursor, toPage } from '../sql-paging.js';
import { fromJson, insertRows, toJson } from '../sql-writes.js';

const COLUMNS = ['id', 'kind', 'from_id', 'to_id', 'actions', 'created_at'] as const satisfies ReadonlyArray<
  keyof EdgeRow
>;

const toRow = (e: Edge): EdgeRow => ({
  id: e.id,
  kind: e.kind,
  from_id: e.fromId,
  to_id: e.toId,
  actions: toJson(e.actions),
  created_at: e.createdAt,
});

const fromRow = (r: EdgeRow): Edge => ({
  id: r.id,
  kind: r.kind as EdgeKind,
  fromId: r.from_id,
  toId: r.to_id,
  actions: fromJson<string[]>(r.actions),
  createdAt: r.created_at,
});

export class EdgeSqlStore implements EdgeStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: SqlDialect,
  ) {}

  async create(edge: Edge): Promise<void> {
    await this.db.insertInto('edges').values(toRow(edge)).execute();
  }

  createMany(edges: Edge[]): Promise<void> {
    // Positional values straight from the record: this is the largest bulk path of an import.
    const rows = edges.map((e) => [e.id, e.kind, e.fromId, e.toId, toJson(e.actions), e.createdAt]);
    return insertRows(this.db, this.dialect, 'edges', COLUMNS, rows);
  }

  async get(id: string): Promise<Edge | undefined> {
    const row = await this.db.selectFrom('edges').selectAll().where('id', '=', id).executeTakeFirst();
    return row && fromRow(row);
  }

  async list(filter: EdgeFilter, page: PageRequest): Promise<Page<Edge>> {
    const limit = clampLimit(page.limit);
    const cursor = readCursor(page, ID_PREFIX.edge);
    let q = this.db.selectFrom('edges').selectAll();
    if (cursor !== undefined) q = q.where('id', '>', cursor);
    if (filter.kind !== undefined) q = q.where('kind', '=', filter.kind);
    if (filter.fromId !== undefined) q = q.where('from_id', '=', filter.fromId);
    if (filter.toId !== undefined) q = q.where('to_id', '=', filter.toId);
    const rows = await q
      .orderBy('id')
      .limit(limit + 1)
      .execute();
    return toPage(rows, limit, fromRow);
  }

  async findByTriples(triples: ReadonlyArray<Pick<Edge, 'kind' | 'fromId' | 'toId'>>): Promise<Edge[]> {
    const out: Edge[] = [];
    for (const chunk of chunks(triples, 300)) {
      const rows = await this.db
        .selectFrom('edges')
        .selectAll()
        .where((eb) =>
          eb.or(
            chunk.map((t) =>
              eb.and([eb('from_id', '=', t.fromId), eb('kind', '=', t.kind), eb('to_id', '=', t.toId)]),
            ),
          ),
        )
        .execute();
      for (const r of rows) out.push(fromRow(r));
    }
    return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async delete(id: string): Promise<Edge | undefined> {
    // DELETE … RETURNING (SQLite ≥ 3.35, PostgreSQL): one round-trip, and no race between read and delete.
    const row = await this.db.deleteFrom('edges').where('id', '=', id).returningAll().executeTakeFirst();
    return row && fromRow(row);
  }

  scan(batchSize?: number): AsyncIterable<Edge[]> {
    return keysetScan(
      (after, limit) => {
        let q = this.db.selectFrom('edges').selectAll();
        if (after !== undefined) q = q.where('id', '>', after);
        return q.orderBy('id').limit(limit).execute();
      },
      fromRow,
      batchSize,
    );
  }

  async count(): Promise<number> {
    const row = await this.db
      .selectFrom('edges')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
