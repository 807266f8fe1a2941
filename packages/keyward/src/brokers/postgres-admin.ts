/**
 * The statements Keyward runs on a brokered (target) PostgreSQL over its admin connection: create a
 * login role with its grants, and take one away. Each call opens its own short-lived connection
 * with tight timeouts; callers run these outside any Keyward store transaction.
 *
 * Quoting: the role name goes through escapeIdentifier, literals (the SCRAM verifier, the expiry)
 * through escapeLiteral, and lookups bind parameters. Grant templates were checked to be single
 * statements (brokered-database-rules.ts); `{{role}}` becomes the quoted identifier.
 */
import pg from 'pg';
import { ROLE_PLACEHOLDER } from './brokered-database-rules.js';
import { scramSha256Verifier } from './scram-verifier.js';

export interface AdminConnection {
  /** URL without password. */
  url: string;
  password: string | null;
}

export interface NewRole {
  roleName: string;
  password: string;
  validUntil: string;
  grants: readonly string[];
}

const TIMEOUTS = { connectionTimeoutMillis: 5000, statement_timeout: 30_000, query_timeout: 35_000 };

async function withAdmin<T>(conn: AdminConnection, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({
    connectionString: conn.url,
    ...(conn.password === null ? {} : { password: conn.password }),
    application_name: 'keyward-broker',
    ...TIMEOUTS,
  });
  client.on('error', () => {}); // a dropped connection fails the pending query; do not crash the process
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

export function renderGrant(template: string, roleName: string): string {
  return template.replaceAll(ROLE_PLACEHOLDER, pg.escapeIdentifier(roleName));
}

/** Creates the role and applies the grants in one target transaction: all or nothing. */
export function createLoginRole(conn: AdminConnection, role: NewRole): Promise<void> {
  return withAdmin(conn, async (client) => {
    const ident = pg.escapeIdentifier(role.roleName);
    await client.query('begin');
    try {
      await client.query(
        `create role ${ident} login password ${pg.escapeLiteral(scramSha256Verifier(role.password))} ` +
          `valid until ${pg.escapeLiteral(role.validUntil)}`,
      );
      for (const template of role.grants) await client.query(renderGrant(template, role.roleName));
      await client.query('commit');
    } catch (err) {
      await client.query('rollback').catch(() => {});
      throw err;
    }
  });
}

/**
 * Takes the role away: no more logins, its sessions terminated, what it owns handed to the admin,
 * its privileges revoked, the role dropped. Idempotent: returns 'absent' if the role did not exist.
 */
export function dropLoginRole(conn: AdminConnection, roleName: string): Promise<'dropped' | 'absent'> {
  return withAdmin(conn, async (client) => {
    const exists = await client.query('select 1 from pg_roles where rolname = $1', [roleName]);
    if (exists.rowCount === 0) return 'absent';
    const ident = pg.escapeIdentifier(roleName);
    await client.query(`alter role ${ident} nologin`);
    await client.query(
      'select pg_terminate_backend(pid) from pg_stat_activity where usename = $1 and pid <> pg_backend_pid()',
      [roleName],
    );
    await client.query(`reassign owned by ${ident} to current_user`);
    await client.query(`drop owned by ${ident}`);
    await client.query(`drop role if exists ${ident}`);
    return 'dropped';
  });
}

/** Sets the admin connection's own role password (sent as a SCRAM verifier, never in clear). */
export function setOwnPassword(conn: AdminConnection, password: string): Promise<void> {
  return withAdmin(conn, async (client) => {
    await client.query(`alter role current_user password ${pg.escapeLiteral(scramSha256Verifier(password))}`);
  });
}

/** Whether the connection logs in (a rotated password is verified before it is stored). */
export async function logsIn(conn: AdminConnection): Promise<boolean> {
  try {
    return await withAdmin(conn, async (client) => (await client.query('select 1')).rowCount === 1);
  } catch {
    return false;
  }
}
