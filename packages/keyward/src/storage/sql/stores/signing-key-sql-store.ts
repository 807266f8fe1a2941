/** SigningKeyStore over Kysely: Keyward's token-signing keys, private halves sealed. */
import type { Kysely } from 'kysely';
import type { SigningAlg, SigningKeyRecord, SigningKeyStore } from '../../storage-types.js';
import type { Database, SigningKeyRow } from '../sql-database.js';
import { fromJson, toJson } from '../sql-writes.js';

const fromRow = (r: SigningKeyRow): SigningKeyRecord => ({
  kid: r.kid,
  alg: r.alg as SigningAlg,
  status: r.status as SigningKeyRecord['status'],
  publicJwk: fromJson(r.public_jwk),
  privateKeySealed: r.private_key_sealed,
  createdAt: r.created_at,
  retiredAt: r.retired_at,
});

export class SigningKeySqlStore implements SigningKeyStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(key: SigningKeyRecord): Promise<void> {
    await this.db
      .insertInto('signing_keys')
      .values({
        kid: key.kid,
        alg: key.alg,
        status: key.status,
        public_jwk: toJson(key.publicJwk),
        private_key_sealed: key.privateKeySealed,
        created_at: key.createdAt,
        retired_at: key.retiredAt,
      })
      .execute();
  }

  async get(kid: string): Promise<SigningKeyRecord | undefined> {
    const row = await this.db
      .selectFrom('signing_keys')
      .selectAll()
      .where('kid', '=', kid)
      .executeTakeFirst();
    return row && fromRow(row);
  }

  async getActive(): Promise<SigningKeyRecord | undefined> {
    const row = await this.db
      .selectFrom('signing_keys')
      .selectAll()
      .where('status', '=', 'active')
      .executeTakeFirst();
    return row && fromRow(row);
  }

  async list(): Promise<SigningKeyRecord[]> {
    const rows = await this.db
      .selectFrom('signing_keys')
      .selectAll()
      .orderBy('created_at')
      .orderBy('kid')
      .execute();
    return rows.map(fromRow);
  }

  async retire(kid: string, at: string): Promise<boolean> {
    const result = await this.db
      .updateTable('signing_keys')
      .set({ status: 'retired', retired_at: at })
      .where('kid', '=', kid)
      .where('status', '=', 'active')
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async deleteRetiredBefore(cutoff: string): Promise<string[]> {
    const rows = await this.db
      .deleteFrom('signing_keys')
      .where('status', '=', 'retired')
      .where('retired_at', '<', cutoff)
      .returning('kid')
      .execute();
    return rows.map((r) => r.kid).sort();
  }
}
