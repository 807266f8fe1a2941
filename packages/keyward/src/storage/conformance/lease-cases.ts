/**
 * Conformance cases for credential leases (status machine, atomic claim, due work, counts) and
 * brokered database configurations.
 */
import { describe, expect, it } from 'vitest';
import { newId } from '../../ids.js';
import type { BrokeredDatabase, CredentialLease } from '../storage-types.js';
import { allPages, rejectsWith, type StoreRef } from './conformance-fixtures.js';

let serial = 0;
const T0 = '2025-01-02T03:04:05.678Z';
const T1 = '2025-01-02T04:00:00.000Z';
const T2 = '2025-01-02T05:00:00.000Z';

export function aLease(over: Partial<CredentialLease> = {}): CredentialLease {
  const n = ++serial;
  return {
    id: newId('lease'),
    database: 'analytics',
    roleName: `kw_role_${n}`,
    ownerRef: `task-${n}`,
    createdAt: T0,
    validUntil: T1,
    status: 'active',
    attempts: 0,
    lastError: null,
    revokedAt: null,
    nextAttemptAt: null,
    claimedAt: null,
    ...over,
  };
}

export function aBrokeredDatabase(over: Partial<BrokeredDatabase> = {}): BrokeredDatabase {
  return {
    name: `db-${++serial}`,
    adminUrl: 'postgres://admin@db.internal:5432/app',
    sealedPassword: 'v1.sealed',
    rolePrefix: 'kw',
    grants: ['GRANT SELECT ON ALL TABLES IN SCHEMA public TO {{role}}'],
    maxTtlSeconds: 3600,
    createdAt: T0,
    updatedAt: T0,
    ...over,
  };
}

export function leaseCases(store: StoreRef): void {
  describe('credential leases', () => {
    it('round-trips every field; the (database, role) pair and the id are unique', async () => {
      const s = store();
      const full = aLease({ lastError: 'x', nextAttemptAt: T1, claimedAt: T0, revokedAt: T2, attempts: 3 });
      await s.leases.create(full);
      expect(await s.leases.get(full.id)).toEqual(full);
      expect(await s.leases.get(newId('lease'))).toBeUndefined();
      await rejectsWith(s.leases.create(aLease({ roleName: full.roleName })), 'conflict');
      await rejectsWith(s.leases.create(aLease({ id: full.id })), 'conflict');
      await s.leases.create(aLease({ roleName: full.roleName, database: 'other' }));
    });

    it('lists in id order, filtered by status, owner and database, paginated', async () => {
      const s = store();
      const a = aLease({ ownerRef: 'task-x' });
      const b = aLease({ ownerRef: 'task-x', status: 'revoked', database: 'other' });
      const c = aLease();
      for (const l of [a, b, c]) await s.leases.create(l);
      const ids = (p: { items: CredentialLease[] }) => p.items.map((l) => l.id);
      expect(ids(await s.leases.list({}, {}))).toEqual([a.id, b.id, c.id]);
      expect(ids(await s.leases.list({ ownerRef: 'task-x' }, {}))).toEqual([a.id, b.id]);
      expect(ids(await s.leases.list({ status: 'active' }, {}))).toEqual([a.id, c.id]);
      expect(ids(await s.leases.list({ database: 'other' }, {}))).toEqual([b.id]);
      const all = await allPages((cursor) => s.leases.list({}, { limit: 1, cursor }));
      expect(all.map((l) => l.id)).toEqual([a.id, b.id, c.id]);
    });

    it('claim is atomic and only from active, revoke_failed or stale revoking', async () => {
      const s = store();
      const l = aLease();
      await s.leases.create(l);
      const [first, second] = await Promise.all([s.leases.claim(l.id, T1, T0), s.leases.claim(l.id, T1, T0)]);
      expect([first, second].filter(Boolean)).toHaveLength(1);
      expect(first ?? second).toMatchObject({ status: 'revoking', claimedAt: T1 });
      expect(await s.leases.claim(l.id, T1, T0)).toBeUndefined(); // claimed at T1, not stale before T0
      expect(await s.leases.claim(l.id, T2, T2)).toMatchObject({ status: 'revoking', claimedAt: T2 });
      expect(await s.leases.claim(newId('lease'), T1, T0)).toBeUndefined();
    });

    it('revoking → revoke_failed → revoking → revoked, counting attempts; revoked is final', async () => {
      const s = store();
      const l = aLease();
      await s.leases.create(l);
      expect(await s.leases.markFailed(l.id, 'not claimed', T1)).toMatchObject({ status: 'active' });
      await s.leases.claim(l.id, T0, T0);
      const failed = await s.leases.markFailed(l.id, 'connection refused', T1);
      expect(failed).toMatchObject({
        status: 'revoke_failed',
        attempts: 1,
        lastError: 'connection refused',
        nextAttemptAt: T1,
        claimedAt: null,
      });
      expect(await s.leases.claim(l.id, T1, T0)).toMatchObject({ status: 'revoking', attempts: 1 });
      const revoked = await s.leases.markRevoked(l.id, T2);
      expect(revoked).toMatchObject({
        status: 'revoked',
        attempts: 2,
        lastError: null,
        nextAttemptAt: null,
        revokedAt: T2,
      });
      expect(await s.leases.claim(l.id, T2, T2)).toBeUndefined();
      expect(await s.leases.markFailed(l.id, 'late', T2)).toMatchObject({ status: 'revoked' });
    });

    it('listDue finds expired active, due failed and stale revoking leases; counts by status', async () => {
      const s = store();
      const expired = aLease({ validUntil: T0 });
      const live = aLease({ validUntil: T2 });
      const dueFailed = aLease({ status: 'revoke_failed', nextAttemptAt: T0, validUntil: T2 });
      const laterFailed = aLease({ status: 'revoke_failed', nextAttemptAt: T2 });
      const stale = aLease({ status: 'revoking', claimedAt: T0 });
      const fresh = aLease({ status: 'revoking', claimedAt: T2 });
      const done = aLease({ status: 'revoked', validUntil: T0, revokedAt: T0 });
      for (const l of [expired, live, dueFailed, laterFailed, stale, fresh, done]) await s.leases.create(l);
      const due = await s.leases.listDue(T1, T1, 100);
      expect(due.map((l) => l.id)).toEqual([expired.id, dueFailed.id, stale.id]);
      expect(await s.leases.listDue(T1, T1, 1)).toHaveLength(1);
      expect(await s.leases.countByStatus()).toEqual({
        active: 2,
        revoking: 2,
        revoked: 1,
        revoke_failed: 2,
      });
    });
  });

  describe('brokered databases', () => {
    it('create, get, list by name, update, delete; names are unique', async () => {
      const s = store();
      const b = aBrokeredDatabase({ name: 'b-db', sealedPassword: null, grants: [] });
      const a = aBrokeredDatabase({ name: 'a-db' });
      await s.brokeredDatabases.create(b);
      await s.brokeredDatabases.create(a);
      expect(await s.brokeredDatabases.get('b-db')).toEqual(b);
      expect(await s.brokeredDatabases.get('nope')).toBeUndefined();
      expect((await s.brokeredDatabases.list()).map((d) => d.name)).toEqual(['a-db', 'b-db']);
      await rejectsWith(s.brokeredDatabases.create(aBrokeredDatabase({ name: 'a-db' })), 'conflict');
      const changed = { ...a, adminUrl: 'postgres://other@h/db', maxTtlSeconds: 60, updatedAt: T1 };
      await s.brokeredDatabases.update({ ...changed, createdAt: T2 });
      expect(await s.brokeredDatabases.get('a-db')).toEqual(changed);
      await rejectsWith(s.brokeredDatabases.update(aBrokeredDatabase({ name: 'zzz' })), 'not_found');
      expect(await s.brokeredDatabases.delete('a-db')).toBe(true);
      expect(await s.brokeredDatabases.delete('a-db')).toBe(false);
      expect(await s.brokeredDatabases.list()).toHaveLength(1);
    });
  });
}
