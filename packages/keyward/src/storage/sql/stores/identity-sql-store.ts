/** IdentityStore over Kysely: the identities table, its row mapping and its filters. */
import {
  type CredentialMeta,
  IDENTITY_STATUSES,
  type Identity,
  type IdentityFilter,
  type IdentityKind,
  type IdentityStatus,
  type Page,
  type PageRequest,
  type SecretLocation,
} from '@keyward/sdk';
import type { Kysely } from 'kysely';
import { ID_PREFIX } from '../../../ids.js';
import type { DayCount, IdentityStore } from '../../storage-types.js';
import type { Database, IdentityRow } from '../sql-database.js';
import { countPerDay } from '../sql-day-counts.js';
import type { SqlDialect } from '../sql-dialect.js';
import { chunks, clampLimit, inIdOrder, keysetScan, readCursor, toPage } from '../sql-paging.js';
import { assertNextVersion, assertUpdated, fromJson, insertRows, toJson } from '../sql-writes.js';

const COLUMNS = [
  'id',
  'name',
  'kind',
  'owner_id',
  'purpose',
  'environment',
  'business_system',
  'origin',
  'origin_external_id',
  'secret_locations',
  'credential',
  'review_date',
  'status',
  'labels',
  'first_seen',
  'last_seen',
  'created_at',
  'updated_at',
  'version',
] as const satisfies ReadonlyArray<keyof IdentityRow>;

export function toIdentityRow(i: Identity): IdentityRow {
  return {
    id: i.id,
    name: i.name,
    kind: i.kind,
    owner_id: i.ownerId,
    purpose: i.purpose,
    environment: i.environment,
    business_system: i.businessSystem,
    origin: i.origin,
    origin_external_id: i.originExternalId,
    secret_locations: toJson(i.secretLocations),
    credential: toJson(i.credential),
    review_date: i.reviewDate,
    status: i.status,
    labels: toJson(i.labels),
    first_seen: i.firstSeen,
    last_seen: i.lastSeen,
    created_at: i.createdAt,
    updated_at: i.updatedAt,
    version: i.version,
  };
}

function fromRow(r: IdentityRow): Identity {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind as IdentityKind,
    ownerId: r.owner_id,
    purpose: r.purpose,
    environment: r.environment,
    businessSystem: r.business_system,
    origin: r.origin,
    originExternalId: r.origin_external_id,
    secretLocations: fromJson<SecretLocation[]>(r.secret_locations),
    credential: fromJson<CredentialMeta>(r.credential),
    reviewDate: r.review_date,
    status: r.status as IdentityStatus,
    labels: fromJson<Record<string, string>>(r.labels),
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: Number(r.version),
  };
}

const asValues = (i: Identity): unknown[] => {
  const row = toIdentityRow(i);
  return COLUMNS.map((c) => row[c]);
};

export class IdentitySqlStore implements IdentityStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: SqlDialect,
  ) {}

  async create(identity: Identity): Promise<void> {
    await this.db.insertInto('identities').values(toIdentityRow(identity)).execute();
  }

  createMany(identities: Identity[]): Promise<void> {
    return insertRows(this.db, this.dialect, 'identities', COLUMNS, identities.map(asValues));
  }

  async get(id: string): Promise<Identity | undefined> {
    const row = await this.db.selectFrom('identities').selectAll().where('id', '=', id).executeTakeFirst();
    return row && fromRow(row);
  }

  async getMany(ids: readonly string[]): Promise<Identity[]> {
    const rows: IdentityRow[] = [];
    for (const part of chunks([...new Set(ids)], 500)) {
      rows.push(...(await this.db.selectFrom('identities').selectAll().where('id', 'in', part).execute()));
    }
    return inIdOrder(ids, rows).map(fromRow);
  }

  async getByName(name: string): Promise<Identity | undefined> {
    const row = await this.db
      .selectFrom('identities')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst();
    return row && fromRow(row);
  }

  async findNames(names: readonly string[]): Promise<Map<string, string>> {
    const taken = new Map<string, string>();
    for (const part of chunks([...new Set(names)], 500)) {
      const rows = await this.db
        .selectFrom('identities')
        .select(['id', 'name'])
        .where('name', 'in', part)
        .execute();
      for (const r of rows) taken.set(r.name, r.id);
    }
    return taken;
  }

  async list(filter: IdentityFilter, page: PageRequest): Promise<Page<Identity>> {
    const limit = clampLimit(page.limit);
    const cursor = readCursor(page, ID_PREFIX.identity);
    let q = this.db.selectFrom('identities').selectAll();
    if (cursor !== undefined) q = q.where('id', '>', cursor);
    if (filter.kind !== undefined) q = q.where('kind', '=', filter.kind);
    if (filter.status !== undefined) q = q.where('status', '=', filter.status);
    if (filter.environment !== undefined) q = q.where('environment', '=', filter.environment);
    if (filter.ownerId !== undefined) q = q.where('owner_id', '=', filter.ownerId);
    if (filter.origin !== undefined) q = q.where('origin', '=', filter.origin);
    if (filter.businessSystem !== undefined) q = q.where('business_system', '=', filter.businessSystem);
    if (filter.label !== undefined) {
      // `key=value`; a label without '=' matches the key with an empty value.
      const at = filter.label.indexOf('=');
      const key = at < 0 ? filter.label : filter.label.slice(0, at);
      const value = at < 0 ? '' : filter.label.slice(at + 1);
      q = q.where(this.dialect.labelEquals('labels', key, value));
    }
    if (filter.q !== undefined && filter.q !== '') {
      const needle = filter.q;
      q = q.where((eb) =>
        eb.or([
          this.dialect.containsIgnoringCase('name', needle),
          this.dialect.containsIgnoringCase('purpose', needle),
        ]),
      );
    }
    const rows = await q
      .orderBy('id')
      .limit(limit + 1)
      .execute();
    return toPage(rows, limit, fromRow);
  }

  async update(identity: Identity, expectedVersion: number): Promise<void> {
    assertNextVersion('identity', identity.version, expectedVersion);
    const { id, created_at: _createdAt, ...changes } = toIdentityRow(identity);
    const result = await this.db
      .updateTable('identities')
      .set(changes)
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    await assertUpdated(result, 'identity', id, async () => (await this.get(id)) !== undefined);
  }

  scanNodes(
    batchSize?: number,
  ): AsyncIterable<Array<{ id: string; status: IdentityStatus; environment: string }>> {
    return keysetScan(
      (after, limit) => {
        let q = this.db.selectFrom('identities').select(['id', 'status', 'environment']);
        if (after !== undefined) q = q.where('id', '>', after);
        return q.orderBy('id').limit(limit).execute();
      },
      (r) => ({ id: r.id, status: r.status as IdentityStatus, environment: r.environment }),
      batchSize,
    );
  }

  async count(): Promise<number> {
    const row = await this.db
      .selectFrom('identities')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async countByStatus(): Promise<Record<IdentityStatus, number>> {
    const rows = await this.db
      .selectFrom('identities')
      .select((eb) => ['status', eb.fn.countAll().as('n')])
      .groupBy('status')
      .execute();
    const counts = Object.fromEntries(IDENTITY_STATUSES.map((s) => [s, 0])) as Record<IdentityStatus, number>;
    for (const r of rows) counts[r.status as IdentityStatus] = Number(r.n);
    return counts;
  }

  createdPerDay(since: string): Promise<DayCount[]> {
    return countPerDay(this.db, 'identities', 'created_at', since);
  }
}
