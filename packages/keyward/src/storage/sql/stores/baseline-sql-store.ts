/** BaselineStore over Kysely: one compact JSON baseline per identity, upserted in batches. */
import type { Kysely } from 'kysely';
import type { StoredBaseline } from '../../../detection/alert-types.js';
import type { BaselineStore } from '../../storage-types.js';
import type { Database } from '../sql-database.js';
import { chunks } from '../sql-paging.js';

export class BaselineSqlStore implements BaselineStore {
  constructor(private readonly db: Kysely<Database>) {}

  async upsertMany(baselines: StoredBaseline[]): Promise<void> {
    for (const chunk of chunks(baselines, 200)) {
      await this.db
        .insertInto('detection_baselines')
        .values(
          chunk.map((b) => ({ identity_id: b.identityId, baseline: b.baseline, updated_at: b.updatedAt })),
        )
        .onConflict((oc) =>
          oc.column('identity_id').doUpdateSet((eb) => ({
            baseline: eb.ref('excluded.baseline'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
    }
  }

  async get(identityId: string): Promise<StoredBaseline | undefined> {
    const r = await this.db
      .selectFrom('detection_baselines')
      .selectAll()
      .where('identity_id', '=', identityId)
      .executeTakeFirst();
    return r && { identityId: r.identity_id, baseline: r.baseline, updatedAt: r.updated_at };
  }

  async *scan(batchSize = 500): AsyncIterable<StoredBaseline[]> {
    let after = '';
    for (;;) {
      const rows = await this.db
        .selectFrom('detection_baselines')
        .selectAll()
        .where('identity_id', '>', after)
        .orderBy('identity_id')
        .limit(batchSize)
        .execute();
      if (rows.length === 0) return;
      yield rows.map((r) => ({ identityId: r.identity_id, baseline: r.baseline, updatedAt: r.updated_at }));
      if (rows.length < batchSize) return;
      after = rows[rows.length - 1]!.identity_id;
    }
  }
}
