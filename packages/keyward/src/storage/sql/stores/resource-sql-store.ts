/** ResourceStore over Kysely: the resources table (what identities can reach). */
import type { Page, PageRequest, Resource, ResourceFilter, Sensitivity } from '@keyward/sdk';
import type { Kysely } from 'kysely';
import { ID_PREFIX } from '../../../ids.js';
import type { ResourceStore } from '../../storage-types.js';
import type { Database, ResourceRow } from '../sql-database.js';
import type { SqlDialect } from '../sql-dialect.js';
import { chunks, clampLimit, inIdOrder, keysetScan, readCursor, toPage } from '../sql-paging.js';
import { assertNextVersion, assertUpdated, fromJson, insertRows, toJson } from '../sql-writes.js';

const COLUMNS = [
  'id',
  'name',
  'kind',
  'system_id',
  'environment',
  'sensitivity',
  'labels',
  'created_at',
  'updated_at',
  'version',
] as const satisfies ReadonlyArray<keyof ResourceRow>;

const toRow = (r: Resource): ResourceRow => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  system_id: r.systemId,
  environment: r.environment,
  sensitivity: r.sensitivity,
  labels: toJson(r.labels),
  created_at: r.createdAt,
  updated_at: r.updatedAt,
  version: r.version,
});

const fromRow = (r: ResourceRow): Resource => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  systemId: r.system_id,
  environment: r.environment,
  sensitivity: r.sensitivity as Sensitivity,
  labels: fromJson<Record<string, string>>(r.labels),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  version: Number(r.version),
});

export class ResourceSqlStore implements ResourceStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: SqlDialect,
  ) {}

  async create(resource: Resource): Promise<void> {
    await this.db.insertInto('resources').values(toRow(resource)).execute();
  }

  createMany(resources: Resource[]): Promise<void> {
    const rows = resources.map((r) => {
      const row = toRow(r);
      return COLUMNS.map((c) => row[c]);
    });
    return insertRows(this.db, this.dialect, 'resources', COLUMNS, rows);
  }

  async get(id: string): Promise<Resource | undefined> {
    const row = await this.db.selectFrom('resources').selectAll().where('id', '=', id).executeTakeFirst();
    return row && fromRow(row);
  }

  async getMany(ids: readonly string[]): Promise<Resource[]> {
    const rows: ResourceRow[] = [];
    for (const part of chunks([...new Set(ids)], 500)) {
      rows.push(...(await this.db.selectFrom('resources').selectAll().where('id', 'in', part).execute()));
    }
    return inIdOrder(ids, rows).map(fromRow);
  }

  async getByName(name: string): Promise<Resource | undefined> {
    const row = await this.db.selectFrom('resources').selectAll().where('name', '=', name).executeTakeFirst();
    return row && fromRow(row);
  }

  async findNames(names: readonly string[]): Promise<Map<string, string>> {
    const taken = new Map<string, string>();
    for (const part of chunks([...new Set(names)], 500)) {
      const rows = await this.db
        .selectFrom('resources')
        .select(['id', 'name'])
        .where('name', 'in', part)
        .execute();
      for (const r of rows) taken.set(r.name, r.id);
    }
    return taken;
  }

  async list(filter: ResourceFilter, page: PageRequest): Promise<Page<Resource>> {
    const limit = clampLimit(page.limit);
    const cursor = readCursor(page, ID_PREFIX.resource);
    let q = this.db.selectFrom('resources').selectAll();
    if (cursor !== undefined) q = q.where('id', '>', cursor);
    if (filter.kind !== undefined) q = q.where('kind', '=', filter.kind);
    if (filter.systemId !== undefined) q = q.where('system_id', '=', filter.systemId);
    if (filter.sensitivity !== undefined) q = q.where('sensitivity', '=', filter.sensitivity);
    if (filter.environment !== undefined) q = q.where('environment', '=', filter.environment);
    if (filter.q !== undefined && filter.q !== '')
      q = q.where(this.dialect.containsIgnoringCase('name', filter.q));
    const rows = await q
      .orderBy('id')
      .limit(limit + 1)
      .execute();
    return toPage(rows, limit, fromRow);
  }

  async update(resource: Resource, expectedVersion: number): Promise<void> {
    assertNextVersion('resource', resource.version, expectedVersion);
    const { id, created_at: _createdAt, ...changes } = toRow(resource);
    const result = await this.db
      .updateTable('resources')
      .set(changes)
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    await assertUpdated(result, 'resource', id, async () => (await this.get(id)) !== undefined);
  }

  scanNodes(batchSize?: number): AsyncIterable<Array<{ id: string; sensitivity: Sensitivity }>> {
    return keysetScan(
      (after, limit) => {
        let q = this.db.selectFrom('resources').select(['id', 'sensitivity']);
        if (after !== undefined) q = q.where('id', '>', after);
        return q.orderBy('id').limit(limit).execute();
      },
      (r) => ({ id: r.id, sensitivity: r.sensitivity as Sensitivity }),
      batchSize,
    );
  }
}
