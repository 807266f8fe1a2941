/** CheckpointKeyStore over Kysely: the audit checkpoint signing keys, private halves sealed. */
import type { Kysely } from 'kysely';
import type { CheckpointKeyRecord } from '../../../detection/alert-types.js';
import type { CheckpointKeyStore } from '../../storage-types.js';
import type { AuditCheckpointKeyRow } from '../detection-rows.js';
import type { Database } from '../sql-database.js';
import { fromJson, toJson } from '../sql-writes.js';

const fromRow = (r: AuditCheckpointKeyRow): CheckpointKeyRecord => ({
  kid: r.kid,
  status: r.status as CheckpointKeyRecord['status'],
  publicJwk: fromJson(r.public_jwk),
  privateKeySealed: r.private_key_sealed,
  createdAt: r.created_at,
  retiredAt: r.retired_at,
});

export class CheckpointKeySqlStore implements CheckpointKeyStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(key: CheckpointKeyRecord): Promise<void> {
    await this.db
      .insertInto('audit_checkpoint_keys')
      .values({
        kid: key.kid,
        status: key.status,
        public_jwk: toJson(key.publicJwk),
        private_key_sealed: key.privateKeySealed,
        created_at: key.createdAt,
        retired_at: key.retiredAt,
      })
      .execute();
  }

  async list(): Promise<CheckpointKeyRecord[]> {
    const rows = await this.db
      .selectFrom('audit_checkpoint_keys')
      .selectAll()
      .orderBy('created_at')
      .orderBy('kid')
      .execute();
    return rows.map(fromRow);
  }

  async retire(kid: string, at: string): Promise<void> {
    await this.db
      .updateTable('audit_checkpoint_keys')
      .set({ status: 'retired', retired_at: at })
      .where('kid', '=', kid)
      .where('status', '=', 'active')
      .execute();
  }
}
