/** FederationIssuerStore over Kysely: trusted external OIDC issuers and their mapping rules. */
import type { Page, PageRequest } from '@keyward/sdk';
import type { Kysely } from 'kysely';
import { ID_PREFIX } from '../../../ids.js';
import type { FederationIssuer, FederationIssuerStore } from '../../storage-types.js';
import type { Database, FederationIssuerRow } from '../sql-database.js';
import { clampLimit, readCursor, toPage } from '../sql-paging.js';
import { assertNextVersion, assertUpdated, fromJson, toJson } from '../sql-writes.js';

const toRow = (f: FederationIssuer): FederationIssuerRow => ({
  id: f.id,
  issuer: f.issuer,
  jwks_uri: f.jwksUri,
  jwks: f.jwks === null ? null : toJson(f.jwks),
  audiences: toJson(f.audiences),
  algorithms: toJson(f.algorithms),
  rules: toJson(f.rules),
  created_at: f.createdAt,
  updated_at: f.updatedAt,
  version: f.version,
});

const fromRow = (r: FederationIssuerRow): FederationIssuer => ({
  id: r.id,
  issuer: r.issuer,
  jwksUri: r.jwks_uri,
  jwks: r.jwks === null ? null : fromJson(r.jwks),
  audiences: fromJson(r.audiences),
  algorithms: fromJson(r.algorithms),
  rules: fromJson(r.rules),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  version: Number(r.version),
});

export class FederationIssuerSqlStore implements FederationIssuerStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(issuer: FederationIssuer): Promise<void> {
    await this.db.insertInto('federation_issuers').values(toRow(issuer)).execute();
  }

  async get(id: string): Promise<FederationIssuer | undefined> {
    const row = await this.db
      .selectFrom('federation_issuers')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && fromRow(row);
  }

  async getByIssuer(issuer: string): Promise<FederationIssuer | undefined> {
    const row = await this.db
      .selectFrom('federation_issuers')
      .selectAll()
      .where('issuer', '=', issuer)
      .executeTakeFirst();
    return row && fromRow(row);
  }

  async list(page: PageRequest): Promise<Page<FederationIssuer>> {
    const limit = clampLimit(page.limit);
    const cursor = readCursor(page, ID_PREFIX.federationIssuer);
    let q = this.db.selectFrom('federation_issuers').selectAll();
    if (cursor !== undefined) q = q.where('id', '>', cursor);
    const rows = await q
      .orderBy('id')
      .limit(limit + 1)
      .execute();
    return toPage(rows, limit, fromRow);
  }

  async update(issuer: FederationIssuer, expectedVersion: number): Promise<void> {
    assertNextVersion('federation issuer', issuer.version, expectedVersion);
    const { id, created_at: _createdAt, ...changes } = toRow(issuer);
    const result = await this.db
      .updateTable('federation_issuers')
      .set(changes)
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    await assertUpdated(result, 'federation issuer', id, async () => (await this.get(id)) !== undefined);
  }

  async delete(id: string): Promise<FederationIssuer | undefined> {
    const row = await this.db
      .deleteFrom('federation_issuers')
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row && fromRow(row);
  }
}
