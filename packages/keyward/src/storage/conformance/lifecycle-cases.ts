/**
 * Conformance cases for the lifecycle stores: scheduler leases (take a free lease, refuse a held
 * one, renew one's own, take over an expired one, race for a free one, release only one's own),
 * offboarding cases (one open case per human, round trip, filters and pages) and expiry notices
 * (once per identity and end date).
 */
import { describe, expect, it } from 'vitest';
import { newId } from '../../ids.js';
import type { OffboardingCase } from '../lifecycle-stores.js';
import { isStorageError } from '../storage-errors.js';
import { allPages, type StoreRef } from './conformance-fixtures.js';

const T0 = '2025-01-02T03:00:00.000Z';
const T1 = '2025-01-02T03:01:00.000Z';
const T2 = '2025-01-02T03:02:00.000Z';

export function aCase(over: Partial<OffboardingCase> = {}): OffboardingCase {
  return {
    id: newId('offboardingCase'),
    humanId: newId('human'),
    startedAt: T0,
    graceUntil: T2,
    state: 'orphaning',
    details: {
      email: 'leaver@example.com',
      revokedTasks: [newId('task')],
      orphaned: [],
      disabled: [],
      kept: [],
      closedAt: null,
    },
    ...over,
  };
}

export function lifecycleCases(store: StoreRef): void {
  describe('scheduler leases', () => {
    it('takes a free lease, refuses a held one, renews its own, takes over an expired one', async () => {
      const leases = store().schedulerLeases;
      expect(await leases.acquire('job-a', 'r1', T0, T1)).toBe(true);
      expect(await leases.acquire('job-a', 'r2', T0, T1)).toBe(false);
      expect(await leases.get('job-a')).toEqual({ job: 'job-a', holder: 'r1', expiresAt: T1 });
      expect(await leases.acquire('job-a', 'r1', T0, T2)).toBe(true);
      expect((await leases.get('job-a'))?.expiresAt).toBe(T2);
      // Another job's lease is independent.
      expect(await leases.acquire('job-b', 'r2', T0, T1)).toBe(true);
      // At expires_at the lease is free.
      expect(await leases.acquire('job-a', 'r2', T2, '2025-01-02T03:03:00.000Z')).toBe(true);
      expect((await leases.get('job-a'))?.holder).toBe('r2');
    });

    it('lets exactly one of many racing replicas take a free lease', async () => {
      const leases = store().schedulerLeases;
      const won = await Promise.all(
        Array.from({ length: 8 }, (_, i) => leases.acquire('race', `r${i}`, T0, T1)),
      );
      expect(won.filter(Boolean)).toHaveLength(1);
    });

    it('releases only its own lease', async () => {
      const leases = store().schedulerLeases;
      await leases.acquire('job', 'r1', T0, T1);
      expect(await leases.release('job', 'r2')).toBe(false);
      expect(await leases.get('job')).toBeDefined();
      expect(await leases.release('job', 'r1')).toBe(true);
      expect(await leases.get('job')).toBeUndefined();
      expect(await leases.acquire('job', 'r2', T0, T1)).toBe(true);
    });
  });

  describe('offboarding cases', () => {
    it('round-trips a case and updates its state and details', async () => {
      const cases = store().offboardingCases;
      const c = aCase();
      await cases.create(c);
      expect(await cases.get(c.id)).toEqual(c);
      expect(await cases.openFor(c.humanId)).toEqual(c);
      const next: OffboardingCase = {
        ...c,
        state: 'closed',
        details: { ...c.details, disabled: [newId('identity')], closedAt: T2 },
      };
      await cases.update(next);
      expect(await cases.get(c.id)).toEqual(next);
      expect(await cases.openFor(c.humanId)).toBeUndefined();
      expect(await cases.latestFor(c.humanId)).toEqual(next);
      expect(await cases.get(newId('offboardingCase'))).toBeUndefined();
    });

    it('reads a case for update inside a transaction, one writer after the other', async () => {
      const c = aCase();
      await store().offboardingCases.create(c);
      // Two transactions each append an id to the case's list; neither write is lost.
      const ids = [newId('identity'), newId('identity')];
      await Promise.all(
        ids.map((id) =>
          store().transaction(async (tx) => {
            const locked = await tx.offboardingCases.getForUpdate(c.id);
            expect(locked?.id).toBe(c.id);
            locked!.details.orphaned.push(id);
            await tx.offboardingCases.update(locked!);
          }),
        ),
      );
      expect((await store().offboardingCases.get(c.id))?.details.orphaned.sort()).toEqual(ids.sort());
      expect(
        await store().transaction((tx) => tx.offboardingCases.getForUpdate(newId('offboardingCase'))),
      ).toBeUndefined();
    });

    it('keeps at most one open case per human (conflict), a new one once the old is closed', async () => {
      const cases = store().offboardingCases;
      const first = aCase();
      await cases.create(first);
      const err = await cases.create(aCase({ humanId: first.humanId })).catch((e: unknown) => e);
      expect(isStorageError(err, 'conflict')).toBe(true);
      await cases.update({ ...first, state: 'closed' });
      const second = aCase({ humanId: first.humanId });
      await cases.create(second);
      expect((await cases.openFor(first.humanId))?.id).toBe(second.id);
      expect((await cases.latestFor(first.humanId))?.id).toBe(second.id);
    });

    it('lists by id with state and human filters, in pages', async () => {
      const cases = store().offboardingCases;
      const made = [aCase(), aCase({ state: 'awaiting_reassignment' }), aCase({ state: 'closed' })];
      for (const c of made) await cases.create(c);
      const all = await allPages((cursor) => cases.list({}, { cursor, limit: 2 }));
      expect(all.map((c) => c.id)).toEqual(made.map((c) => c.id));
      const waiting = await cases.list({ state: 'awaiting_reassignment' }, {});
      expect(waiting.items.map((c) => c.id)).toEqual([made[1]!.id]);
      const one = await cases.list({ humanId: made[2]!.humanId }, {});
      expect(one.items.map((c) => c.id)).toEqual([made[2]!.id]);
    });
  });

  describe('expiry notices', () => {
    it('records a notice once per identity and end date', async () => {
      const notices = store().expiryNotices;
      const id = newId('identity');
      expect(await notices.has(id, T1)).toBe(false);
      expect(await notices.record(id, T1, T0)).toBe(true);
      expect(await notices.record(id, T1, T2)).toBe(false);
      expect(await notices.has(id, T1)).toBe(true);
      // A renewed credential (a new end) is noticed again.
      expect(await notices.record(id, T2, T2)).toBe(true);
    });
  });
}
