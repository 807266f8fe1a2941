/**
 * UsedJtiStore over Kysely: single-use assertion ids. The primary key (issuer, jti) makes the
 * database the replay arbiter: a second insert is a unique violation, translated to 'conflict'.
 */
import type { Kysely } from 'kysely';
import type { UsedJtiStore } from '../../storage-types.js';
import type { Database } from '../sql-database.js';

export class UsedJtiSqlStore implements UsedJtiStore {
  constructor(private readonly db: Kysely<Database>) {}

  async record(issuer: string, jti: string, expiresAt: string): Promise<void> {
    await this.db.insertInto('used_jtis').values({ issuer, jti, expires_at: expiresAt }).execute();
  }

  async deleteExpired(cutoff: string): Promise<number> {
    const result = await this.db.deleteFrom('used_jtis').where('expires_at', '<', cutoff).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
