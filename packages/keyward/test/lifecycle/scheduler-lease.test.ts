/**
 * The lifecycle scheduler's leases on a real store: two schedulers (replicas) sharing one database
 * never both run a job in the same round, the holder keeps the job, a stopped replica hands it over
 * at once, a dead one (lease not renewed) after its lease expires. On PostgreSQL (when
 * KEYWARD_TEST_DATABASE_URL is set) each replica has its own store and connection pool.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createLifecycleScheduler,
  type LifecycleScheduler,
} from '../../src/lifecycle/lifecycle-scheduler.js';
import { openStore } from '../../src/storage/open-store.js';
import type { Store } from '../../src/storage/storage-types.js';
import { TEST_BACKENDS, TEST_DATABASE_URL } from '../test-server.js';
import { type Clock, movableClock } from './lifecycle-fixtures.js';

const LEASE_MS = 30_000;

describe.each(TEST_BACKENDS)('lifecycle scheduler leases [%s]', (backend) => {
  let stores: Store[] = [];
  let cleanup: () => Promise<void> = async () => {};
  let clock: Clock;
  const runs: string[] = [];

  const replica = (store: Store, holder: string): LifecycleScheduler =>
    createLifecycleScheduler({
      leases: store.schedulerLeases,
      jobs: [{ name: 'job', run: async () => void runs.push(holder) }],
      intervalMs: 0,
      leaseMs: LEASE_MS,
      now: clock.now,
      holder,
      onError: (job, err) => {
        throw new Error(`${job}: ${String(err)}`);
      },
    });

  beforeEach(async () => {
    clock = movableClock(Date.parse('2026-03-02T09:00:00.000Z'));
    runs.length = 0;
    if (backend === 'postgres') {
      const schema = `kw_lease_${randomBytes(6).toString('hex')}`;
      stores = [
        await openStore({ backend: 'postgres', url: TEST_DATABASE_URL!, schema, poolSize: 2 }),
        await openStore({ backend: 'postgres', url: TEST_DATABASE_URL!, schema, poolSize: 2 }),
      ];
      await stores[0]!.migrate();
      cleanup = async () => {
        const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
        await client.connect();
        await client.query(`drop schema if exists "${schema}" cascade`);
        await client.end();
      };
    } else {
      const dir = mkdtempSync(path.join(tmpdir(), 'keyward-lease-'));
      const store = await openStore({ backend: 'sqlite', file: path.join(dir, 'keyward.db') });
      await store.migrate();
      stores = [store, store];
      cleanup = async () => rmSync(dir, { recursive: true, force: true });
    }
  });
  afterEach(async () => {
    for (const s of new Set(stores)) await s.close();
    await cleanup();
  });

  it('runs a job on one replica only, which keeps it; a stopped replica hands it over at once', async () => {
    const a = replica(stores[0]!, 'replica-a');
    const b = replica(stores[1]!, 'replica-b');
    const [ra, rb] = await Promise.all([a.runOnce(), b.runOnce()]);
    expect([ra[0]!.ran, rb[0]!.ran].filter(Boolean)).toHaveLength(1);
    expect(runs).toHaveLength(1);
    const winner = ra[0]!.ran ? a : b;
    const loser = winner === a ? b : a;
    expect((ra[0]!.ran ? rb : ra)[0]).toMatchObject({ ran: false, holder: winner.holder });

    // Rounds later (within the lease, renewed each time), the same replica keeps the job.
    for (let i = 0; i < 3; i++) {
      clock.advance(LEASE_MS / 2);
      expect((await loser.runOnce())[0]!.ran).toBe(false);
      expect((await winner.runOnce())[0]!.ran).toBe(true);
    }
    expect(new Set(runs)).toEqual(new Set([winner.holder]));

    await winner.stop();
    expect((await loser.runOnce())[0]).toMatchObject({ ran: true, holder: loser.holder });
    await loser.stop();
  });

  it('hands the job over when the holder stops renewing and its lease expires', async () => {
    const a = replica(stores[0]!, 'replica-a');
    const b = replica(stores[1]!, 'replica-b');
    expect((await a.runOnce())[0]!.ran).toBe(true);
    // `a` dies (no stop, no renewal). Until its lease ends, `b` waits.
    clock.advance(LEASE_MS - 1);
    expect((await b.runOnce())[0]!.ran).toBe(false);
    clock.advance(1);
    expect((await b.runOnce())[0]).toMatchObject({ ran: true, holder: 'replica-b' });
    // `a` comes back: the job is `b`'s now.
    expect((await a.runOnce())[0]).toMatchObject({ ran: false, holder: 'replica-b' });
    expect(runs).toEqual(['replica-a', 'replica-b']);
    await b.stop();
  });

  it('reports a failing job and keeps running the others', async () => {
    const errors: string[] = [];
    const s = createLifecycleScheduler({
      leases: stores[0]!.schedulerLeases,
      jobs: [
        { name: 'broken', run: async () => Promise.reject(new Error('boom')) },
        { name: 'fine', run: async () => 42 },
      ],
      intervalMs: 0,
      now: clock.now,
      onError: (job) => errors.push(job),
    });
    const reports = await s.runOnce();
    expect(reports).toMatchObject([
      { job: 'broken', ran: true, error: 'boom' },
      { job: 'fine', ran: true, result: 42 },
    ]);
    expect(errors).toEqual(['broken']);
    await s.stop();
    expect(await stores[0]!.schedulerLeases.get('fine')).toBeUndefined();
  });
});
