/**
 * IssuedTokenStore over Kysely: one row per access token (jti, task, subject, expiry, revokedAt).
 * Rows arrive in batches from the issuance hot path, so a revocation may reach the database
 * before the batch holding its jti: both writes are upserts that keep the revocation.
 */
import type { Kysely } from 'kysely';
import type { IssuedToken, IssuedTokenStore } from '../../storage-types.js';
import type { Database, IssuedTokenRow } from '../sql-database.js';
import type { SqlDialect } from '../sql-dialect.js';

const toRow = (t: IssuedToken): IssuedTokenRow => ({
  jti: t.jti,
  task_id: t.taskId,
  subject: t.subject,
  client_id: t.clientId,
  issued_at: t.issuedAt,
  expires_at: t.expiresAt,
  revoked_at: t.revokedAt,
});

const fromRow = (r: IssuedTokenRow): IssuedToken => ({
  jti: r.jti,
  taskId: r.task_id,
  subject: r.subject,
  clientId: r.client_id,
  issuedAt: r.issued_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
});

const COLUMNS = ['jti', 'task_id', 'subject', 'client_id', 'issued_at', 'expires_at', 'revoked_at'];

/** Rows per INSERT: 7 columns × 500 stays far below SQLite's 32766 bound parameters. */
const CHUNK = 500;

export class IssuedTokenSqlStore implements IssuedTokenStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: SqlDialect,
  ) {}

  async recordMany(tokens: IssuedToken[]): Promise<void> {
    if (this.db.isTransaction && this.dialect.rowInserter) {
      // SQLite inside the caller's transaction (the issuance commit): one prepared insert per row.
      try {
        const insert = this.dialect.rowInserter('issued_tokens', COLUMNS, { ignoreConflictOn: ['jti'] });
        for (const t of tokens) {
          insert([t.jti, t.taskId, t.subject, t.clientId, t.issuedAt, t.expiresAt, t.revokedAt]);
        }
      } catch (err) {
        throw this.dialect.translateError(err);
      }
      return;
    }
    for (let i = 0; i < tokens.length; i += CHUNK) {
      await this.db
        .insertInto('issued_tokens')
        .values(tokens.slice(i, i + CHUNK).map(toRow))
        .onConflict((oc) => oc.column('jti').doNothing())
        .execute();
    }
  }

  async get(jti: string): Promise<IssuedToken | undefined> {
    const row = await this.db
      .selectFrom('issued_tokens')
      .selectAll()
      .where('jti', '=', jti)
      .executeTakeFirst();
    return row && fromRow(row);
  }

  async revoke(token: IssuedToken & { revokedAt: string }): Promise<void> {
    await this.db
      .insertInto('issued_tokens')
      .values(toRow(token))
      .onConflict((oc) =>
        oc
          .column('jti')
          .doUpdateSet({ revoked_at: token.revokedAt })
          .where('issued_tokens.revoked_at', 'is', null),
      )
      .execute();
  }

  async deleteExpired(cutoff: string): Promise<number> {
    const result = await this.db
      .deleteFrom('issued_tokens')
      .where('expires_at', '<', cutoff)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async countLive(now: string): Promise<number> {
    const row = await this.db
      .selectFrom('issued_tokens')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('expires_at', '>', now)
      .where('revoked_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
