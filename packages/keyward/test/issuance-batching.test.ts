/**
 * The issuance committer's batching, on a real SQLite store: a request announced with expect()
 * joins the forming batch (one transaction for both), an announcement that never commits delays
 * the batch at most MAX_GATHER_MS, and without announcements a late request gets its own commit.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../src/ids.js';
import { createIssuanceCommitter, type IssuanceEntry } from '../src/oauth/issuance-committer.js';
import { openStore } from '../src/storage/open-store.js';
import type { Store } from '../src/storage/storage-types.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'keyward-issuance-batching-'));
let store: Store;
let transactions = 0;
let counted: Store;

beforeAll(async () => {
  store = await openStore({ backend: 'sqlite', file: path.join(dir, 'keyward.db'), migrate: true });
  // The real store; only its transaction() is counted.
  counted = Object.assign(Object.create(store) as Store, {
    transaction: ((fn: never) => {
      transactions++;
      return store.transaction(fn);
    }) as Store['transaction'],
  });
});
afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const entry = (name: string): IssuanceEntry => ({
  events: [
    {
      id: newId('auditEvent'),
      time: new Date().toISOString(),
      actor: 'test',
      type: 'test.batched',
      targetId: name,
      outcome: 'success',
      details: {},
    },
  ],
});
const later = (ms: number, fn: () => void) => setTimeout(fn, ms);
const recorded = async (names: string[]) => {
  const events = await store.audit.list({ type: 'test.batched' }, 100);
  return names.every((n) => events.some((e) => e.targetId === n));
};

describe('issuance committer batching', () => {
  it('without an announcement, a request 1 ms late is committed on its own', async () => {
    const commit = createIssuanceCommitter({ store: counted, now: () => new Date() });
    transactions = 0;
    const first = commit(entry('alone-1'));
    const second = new Promise((resolve) => later(1, () => resolve(commit(entry('alone-2')))));
    await expect(Promise.all([first, second])).resolves.toEqual([{ ok: true }, { ok: true }]);
    expect(transactions).toBe(2);
    expect(await recorded(['alone-1', 'alone-2'])).toBe(true);
  });

  it('an announced request joins the forming batch: one transaction for both', async () => {
    const commit = createIssuanceCommitter({ store: counted, now: () => new Date() });
    transactions = 0;
    const release = commit.expect();
    const first = commit(entry('joined-1'));
    const second = new Promise((resolve) =>
      later(1, () => {
        release();
        resolve(commit(entry('joined-2')));
      }),
    );
    await expect(Promise.all([first, second])).resolves.toEqual([{ ok: true }, { ok: true }]);
    expect(transactions).toBe(1);
    expect(await recorded(['joined-1', 'joined-2'])).toBe(true);
  });

  it('an announcement that is never released delays the batch by at most a few ms, and is counted', async () => {
    const commit = createIssuanceCommitter({ store: counted, now: () => new Date() });
    transactions = 0;
    const release = commit.expect();
    const started = performance.now();
    await expect(commit(entry('waited'))).resolves.toEqual({ ok: true });
    expect(performance.now() - started).toBeLessThan(500); // bounded by MAX_GATHER_MS, not the release
    expect(transactions).toBe(1);
    expect(commit.stats()).toEqual({ batches: 1, waitedOut: 1 });
    release();
  });

  it('a release is idempotent: after a double release the next announcement still holds its batch', async () => {
    const commit = createIssuanceCommitter({ store: counted, now: () => new Date() });
    const first = commit.expect();
    first();
    first();
    transactions = 0;
    const release = commit.expect();
    const one = commit(entry('after-double-1'));
    const two = new Promise((resolve) =>
      later(1, () => {
        release();
        resolve(commit(entry('after-double-2')));
      }),
    );
    await Promise.all([one, two]);
    expect(transactions).toBe(1);
    expect(commit.stats()).toEqual({ batches: 1, waitedOut: 0 });
  });

  it('waits only for requests announced before the batch started forming', async () => {
    const commit = createIssuanceCommitter({ store: counted, now: () => new Date() });
    transactions = 0;
    const one = commit(entry('horizon-1'));
    // Announced after the batch started forming, and never released: the batch must not wait for it.
    const late = commit.expect();
    const started = performance.now();
    await one;
    expect(commit.stats()).toEqual({ batches: 1, waitedOut: 0 });
    expect(performance.now() - started).toBeLessThan(500);
    late();
  });
});
