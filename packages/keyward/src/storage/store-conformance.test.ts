/**
 * Runs the conformance suite against SQLite always, and against PostgreSQL when
 * KEYWARD_TEST_DATABASE_URL is set (each store in a fresh random schema, dropped afterwards).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from './open-store.js';
import { isStorageError } from './storage-errors.js';
import type { Store } from './storage-types.js';
import { describeStoreConformance } from './store-conformance.js';

const dataDir = mkdtempSync(join(tmpdir(), 'keyward-store-test-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

let files = 0;
describeStoreConformance(
  'sqlite',
  () => openStore({ backend: 'sqlite', file: join(dataDir, `store-${++files}`, 'keyward.db') }),
  (store) => store.close(),
);

const pgUrl = process.env.KEYWARD_TEST_DATABASE_URL;
if (pgUrl) {
  const schemas = new WeakMap<Store, string>();
  describeStoreConformance(
    'postgres',
    async () => {
      const schema = `kw_test_${randomBytes(6).toString('hex')}`;
      const store = await openStore({ backend: 'postgres', url: pgUrl, schema, poolSize: 4 });
      schemas.set(store, schema);
      return store;
    },
    async (store) => {
      await store.close();
      const client = new pg.Client({ connectionString: pgUrl });
      await client.connect();
      try {
        await client.query(`drop schema if exists "${schemas.get(store)}" cascade`);
      } finally {
        await client.end();
      }
    },
  );
} else {
  describe.skip('store conformance [postgres] (set KEYWARD_TEST_DATABASE_URL to run)', () => {
    it('skipped', () => {});
  });
}

describe('store availability', () => {
  it('[postgres] an unreachable server is StorageError unavailable, not a driver error', async () => {
    const store = await openStore({ backend: 'postgres', url: 'postgres://postgres@127.0.0.1:1/none' });
    try {
      const err = await store.ping().catch((e: unknown) => e);
      expect(isStorageError(err, 'unavailable')).toBe(true);
    } finally {
      await store.close();
    }
  });
});
