/**
 * Conformance cases for policy versions: append numbers versions 1, 2, 3 … and moves the active
 * pointer; a stale expected-active (or a second "first" apply) is a conflict that writes nothing;
 * an append inside a transaction that rolls back leaves no trace; history lists newest first.
 */
import { describe, expect, it } from 'vitest';
import type { PolicyVersion } from '../storage-types.js';
import { rejectsWith, type StoreRef } from './conformance-fixtures.js';

const T0 = '2025-01-02T03:04:05.678Z';

const aVersion = (over: Partial<Omit<PolicyVersion, 'version'>> = {}): Omit<PolicyVersion, 'version'> => ({
  hash: 'a'.repeat(64),
  files: [{ name: 'base.cedar', text: 'permit (principal, action, resource);\n// ünïcode ✓' }],
  kind: 'apply',
  restoredFrom: null,
  replaces: null,
  createdAt: T0,
  createdBy: 'tok_0190a0b0c0d0e0f00000000000000001',
  reason: 'initial set',
  ...over,
});

export function policyCases(store: StoreRef): void {
  describe('policy versions', () => {
    it('has no active version before the first append', async () => {
      expect(await store().policies.active()).toBeUndefined();
      expect(await store().policies.list(10)).toEqual([]);
      expect(await store().policies.get(1)).toBeUndefined();
    });

    it('appends versions in order, moves the active pointer and round-trips every field', async () => {
      const s = store();
      const v1 = await s.policies.append(aVersion(), null);
      expect(v1.version).toBe(1);
      const v2 = await s.policies.append(
        aVersion({ hash: 'b'.repeat(64), replaces: 1, reason: 'tighten prod', files: [] }),
        1,
      );
      const v3 = await s.policies.append(
        aVersion({ kind: 'rollback', restoredFrom: 1, replaces: 2, reason: 'undo' }),
        2,
      );
      expect([v2.version, v3.version]).toEqual([2, 3]);
      expect(await s.policies.active()).toEqual(v3);
      expect(await s.policies.get(1)).toEqual(v1);
      expect(await s.policies.get(2)).toEqual(v2);
      expect((await s.policies.list(10)).map((v) => v.version)).toEqual([3, 2, 1]);
      expect((await s.policies.list(1, 3)).map((v) => v.version)).toEqual([2]);
    });

    it('refuses a stale expected version or a second first apply with conflict, writing nothing', async () => {
      const s = store();
      await s.policies.append(aVersion(), null);
      await rejectsWith(s.policies.append(aVersion({ reason: 'late' }), null), 'conflict');
      await s.policies.append(aVersion({ reason: 'second' }), 1);
      await rejectsWith(s.policies.append(aVersion({ reason: 'stale' }), 1), 'conflict');
      expect((await s.policies.active())?.version).toBe(2);
      expect((await s.policies.list(10)).map((v) => v.reason)).toEqual(['second', 'initial set']);
    });

    it('of two concurrent appends on the same active version exactly one wins', async () => {
      const s = store();
      await s.policies.append(aVersion(), null);
      const results = await Promise.allSettled([
        s.policies.append(aVersion({ reason: 'a' }), 1),
        s.policies.append(aVersion({ reason: 'b' }), 1),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect((await s.policies.list(10)).length).toBe(2);
    });

    it('leaves no trace when the surrounding transaction rolls back', async () => {
      const s = store();
      await expect(
        s.transaction(async (tx) => {
          await tx.policies.append(aVersion(), null);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await s.policies.active()).toBeUndefined();
      expect(await s.policies.list(10)).toEqual([]);
    });
  });
}
