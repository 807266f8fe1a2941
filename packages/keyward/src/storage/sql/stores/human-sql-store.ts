/** HumanStore over Kysely: the humans table (owners and sponsors of identities). */
import type { Human, HumanFilter, Page, PageRequest } from '@keyward/sdk';
import type { Kysely } from 'kysely';
import { ID_PREFIX } from '../../../ids.js';
import type { HumanStore } from '../../storage-types.js';
import type { Database, HumanRow } from '../sql-database.js';
import type { SqlDialect } from '../sql-dialect.js';
import { chunks, clampLimit, inIdOrder, keysetScan, readCursor, toPage } from '../sql-paging.js';
import { assertNextVersion, assertUpdated, insertRows } from '../sql-writes.js';

const COLUMNS = [
  'id',
  'email',
  'name',
  'active',
  'title',
  'created_at',
  'updated_at',
  'version',
] as const satisfies ReadonlyArray<keyof HumanRow>;

const toRow = (h: Human): HumanRow => ({
  id: h.id,
  email: h.email,
  name: h.name,
  active: h.active ? 1 : 0,
  title: h.title,
  created_at: h.createdAt,
  updated_at: h.updatedAt,
  version: h.version,
});

const fromRow = (r: HumanRow): Human => ({
  id: r.id,
  email: r.email,
  name: r.name,
  active: Number(r.active) === 1,
  title: r.title,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  version: Number(r.version),
});

export class HumanSqlStore implements HumanStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: SqlDialect,
  ) {}

  async create(human: Human): Promise<void> {
    await this.db.insertInto('humans').values(toRow(human)).execute();
  }

  createMany(humans: Human[]): Promise<void> {
    const rows = humans.map((h) => {
      const row = toRow(h);
      return COLUMNS.map((c) => row[c]);
    });
    return insertRows(this.db, this.dialect, 'humans', COLUMNS, rows);
  }

  async get(id: string): Promise<Human | undefined> {
    const row = await this.db.selectFrom('humans').selectAll().where('id', '=', id).executeTakeFirst();
    return row && fromRow(row);
  }

  async getMany(ids: readonly string[]): Promise<Human[]> {
    const rows: HumanRow[] = [];
    for (const part of chunks([...new Set(ids)], 500)) {
      rows.push(...(await this.db.selectFrom('humans').selectAll().where('id', 'in', part).execute()));
    }
    return inIdOrder(ids, rows).map(fromRow);
  }

  async getByEmail(email: string): Promise<Human | undefined> {
    const row = await this.db.selectFrom('humans').selectAll().where('email', '=', email).executeTakeFirst();
    return row && fromRow(row);
  }

  async list(filter: HumanFilter, page: PageRequest): Promise<Page<Human>> {
    const limit = clampLimit(page.limit);
    const cursor = readCursor(page, ID_PREFIX.human);
    let q = this.db.selectFrom('humans').selectAll();
    if (cursor !== undefined) q = q.where('id', '>', cursor);
    if (filter.active !== undefined) q = q.where('active', '=', filter.active ? 1 : 0);
    if (filter.q !== undefined && filter.q !== '') {
      const needle = filter.q;
      q = q.where((eb) =>
        eb.or([
          this.dialect.containsIgnoringCase('name', needle),
          this.dialect.containsIgnoringCase('email', needle),
        ]),
      );
    }
    const rows = await q
      .orderBy('id')
      .limit(limit + 1)
      .execute();
    return toPage(rows, limit, fromRow);
  }

  async update(human: Human, expectedVersion: number): Promise<void> {
    assertNextVersion('human', human.version, expectedVersion);
    const { id, created_at: _createdAt, ...changes } = toRow(human);
    const result = await this.db
      .updateTable('humans')
      .set(changes)
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    await assertUpdated(result, 'human', id, async () => (await this.get(id)) !== undefined);
  }

  scanNodes(batchSize?: number): AsyncIterable<Array<{ id: string; active: boolean }>> {
    return keysetScan(
      (after, limit) => {
        let q = this.db.selectFrom('humans').select(['id', 'active']);
        if (after !== undefined) q = q.where('id', '>', after);
        return q.orderBy('id').limit(limit).execute();
      },
      (r) => ({ id: r.id, active: Number(r.active) === 1 }),
      batchSize,
    );
  }
}
