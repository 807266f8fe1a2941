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

  async recordMany(
    entries: ReadonlyArray<{ issuer: string; jti: string; expiresAt: string }>,
  ): Promise<boolean[]> {
    const key = (issuer: string, jti: string) => `${issuer}\u0000${jti}`;
    const first = new Map<string, number>();
    entries.forEach((e, i) => {
      if (!first.has(key(e.issuer, e.jti))) first.set(key(e.issuer, e.jti), i);
    });
    const unique = [...first.values()].map((i) => entries[i]!);
    const inserted = new Set<string>();
    // Chunks stay far below both backends' bind-parameter limits (3 per row).
    for (let start = 0; start < unique.length; start += 1000) {
      const rows = await this.db
        .insertInto('used_jtis')
        .values(
          unique
            .slice(start, start + 1000)
            .map((e) => ({ issuer: e.issuer, jti: e.jti, expires_at: e.expiresAt })),
        )
        .onConflict((oc) => oc.columns(['issuer', 'jti']).doNothing())
        .returning(['issuer', 'jti'])
        .execute();
      for (const r of rows) inserted.add(key(r.issuer, r.jti));
    }
    return entries.map((e, i) => first.get(key(e.issuer, e.jti)) === i && inserted.has(key(e.issuer, e.jti)));
  }

  async deleteExpired(cutoff: string): Promise<number> {
    const result = await this.db.deleteFrom('used_jtis').where('expires_at', '<', cutoff).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
