/**
 * Audit test fixtures: a migrated store on SQLite (temp file) or PostgreSQL (fresh schema), plus a
 * raw connection of the test's own for tampering directly in the database.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import type { AuditEventInput } from '../../src/audit/audit-types.js';
import { newId } from '../../src/ids.js';
import { openStore } from '../../src/storage/open-store.js';
import type { Store } from '../../src/storage/storage-types.js';
import { TEST_DATABASE_URL } from '../test-server.js';

export interface AuditFixture {
  store: Store;
  /** Runs raw SQL (with `?` placeholders) on the test's own connection. */
  raw(text: string, params?: unknown[]): Promise<Array<Record<string, unknown>>>;
  dataDir: string;
  pgSchema: string | undefined;
  close(): Promise<void>;
}

export async function openAuditFixture(backend: 'sqlite' | 'postgres'): Promise<AuditFixture> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'keyward-audit-'));
  if (backend === 'sqlite') {
    const file = path.join(dataDir, 'keyward.db');
    const store = await openStore({ backend: 'sqlite', file, migrate: true });
    const db = new SqliteDatabase(file);
    return {
      store,
      dataDir,
      pgSchema: undefined,
      async raw(text, params = []) {
        const stmt = db.prepare(text);
        if (stmt.reader) return stmt.all(...params) as Array<Record<string, unknown>>;
        stmt.run(...params);
        return [];
      },
      async close() {
        db.close();
        await store.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const url = TEST_DATABASE_URL;
  if (!url) throw new Error('KEYWARD_TEST_DATABASE_URL is not set');
  const schema = `kw_audit_${randomBytes(6).toString('hex')}`;
  const store = await openStore({ backend: 'postgres', url, schema, poolSize: 4, migrate: true });
  const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
  await client.connect();
  return {
    store,
    dataDir,
    pgSchema: schema,
    async raw(text, params = []) {
      let n = 0;
      const res = await client.query(
        text.replace(/\?/g, () => `$${++n}`),
        params,
      );
      return res.rows as Array<Record<string, unknown>>;
    },
    async close() {
      await store.close();
      await client.query(`drop schema if exists "${schema}" cascade`);
      await client.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let n = 0;
export function anAuditEvent(over: Partial<AuditEventInput> = {}): AuditEventInput {
  n++;
  return {
    id: newId('auditEvent'),
    time: new Date(Date.UTC(2025, 0, 1, 0, 0, n)).toISOString(),
    actor: 'tok_test',
    type: n % 3 ? 'decision.evaluated' : 'identity.updated',
    targetId: `nhi_${String(n % 7).padStart(32, '0')}`,
    outcome: n % 5 ? 'success' : 'denied',
    details: { n, z: { b: 1, a: [1, 'x'] } },
    taskId: n % 2 ? `task-${n % 4}` : null,
    policyIds: n % 5 ? [] : ['pol_deny_prod'],
    source: { ip: '10.0.0.1', userAgent: 'test' },
    ...over,
  };
}
