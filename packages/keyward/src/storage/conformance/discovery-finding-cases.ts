/**
 * Conformance cases for findings (unique dedupKey, newest-first pages, optimistic updates, the
 * unresolved walk and the counts behind the posture report) and for discovery runs.
 */
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../discovery/discovery-types.js';
import { newId } from '../../ids.js';
import { allPages, rejectsWith, type StoreRef } from './conformance-fixtures.js';
import { aFinding, aRun, at } from './discovery-fixtures.js';

const ids = (items: ReadonlyArray<{ id: string }>): string[] => items.map((x) => x.id);

export function discoveryFindingCases(store: StoreRef): void {
  describe('findings', () => {
    it('create round-trips every field; a taken dedupKey is conflict; getByDedupKey', async () => {
      const s = store().findings;
      const f = aFinding();
      const bare = aFinding({ identityId: null, credentialId: null, note: null, evidence: {} });
      await s.create(f);
      await s.create(bare);
      expect(await s.get(f.id)).toEqual(f);
      expect(await s.get(bare.id)).toEqual(bare);
      expect(await s.get(newId('finding'))).toBeUndefined();
      expect(await s.getByDedupKey(f.dedupKey)).toEqual(f);
      expect(await s.getByDedupKey('leaked-secret:unknown')).toBeUndefined();
      const dup = aFinding({ dedupKey: f.dedupKey });
      await rejectsWith(s.create(dup), 'conflict');
      expect(await s.get(dup.id)).toBeUndefined();
    });

    it('lists newest first with keyset pages and every filter', async () => {
      const s = store().findings;
      const who = newId('identity');
      const key = newId('credential');
      const made = [
        aFinding({ identityId: who }),
        aFinding({ code: 'NHI7', rule: 'long-lived', severity: 'low', credentialId: key }),
        aFinding({ status: 'resolved', resolvedAt: at(50), resolution: 'credential revoked' }),
        aFinding({ identityId: who, status: 'accepted', severity: 'critical', acceptedUntil: at(90) }),
        aFinding(),
      ];
      for (const f of made) await s.create(f);
      const newest = [...made].reverse();
      expect(ids(await allPages((cursor) => s.list({}, { limit: 2, cursor })))).toEqual(ids(newest));
      expect(await s.list({}, { limit: 5 })).toEqual({ items: newest, nextCursor: null });
      const only = async (filter: Parameters<typeof s.list>[0]): Promise<string[]> =>
        ids((await s.list(filter, {})).items);
      expect(await only({ identityId: who })).toEqual([made[3]!.id, made[0]!.id]);
      expect(await only({ code: 'NHI7' })).toEqual([made[1]!.id]);
      expect(await only({ rule: 'long-lived' })).toEqual([made[1]!.id]);
      expect(await only({ severity: 'critical' })).toEqual([made[3]!.id]);
      expect(await only({ status: 'resolved' })).toEqual([made[2]!.id]);
      expect(await only({ credentialId: key })).toEqual([made[1]!.id]);
      expect(await only({ status: 'open', code: 'NHI2' })).toEqual([made[4]!.id, made[0]!.id]);
      expect(await only({ code: 'NHI9' })).toEqual([]);
    });

    it('update writes version + 1 only over the expected version', async () => {
      const s = store().findings;
      const f = aFinding();
      await s.create(f);
      const change: Partial<Finding> = {
        status: 'resolved',
        resolvedAt: at(70),
        resolution: 'credential rotated',
      };
      const resolved = await s.update({ ...f, ...change });
      expect(resolved).toEqual({ ...f, ...change, version: 2 });
      expect(await s.get(f.id)).toEqual(resolved);
      await rejectsWith(s.update({ ...f, note: 'stale' }), 'version_conflict');
      await rejectsWith(s.update(aFinding()), 'not_found');
      expect(await s.get(f.id)).toEqual(resolved);
    });

    it('listUnresolved walks the open and accepted findings of one rule, oldest first, after afterId', async () => {
      const s = store().findings;
      const made = [
        aFinding(),
        aFinding({ status: 'resolved', resolvedAt: at(5), resolution: 'credential revoked' }),
        aFinding({ rule: 'long-lived' }),
        aFinding({ status: 'accepted', acceptedUntil: at(99) }),
        aFinding(),
        aFinding(),
      ];
      for (const f of [...made].reverse()) await s.create(f); // insertion order must not matter
      const unresolved = [made[0]!, made[3]!, made[4]!, made[5]!];
      expect(await s.listUnresolved('leaked-secret', 10)).toEqual(unresolved);
      expect(await s.listUnresolved('leaked-secret', 2)).toEqual(unresolved.slice(0, 2));
      expect(await s.listUnresolved('leaked-secret', 2, made[3]!.id)).toEqual(unresolved.slice(2));
      expect(await s.listUnresolved('leaked-secret', 10, made[5]!.id)).toEqual([]);
      expect(await s.listUnresolved('long-lived', 10)).toEqual([made[2]!]);
      expect(await s.listUnresolved('no-such-rule', 10)).toEqual([]);
    });

    it('countBy counts by (code, severity, status); resolvedTimes gives the times of matching resolutions', async () => {
      const s = store().findings;
      const resolved = (resolution: string, seen: number, done: number, rule = 'leaked-secret'): Finding =>
        aFinding({ rule, status: 'resolved', firstSeenAt: at(seen), resolvedAt: at(done), resolution });
      const made = [
        aFinding(),
        aFinding(),
        aFinding({ severity: 'critical' }),
        aFinding({ code: 'NHI7', rule: 'long-lived', severity: 'low', status: 'accepted' }),
        resolved('credential revoked', 1, 11),
        resolved('credential rotated', 2, 12),
        resolved('false positive', 3, 13),
        resolved('credential revoked', 4, 14, 'long-lived'),
      ];
      for (const f of made) await s.create(f);
      // The long-lived one resolved keeps the default code and severity: four NHI2 high resolved.
      expect(await s.countBy()).toEqual([
        { code: 'NHI2', severity: 'critical', status: 'open', count: 1 },
        { code: 'NHI2', severity: 'high', status: 'open', count: 2 },
        { code: 'NHI2', severity: 'high', status: 'resolved', count: 4 },
        { code: 'NHI7', severity: 'low', status: 'accepted', count: 1 },
      ]);
      const times = await s.resolvedTimes('leaked-secret', ['credential revoked', 'credential rotated']);
      const sorted = [...times].sort((a, b) => (a.firstSeenAt < b.firstSeenAt ? -1 : 1));
      expect(sorted).toEqual([
        { firstSeenAt: at(1), resolvedAt: at(11) },
        { firstSeenAt: at(2), resolvedAt: at(12) },
      ]);
      expect(await s.resolvedTimes('leaked-secret', [])).toEqual([]);
      expect(await s.resolvedTimes('leaked-secret', ['nobody said this'])).toEqual([]);
    });
  });

  describe('discovery runs', () => {
    it('create and get round-trip the summary; list is newest first with filters and pages', async () => {
      const s = store().discoveryRuns;
      const made = [
        aRun(),
        aRun({ type: 'scan', source: 'scan', scope: 'repo:web', feed: 'scan' }),
        aRun({ scope: 'k8s:prod', source: 'kubernetes', feed: 'manifests' }),
        aRun(),
      ];
      for (const r of made) await s.create(r);
      expect(await s.get(made[1]!.id)).toEqual(made[1]);
      expect(await s.get(newId('discoveryRun'))).toBeUndefined();
      await rejectsWith(s.create({ ...made[0]!, actor: 'again' }), 'conflict');
      const newest = [...made].reverse();
      expect(await allPages((cursor) => s.list({}, { limit: 3, cursor }))).toEqual(newest);
      expect((await s.list({ type: 'scan' }, {})).items).toEqual([made[1]]);
      expect((await s.list({ type: 'import' }, {})).items).toEqual([made[3], made[2], made[0]]);
      expect((await s.list({ type: 'import', scope: 'aws:111111111111' }, {})).items).toEqual([
        made[3],
        made[0],
      ]);
      expect((await s.list({ scope: 'none' }, {})).items).toEqual([]);
    });
  });
}
