/** IdentityKeyStore over Kysely: public keys registered for identities (private_key_jwt). */
import type { Kysely } from 'kysely';
import type { IdentityKeyRecord, IdentityKeyStore } from '../../storage-types.js';
import type { Database, IdentityKeyRow } from '../sql-database.js';
import { fromJson, toJson } from '../sql-writes.js';

const fromRow = (r: IdentityKeyRow): IdentityKeyRecord => ({
  identityId: r.identity_id,
  kid: r.kid,
  thumbprint: r.thumbprint,
  publicJwk: fromJson(r.public_jwk),
  createdAt: r.created_at,
});

export class IdentityKeySqlStore implements IdentityKeyStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(key: IdentityKeyRecord): Promise<void> {
    await this.db
      .insertInto('identity_keys')
      .values({
        identity_id: key.identityId,
        kid: key.kid,
        thumbprint: key.thumbprint,
        public_jwk: toJson(key.publicJwk),
        created_at: key.createdAt,
      })
      .execute();
  }

  async get(identityId: string, kid: string): Promise<IdentityKeyRecord | undefined> {
    const row = await this.db
      .selectFrom('identity_keys')
      .selectAll()
      .where('identity_id', '=', identityId)
      .where('kid', '=', kid)
      .executeTakeFirst();
    return row && fromRow(row);
  }

  async listFor(identityId: string): Promise<IdentityKeyRecord[]> {
    const rows = await this.db
      .selectFrom('identity_keys')
      .selectAll()
      .where('identity_id', '=', identityId)
      .orderBy('created_at')
      .orderBy('kid')
      .execute();
    return rows.map(fromRow);
  }

  async delete(identityId: string, kid: string): Promise<IdentityKeyRecord | undefined> {
    const row = await this.db
      .deleteFrom('identity_keys')
      .where('identity_id', '=', identityId)
      .where('kid', '=', kid)
      .returningAll()
      .executeTakeFirst();
    return row && fromRow(row);
  }
}
