/**
 * A scratch PostgreSQL target for broker tests: a fresh database (with a table `items` holding one
 * row) on the test server, a role prefix unique to the run, and a cleanup that drops every role
 * with that prefix and the database.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface BrokerTarget {
  database: string;
  rolePrefix: string;
  /** Admin URL with a password (the test server trusts local connections, so any password works). */
  adminUrl: string;
  adminPassword: string;
  host: string;
  port: number;
  /** Runs SQL on the target database as the superuser. */
  query(text: string, values?: unknown[]): Promise<pg.QueryResult>;
  rolesWithPrefix(): Promise<string[]>;
  cleanup(): Promise<void>;
}

export async function createBrokerTarget(testUrl: string): Promise<BrokerTarget> {
  const suffix = randomBytes(4).toString('hex');
  const database = `kw_brk_${suffix}`;
  const rolePrefix = `kwt${suffix}`;
  const adminPassword = `Adm1n-${randomBytes(6).toString('hex')}`;
  const root = new pg.Client({ connectionString: testUrl });
  await root.connect();
  await root.query(`create database ${database}`);
  const url = new URL(testUrl);
  url.pathname = `/${database}`;
  const target = new pg.Client({ connectionString: url.toString() });
  await target.connect();
  await target.query('create table items (id integer primary key, label text)');
  await target.query(`insert into items values (1, 'one')`);
  const withPassword = new URL(url);
  withPassword.password = adminPassword;
  const rolesWithPrefix = async () =>
    (await root.query('select rolname from pg_roles where starts_with(rolname, $1)', [rolePrefix])).rows.map(
      (r: { rolname: string }) => r.rolname,
    );
  return {
    database,
    rolePrefix,
    adminUrl: withPassword.toString(),
    adminPassword,
    host: url.hostname,
    port: Number(url.port || 5432),
    query: (text, values) => target.query(text, values),
    rolesWithPrefix,
    async cleanup() {
      await target.end().catch(() => {});
      await root.query(`drop database if exists ${database} with (force)`);
      for (const role of await rolesWithPrefix()) await root.query(`drop role if exists "${role}"`);
      await root.end();
    },
  };
}
