/** ApiTokenStore over Kysely: API tokens, stored by the SHA-256 hash of their secret only. */
import type { ApiRole, ApiToken, Page, PageRequest } from '@keyward/sdk';
import type { Kysely } from 'kysely';
import { ID_PREFIX } from '../../../ids.js';
import type { ApiTokenStore } from '../../storage-types.js';
import type { ApiTokenRow, Database } from '../sql-database.js';
import { clampLimit, readCursor, toPage } from '../sql-paging.js';

const fromRow = (r: ApiTokenRow): ApiToken => ({
  id: r.id,
  name: r.name,
  role: r.role as ApiRole,
  prefix: r.prefix,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});

export class ApiTokenSqlStore implements ApiTokenStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(token: ApiToken, secretHash: string): Promise<void> {
    await this.db
      .insertInto('api_tokens')
      .values({
        id: token.id,
        name: token.name,
        role: token.role,
        prefix: token.prefix,
        secret_hash: secretHash,
        created_at: token.createdAt,
        expires_at: token.expiresAt,
        last_used_at: token.lastUsedAt,
        revoked_at: token.revokedAt,
      })
      .execute();
  }

  async getByHash(secretHash: string): Promise<ApiToken | undefined> {
    const row = await this.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('secret_hash', '=', secretHash)
      .executeTakeFirst();
    return row && fromRow(row);
  }

  async get(id: string): Promise<ApiToken | undefined> {
    const row = await this.db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
    return row && fromRow(row);
  }

  async list(page: PageRequest): Promise<Page<ApiToken>> {
    const limit = clampLimit(page.limit);
    const cursor = readCursor(page, ID_PREFIX.apiToken);
    let q = this.db.selectFrom('api_tokens').selectAll();
    if (cursor !== undefined) q = q.where('id', '>', cursor);
    const rows = await q
      .orderBy('id')
      .limit(limit + 1)
      .execute();
    return toPage(rows, limit, fromRow);
  }

  async revoke(id: string, at: string): Promise<ApiToken | undefined> {
    // The first revocation time wins: revoking twice must not move revokedAt.
    await this.db
      .updateTable('api_tokens')
      .set({ revoked_at: at })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .execute();
    return this.get(id);
  }

  async touch(id: string, at: string): Promise<void> {
    await this.db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
  }

  async count(): Promise<number> {
    const row = await this.db
      .selectFrom('api_tokens')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
