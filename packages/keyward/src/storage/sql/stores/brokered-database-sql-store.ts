/** BrokeredDatabaseStore over Kysely: brokered database configurations, admin password sealed. */
import type { Kysely } from 'kysely';
import { StorageError } from '../../storage-errors.js';
import type { BrokeredDatabase, BrokeredDatabaseStore } from '../../storage-types.js';
import type { BrokeredDatabaseRow, Database } from '../sql-database.js';
import { fromJson, toJson } from '../sql-writes.js';

const fromRow = (r: BrokeredDatabaseRow): BrokeredDatabase => ({
  name: r.name,
  adminUrl: r.admin_url,
  sealedPassword: r.sealed_password,
  rolePrefix: r.role_prefix,
  grants: fromJson<string[]>(r.grants),
  maxTtlSeconds: Number(r.max_ttl_seconds),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export class BrokeredDatabaseSqlStore implements BrokeredDatabaseStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(d: BrokeredDatabase): Promise<void> {
    await this.db
      .insertInto('brokered_databases')
      .values({
        name: d.name,
        admin_url: d.adminUrl,
        sealed_password: d.sealedPassword,
        role_prefix: d.rolePrefix,
        grants: toJson(d.grants),
        max_ttl_seconds: d.maxTtlSeconds,
        created_at: d.createdAt,
        updated_at: d.updatedAt,
      })
      .execute();
  }

  async get(name: string): Promise<BrokeredDatabase | undefined> {
    const row = await this.db
      .selectFrom('brokered_databases')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst();
    return row && fromRow(row);
  }

  async list(): Promise<BrokeredDatabase[]> {
    const rows = await this.db.selectFrom('brokered_databases').selectAll().orderBy('name').execute();
    return rows.map(fromRow);
  }

  async update(d: BrokeredDatabase): Promise<void> {
    const result = await this.db
      .updateTable('brokered_databases')
      .set({
        admin_url: d.adminUrl,
        sealed_password: d.sealedPassword,
        role_prefix: d.rolePrefix,
        grants: toJson(d.grants),
        max_ttl_seconds: d.maxTtlSeconds,
        updated_at: d.updatedAt,
      })
      .where('name', '=', d.name)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) {
      throw new StorageError('not_found', `brokered database ${JSON.stringify(d.name)} does not exist`);
    }
  }

  async delete(name: string): Promise<boolean> {
    const result = await this.db.deleteFrom('brokered_databases').where('name', '=', name).executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }
}
