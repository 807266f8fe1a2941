/**
 * Starts a real Keyward (real HTTP on a random loopback port, real SQLite in a temp dir, or the
 * test PostgreSQL in a fresh schema when asked) for end-to-end tests.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createKeyward, type Keyward, type KeywardOptions } from '../src/app.js';
import { type KeywardConfig, loadConfig } from '../src/config.js';

export interface TestServer {
  url: string;
  adminToken: string;
  keyward: Keyward;
  dataDir: string;
  /** The PostgreSQL schema the server runs in (postgres backend only). */
  pgSchema: string | undefined;
  close(): Promise<void>;
}

/** The PostgreSQL URL for tests, when the environment provides one (CI does). */
export const TEST_DATABASE_URL = process.env['KEYWARD_TEST_DATABASE_URL'] || undefined;

/** Backends to run end-to-end suites on: SQLite always, PostgreSQL when configured. */
export const TEST_BACKENDS: Array<'sqlite' | 'postgres'> = TEST_DATABASE_URL
  ? ['sqlite', 'postgres']
  : ['sqlite'];

export async function startTestServer(
  options: KeywardOptions & {
    dataDir?: string;
    backend?: 'sqlite' | 'postgres';
    config?: Partial<KeywardConfig>;
  } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'keyward-test-'));
  const postgres = options.backend === 'postgres';
  if (postgres && !TEST_DATABASE_URL) throw new Error('KEYWARD_TEST_DATABASE_URL is not set');
  const pgSchema = postgres ? `kw_e2e_${randomBytes(6).toString('hex')}` : undefined;
  const config = loadConfig(
    {
      dataDir,
      port: 0,
      logLevel: 'silent',
      ...(postgres ? { databaseUrl: TEST_DATABASE_URL } : {}),
      ...options.config,
    },
    {},
  );
  const keyward = await createKeyward(config, {
    warn: () => {},
    ...options,
    ...(pgSchema ? { pgSchema } : {}),
  });
  const url = await keyward.http.listen({ host: '127.0.0.1', port: 0 });
  if (!keyward.bootstrapToken) throw new Error('test server expected a fresh store with a bootstrap token');
  return {
    url,
    adminToken: keyward.bootstrapToken,
    keyward,
    dataDir,
    pgSchema,
    async close() {
      await keyward.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
      if (pgSchema && TEST_DATABASE_URL) {
        const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
        await client.connect();
        await client.query(`drop schema if exists "${pgSchema}" cascade`);
        await client.end();
      }
    },
  };
}

/** One JSON API call with a bearer token: status, content type and the parsed body. */
// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field by callers.
export async function apiCall<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  token: string,
  body?: unknown,
): Promise<{ status: number; type: string | null; body: T }> {
  const res = await fetch(baseUrl + path, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as T };
}
