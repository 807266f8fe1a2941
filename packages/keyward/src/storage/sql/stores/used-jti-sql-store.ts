/**
 * UsedJtiStore over Kysely: single-use assertion ids. The primary key (issuer, jti) makes the
 * database the replay arbiter: a second insert is a unique violation, translated to 'conflict'.
 */
import type { Kysely } from 'kysely';
import type { UsedJtiStore } from '../../storage-types.js';
import type { Database } from '../sql-database.js';
import type { SqlDialect } from '../sql-dialect.js';

const key = (issuer: string, jti: string) => `${issuer}\u0000${jti}`;

export class UsedJtiSqlStore implements UsedJtiStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: SqlDialect,
  ) {}

  async record(issuer: string, jti: string, expiresAt: string): Promise<void> {
    await this.db.insertInto('used_jtis').values({ issuer, jti, expires_at: expiresAt }).execute();
  }

  async recordMany(
    entries: ReadonlyArray<{ issuer: string; jti: string; expiresAt: string }>,
  ): Promise<boolean[]> {
    const first = new Map<string, number>();
    entries.forEach((e, i) => {
      if (!first.has(key(e.issuer, e.jti))) first.set(key(e.issuer, e.jti), i);
    });
    const unique = [...first.values()].map((i) => entries[i]!);
    const inserted =
      this.db.isTransaction && this.dialect.rowInserter
        ? this.insertEach(unique, this.dialect.rowInserter)
        : await this.insertReturning(unique);
    return entries.map((e, i) => first.get(key(e.issuer, e.jti)) === i && inserted.has(key(e.issuer, e.jti)));
  }

  /** SQLite inside the caller's transaction (the issuance commit): one prepared insert per row. */
  private insertEach(
    unique: ReadonlyArray<{ issuer: string; jti: string; expiresAt: string }>,
    rowInserter: NonNullable<SqlDialect['rowInserter']>,
  ): Set<string> {
    const inserted = new Set<string>();
    try {
      const insert = rowInserter('used_jtis', ['issuer', 'jti', 'expires_at'], {
        ignoreConflictOn: ['issuer', 'jti'],
      });
      for (const e of unique) if (insert([e.issuer, e.jti, e.expiresAt])) inserted.add(key(e.issuer, e.jti));
    } catch (err) {
      throw this.dialect.translateError(err);
    }
    return inserted;
  }

  private async insertReturning(
    unique: ReadonlyArray<{ issuer: string; jti: string; expiresAt: string }>,
  ): Promise<Set<string>> {
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
    return inserted;
  }

  async deleteExpired(cutoff: string): Promise<number> {
    const result = await this.db.deleteFrom('used_jtis').where('expires_at', '<', cutoff).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
