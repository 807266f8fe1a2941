/**
 * SQLite's syncOffLoop transactions commit with synchronous=NORMAL and fsync the WAL themselves:
 * the connection must be back at FULL afterwards — after a commit and after a rollback — so every
 * other transaction keeps fsyncing at its own commit.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Kysely, sql } from 'kysely';
import { afterAll, expect, it } from 'vitest';
import { anIdentity } from '../conformance/conformance-fixtures.js';
import { openStore } from '../open-store.js';

const dir = mkdtempSync(join(tmpdir(), 'keyward-sync-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('leaves the connection at synchronous=FULL after commit and rollback', async () => {
  const store = await openStore({ backend: 'sqlite', file: join(dir, 'keyward.db') });
  await store.migrate();
  const db = (store as unknown as { db: Kysely<unknown> }).db;
  const level = async () =>
    (await sql<{ synchronous: number }>`pragma synchronous`.execute(db)).rows[0]?.synchronous;
  try {
    expect(await level()).toBe(2);
    await store.transaction(async (tx) => tx.identities.create(anIdentity()), { syncOffLoop: true });
    expect(await level()).toBe(2);
    await store
      .transaction(
        async (tx) => {
          await tx.identities.create(anIdentity());
          throw new Error('boom');
        },
        { syncOffLoop: true },
      )
      .catch(() => {});
    expect(await level()).toBe(2);
    expect(await store.identities.count()).toBe(1);
  } finally {
    await store.close();
  }
});
