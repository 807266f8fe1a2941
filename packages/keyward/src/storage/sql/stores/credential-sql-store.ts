/** CredentialStore over Kysely: credentials found by importers (hints and hashes, never secrets). */
import type { Page, PageRequest } from '@keyward/sdk';
import type { Kysely } from 'kysely';
import type {
  CredentialFilter,
  CredentialRecord,
  CredentialStatus,
} from '../../../discovery/discovery-types.js';
import type { DiscoveredCredentialKind } from '../../../discovery/import-batch.js';
import { ID_PREFIX } from '../../../ids.js';
import type { CredentialStore } from '../../discovery-stores.js';
import type { CredentialRow } from '../discovery-rows.js';
import type { Database } from '../sql-database.js';
import type { SqlDialect } from '../sql-dialect.js';
import { chunks, clampLimit, inIdOrder, readCursor, toPage } from '../sql-paging.js';
import { assertUpdated, fromJson, insertRows, toJson } from '../sql-writes.js';

const COLUMNS = [
  'id',
  'identity_id',
  'scope',
  'external_id',
  'kind',
  'status',
  'hint',
  'secret_sha256',
  'created_at',
  'last_rotated_at',
  'last_used_at',
  'expires_at',
  'revoked_at',
  'details',
  'first_seen',
  'updated_at',
  'version',
] as const satisfies ReadonlyArray<keyof CredentialRow>;

const fromRow = (r: CredentialRow): CredentialRecord => ({
  id: r.id,
  identityId: r.identity_id,
  scope: r.scope,
  externalId: r.external_id,
  kind: r.kind as DiscoveredCredentialKind,
  status: r.status as CredentialStatus,
  hint: r.hint,
  secretSha256: r.secret_sha256,
  createdAt: r.created_at,
  lastRotatedAt: r.last_rotated_at,
  lastUsedAt: r.last_used_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
  details: fromJson(r.details),
  firstSeen: r.first_seen,
  updatedAt: r.updated_at,
  version: Number(r.version),
});

const toRow = (c: CredentialRecord): CredentialRow => ({
  id: c.id,
  identity_id: c.identityId,
  scope: c.scope,
  external_id: c.externalId,
  kind: c.kind,
  status: c.status,
  hint: c.hint,
  secret_sha256: c.secretSha256,
  created_at: c.createdAt,
  last_rotated_at: c.lastRotatedAt,
  last_used_at: c.lastUsedAt,
  expires_at: c.expiresAt,
  revoked_at: c.revokedAt,
  details: toJson(c.details),
  first_seen: c.firstSeen,
  updated_at: c.updatedAt,
  version: c.version,
});

export class CredentialSqlStore implements CredentialStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: SqlDialect,
  ) {}

  createMany(credentials: CredentialRecord[]): Promise<void> {
    const rows = credentials.map((c) => {
      const row = toRow(c);
      return COLUMNS.map((col) => row[col]);
    });
    return insertRows(this.db, this.dialect, 'credentials', COLUMNS, rows);
  }

  async get(id: string): Promise<CredentialRecord | undefined> {
    const row = await this.db.selectFrom('credentials').selectAll().where('id', '=', id).executeTakeFirst();
    return row && fromRow(row);
  }

  async getMany(ids: readonly string[]): Promise<CredentialRecord[]> {
    const rows: CredentialRow[] = [];
    for (const chunk of chunks(ids, 500)) {
      rows.push(...(await this.db.selectFrom('credentials').selectAll().where('id', 'in', chunk).execute()));
    }
    return inIdOrder(ids, rows).map(fromRow);
  }

  async list(filter: CredentialFilter, page: PageRequest): Promise<Page<CredentialRecord>> {
    const limit = clampLimit(page.limit);
    const cursor = readCursor(page, ID_PREFIX.credential);
    let q = this.db.selectFrom('credentials').selectAll();
    if (filter.identityId !== undefined) q = q.where('identity_id', '=', filter.identityId);
    if (filter.kind !== undefined) q = q.where('kind', '=', filter.kind);
    if (filter.status !== undefined) q = q.where('status', '=', filter.status);
    if (filter.scope !== undefined) q = q.where('scope', '=', filter.scope);
    if (filter.hint !== undefined) q = q.where('hint', '=', filter.hint);
    if (filter.secretSha256 !== undefined) q = q.where('secret_sha256', '=', filter.secretSha256);
    if (filter.externalId !== undefined) q = q.where('external_id', '=', filter.externalId);
    if (cursor !== undefined) q = q.where('id', '>', cursor);
    const rows = await q
      .orderBy('id')
      .limit(limit + 1)
      .execute();
    return toPage(rows, limit, fromRow);
  }

  async update(credential: CredentialRecord): Promise<CredentialRecord> {
    const next = { ...credential, version: credential.version + 1 };
    const { id, ...values } = toRow(next);
    const result = await this.db
      .updateTable('credentials')
      .set(values)
      .where('id', '=', id)
      .where('version', '=', credential.version)
      .executeTakeFirst();
    await assertUpdated(result, 'credential', id, async () => (await this.get(id)) !== undefined);
    return next;
  }

  async countByStatus(): Promise<Record<string, number>> {
    const rows = await this.db
      .selectFrom('credentials')
      .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }
}
