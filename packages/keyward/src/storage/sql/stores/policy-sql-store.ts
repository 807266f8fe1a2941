/**
 * PolicyStore over Kysely. `append` inserts the next version and moves the active pointer with a
 * conditional write (insert of the single state row, or update where it still points at the
 * expected version), so of two concurrent applies on any replicas exactly one succeeds; the loser
 * gets conflict (a taken version number or a moved pointer) and nothing of it is written.
 */
import type { Kysely } from 'kysely';
import { StorageError } from '../../storage-errors.js';
import type { PolicyStore, PolicyVersion } from '../../storage-types.js';
import type { Database, PolicyVersionRow } from '../sql-database.js';
import { clampLimit } from '../sql-paging.js';
import { fromJson, toJson } from '../sql-writes.js';

const fromRow = (r: PolicyVersionRow): PolicyVersion => ({
  version: Number(r.version),
  hash: r.hash,
  files: fromJson<PolicyVersion['files']>(r.files),
  kind: r.kind as PolicyVersion['kind'],
  restoredFrom: r.restored_from === null ? null : Number(r.restored_from),
  replaces: r.replaces === null ? null : Number(r.replaces),
  createdAt: r.created_at,
  createdBy: r.created_by,
  reason: r.reason,
});

export class PolicySqlStore implements PolicyStore {
  constructor(private readonly db: Kysely<Database>) {}

  private async write(db: Kysely<Database>, v: Omit<PolicyVersion, 'version'>, expected: number | null) {
    const top = await db
      .selectFrom('policy_versions')
      .select((eb) => eb.fn.max('version').as('max'))
      .executeTakeFirst();
    const version = Number(top?.max ?? 0) + 1;
    await db
      .insertInto('policy_versions')
      .values({
        version,
        hash: v.hash,
        files: toJson(v.files),
        kind: v.kind,
        restored_from: v.restoredFrom,
        replaces: v.replaces,
        created_at: v.createdAt,
        created_by: v.createdBy,
        reason: v.reason,
      })
      .execute();
    if (expected === null) {
      await db.insertInto('policy_state').values({ id: 1, active_version: version }).execute();
    } else {
      const moved = await db
        .updateTable('policy_state')
        .set({ active_version: version })
        .where('id', '=', 1)
        .where('active_version', '=', expected)
        .executeTakeFirst();
      if (Number(moved.numUpdatedRows) !== 1) {
        throw new StorageError('conflict', `the active policy version is no longer ${expected}`);
      }
    }
    return { ...v, version };
  }

  async append(v: Omit<PolicyVersion, 'version'>, expectedActive: number | null): Promise<PolicyVersion> {
    // Inside a caller's transaction already when `db` is one; else its own, so nothing half-written.
    if (this.db.isTransaction) return this.write(this.db, v, expectedActive);
    return this.db.transaction().execute((trx) => this.write(trx, v, expectedActive));
  }

  async get(version: number): Promise<PolicyVersion | undefined> {
    const row = await this.db
      .selectFrom('policy_versions')
      .selectAll()
      .where('version', '=', version)
      .executeTakeFirst();
    return row && fromRow(row);
  }

  async active(): Promise<PolicyVersion | undefined> {
    const row = await this.db
      .selectFrom('policy_state')
      .innerJoin('policy_versions', 'policy_versions.version', 'policy_state.active_version')
      .selectAll('policy_versions')
      .where('policy_state.id', '=', 1)
      .executeTakeFirst();
    return row && fromRow(row);
  }

  async list(limit: number, before?: number): Promise<PolicyVersion[]> {
    let q = this.db.selectFrom('policy_versions').selectAll();
    if (before !== undefined) q = q.where('version', '<', before);
    const rows = await q.orderBy('version', 'desc').limit(clampLimit(limit)).execute();
    return rows.map(fromRow);
  }
}
