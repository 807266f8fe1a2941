/** SystemStore over Kysely: the systems table (business systems that group resources). */
import type { Page, PageRequest, Sensitivity, System } from '@keyward/sdk';
import type { Kysely } from 'kysely';
import { ID_PREFIX } from '../../../ids.js';
import type { SystemStore } from '../../storage-types.js';
import type { Database, SystemRow } from '../sql-database.js';
import type { SqlDialect } from '../sql-dialect.js';
import { chunks, clampLimit, inIdOrder, keysetScan, readCursor, toPage } from '../sql-paging.js';
import { assertNextVersion, assertUpdated, insertRows } from '../sql-writes.js';

const COLUMNS = [
  'id',
  'name',
  'sensitivity',
  'owner_id',
  'description',
  'created_at',
  'updated_at',
  'version',
] as const satisfies ReadonlyArray<keyof SystemRow>;

const toRow = (s: System): SystemRow => ({
  id: s.id,
  name: s.name,
  sensitivity: s.sensitivity,
  owner_id: s.ownerId,
  description: s.description,
  created_at: s.createdAt,
  updated_at: s.updatedAt,
  version: s.version,
});

const fromRow = (r: SystemRow): System => ({
  id: r.id,
  name: r.name,
  sensitivity: r.sensitivity as Sensitivity,
  ownerId: r.owner_id,
  description: r.description,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  version: Number(r.version),
});

export class SystemSqlStore implements SystemStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: SqlDialect,
  ) {}

  async create(system: System): Promise<void> {
    await this.db.insertInto('systems').values(toRow(system)).execute();
  }

  createMany(systems: System[]): Promise<void> {
    const rows = systems.map((s) => {
      const row = toRow(s);
      return COLUMNS.map((c) => row[c]);
    });
    return insertRows(this.db, this.dialect, 'systems', COLUMNS, rows);
  }

  async get(id: string): Promise<System | undefined> {
    const row = await this.db.selectFrom('systems').selectAll().where('id', '=', id).executeTakeFirst();
    return row && fromRow(row);
  }

  async getMany(ids: readonly string[]): Promise<System[]> {
    const rows: SystemRow[] = [];
    for (const part of chunks([...new Set(ids)], 500)) {
      rows.push(...(await this.db.selectFrom('systems').selectAll().where('id', 'in', part).execute()));
    }
    return inIdOrder(ids, rows).map(fromRow);
  }

  async getByName(name: string): Promise<System | undefined> {
    const row = await this.db.selectFrom('systems').selectAll().where('name', '=', name).executeTakeFirst();
    return row && fromRow(row);
  }

  async list(filter: { q?: string | undefined }, page: PageRequest): Promise<Page<System>> {
    const limit = clampLimit(page.limit);
    const cursor = readCursor(page, ID_PREFIX.system);
    let q = this.db.selectFrom('systems').selectAll();
    if (cursor !== undefined) q = q.where('id', '>', cursor);
    if (filter.q !== undefined && filter.q !== '')
      q = q.where(this.dialect.containsIgnoringCase('name', filter.q));
    const rows = await q
      .orderBy('id')
      .limit(limit + 1)
      .execute();
    return toPage(rows, limit, fromRow);
  }

  async update(system: System, expectedVersion: number): Promise<void> {
    assertNextVersion('system', system.version, expectedVersion);
    const { id, created_at: _createdAt, ...changes } = toRow(system);
    const result = await this.db
      .updateTable('systems')
      .set(changes)
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    await assertUpdated(result, 'system', id, async () => (await this.get(id)) !== undefined);
  }

  scanNodes(batchSize?: number): AsyncIterable<Array<{ id: string; sensitivity: Sensitivity }>> {
    return keysetScan(
      (after, limit) => {
        let q = this.db.selectFrom('systems').select(['id', 'sensitivity']);
        if (after !== undefined) q = q.where('id', '>', after);
        return q.orderBy('id').limit(limit).execute();
      },
      (r) => ({ id: r.id, sensitivity: r.sensitivity as Sensitivity }),
      batchSize,
    );
  }
}
