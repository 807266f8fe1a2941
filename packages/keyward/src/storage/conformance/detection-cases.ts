/**
 * Conformance cases for the detection stores: alerts (optimistic updates, filters, newest-first
 * pages, unresolved lookup), audit checkpoint keys (one active key) and baselines (upsert, scan).
 */
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../audit/audit-hash.js';
import type { Alert, CheckpointKeyRecord } from '../../detection/alert-types.js';
import { newId } from '../../ids.js';
import { rejectsWith, type StoreRef } from './conformance-fixtures.js';

const T = '2026-01-01T00:00:00.000Z';
let n = 0;
const anAlert = (over: Partial<Alert> = {}): Alert => ({
  id: newId('alert'),
  identityId: 'nhi_0190a0b0c0d0e0f00000000000000001',
  kind: 'new_source',
  severity: 'medium',
  status: 'open',
  title: `alert ${++n}`,
  explanation: 'seen from a new network',
  baseline: { networks: ['10.0.0.0/24'] },
  observed: { network: '203.0.113.0/24' },
  eventIds: ['evt_1', 'evt_2'],
  eventCount: 2,
  firstSeenAt: T,
  lastSeenAt: T,
  createdAt: T,
  updatedAt: T,
  acknowledgedBy: null,
  acknowledgedAt: null,
  resolvedBy: null,
  resolvedAt: null,
  note: null,
  version: 1,
  ...over,
});
const aKey = (over: Partial<CheckpointKeyRecord> = {}): CheckpointKeyRecord => ({
  kid: `ck-${++n}`,
  status: 'active',
  publicJwk: { kty: 'OKP', crv: 'Ed25519', x: `x${n}` },
  privateKeySealed: 'kw1.mk.n.c.t',
  createdAt: `2026-01-01T00:00:${String(n % 60).padStart(2, '0')}.000Z`,
  retiredAt: null,
  ...over,
});

export function detectionCases(store: StoreRef): void {
  describe('alerts', () => {
    it('round-trips, updates by version only, and reports conflicts', async () => {
      const a = anAlert();
      await store().alerts.create(a);
      expect(await store().alerts.get(a.id)).toEqual(a);
      const acked = await store().alerts.update({ ...a, status: 'acknowledged', acknowledgedBy: 'tok_x' });
      expect(acked.version).toBe(2);
      expect(await store().alerts.get(a.id)).toMatchObject({ status: 'acknowledged', version: 2 });
      await rejectsWith(store().alerts.update({ ...a, note: 'stale' }), 'version_conflict');
      await rejectsWith(store().alerts.update(anAlert()), 'not_found');
    });

    it('lists newest first with filters and cursors; finds the unresolved alert of an identity and kind', async () => {
      const older = anAlert({ status: 'resolved' });
      const newer = anAlert({ kind: 'scope_drift', severity: 'high' });
      const newest = anAlert();
      for (const a of [older, newer, newest]) await store().alerts.create(a);
      const first = await store().alerts.list({}, { limit: 2 });
      expect(first.items.map((a) => a.id)).toEqual([newest.id, newer.id]);
      const rest = await store().alerts.list({}, { limit: 2, cursor: first.nextCursor! });
      expect(rest).toEqual({ items: [older], nextCursor: null });
      expect((await store().alerts.list({ kind: 'scope_drift', severity: 'high' }, {})).items).toEqual([
        newer,
      ]);
      expect((await store().alerts.list({ status: 'resolved' }, {})).items).toEqual([older]);
      expect(await store().alerts.findUnresolved(newest.identityId, 'new_source')).toEqual(newest);
      expect(await store().alerts.findUnresolved(newest.identityId, 'rate_spike')).toBeUndefined();
    });
  });

  describe('audit checkpoint keys', () => {
    it('keeps one active key; retiring keeps the key listed', async () => {
      const k1 = aKey();
      await store().checkpointKeys.create(k1);
      await rejectsWith(store().checkpointKeys.create(aKey()), 'conflict');
      await store().checkpointKeys.retire(k1.kid, T);
      const k2 = aKey();
      await store().checkpointKeys.create(k2);
      expect(await store().checkpointKeys.list()).toEqual([{ ...k1, status: 'retired', retiredAt: T }, k2]);
    });
  });

  describe('baselines', () => {
    it('upserts and scans in identity order', async () => {
      const ids = Array.from({ length: 5 }, () => newId('identity'));
      await store().baselines.upsertMany(
        ids.map((identityId) => ({ identityId, baseline: '{"v":1}', updatedAt: T })),
      );
      await store().baselines.upsertMany([{ identityId: ids[2]!, baseline: '{"v":2}', updatedAt: T }]);
      const seen: string[] = [];
      for await (const batch of store().baselines.scan(2))
        for (const b of batch) seen.push(`${b.identityId}:${b.baseline}`);
      expect(seen).toEqual(ids.map((id, i) => `${id}:{"v":${i === 2 ? 2 : 1}}`));
      expect(await store().baselines.get(ids[2]!)).toEqual({
        identityId: ids[2],
        baseline: '{"v":2}',
        updatedAt: T,
      });
      expect(await store().baselines.get(newId('identity'))).toBeUndefined();
    });
  });
}

/** scanChainText: the database-built hash input, the fast path of `keyward audit verify`. */
export function chainTextCases(store: StoreRef): void {
  describe('audit chain text', () => {
    it('builds each event’s exact hash input, also for quotes, newlines and non-ASCII text', async () => {
      const odd = ['plain', 'quote " and \\ backslash', 'line\nbreak\ttab', 'ünïcødé ✓ 🚀', '</script>'];
      await store().audit.appendMany(
        odd.map((text, i) => ({
          id: newId('auditEvent'),
          time: T,
          actor: `nhi_${text}`,
          type: 'activity.access',
          action: i % 2 ? null : text,
          targetId: i % 2 ? text : null,
          taskId: null,
          outcome: 'success' as const,
          source: i % 2 ? null : { ip: '10.0.0.1', userAgent: text },
          delegationChain: [text],
          details: { text, n: i, nested: { b: [1, null, text] } },
        })),
      );
      const rows = [];
      for await (const batch of store().audit.scanChainText(1, 2)) rows.push(...batch);
      expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
      for (const r of rows) expect(sha256Hex(r.text)).toBe(r.hash);
      expect(rows[1]!.prevHash).toBe(rows[0]!.hash);
    });
  });
}
