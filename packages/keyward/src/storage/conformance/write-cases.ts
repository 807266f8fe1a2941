/**
 * Conformance cases for bulk and transactional writes, the audit log, API tokens and migrations.
 */
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../migrations/migrations.js';
import {
  aHuman,
  anEdge,
  anEvent,
  anIdentity,
  aToken,
  byId,
  rejectsWith,
  type StoreRef,
} from './conformance-fixtures.js';

export function writeCases(store: StoreRef, appliedAtStart: () => number[][]): void {
  describe('createMany', () => {
    it('inserts 2,500 identities in one call', async () => {
      const s = store();
      const batch = Array.from({ length: 2500 }, (_, i) =>
        i % 2 ? anIdentity() : anIdentity({ labels: {} }),
      );
      await s.identities.createMany(batch);
      expect(await s.identities.count()).toBe(2500);
      expect(await s.identities.get(batch[1234]!.id)).toEqual(batch[1234]);
      expect(await s.identities.get(batch[2499]!.id)).toEqual(batch[2499]);
      await s.identities.createMany([]);
      expect(await s.identities.count()).toBe(2500);
    });

    it('one duplicate inside the batch (in a late chunk) → conflict and nothing written', async () => {
      const s = store();
      const batch = Array.from({ length: 2500 }, () => anIdentity());
      batch[2400] = anIdentity({ name: batch[3]!.name });
      await rejectsWith(s.identities.createMany(batch), 'conflict');
      expect(await s.identities.count()).toBe(0);

      const existing = anIdentity();
      await s.identities.create(existing);
      await rejectsWith(
        s.identities.createMany([anIdentity(), anIdentity({ name: existing.name })]),
        'conflict',
      );
      expect(await s.identities.count()).toBe(1);

      const edges = Array.from({ length: 3000 }, () => anEdge());
      const last = edges[2999]!;
      edges.push(anEdge({ kind: last.kind, fromId: last.fromId, toId: last.toId }));
      await rejectsWith(s.edges.createMany(edges), 'conflict');
      expect(await s.edges.count()).toBe(0);
      const h = aHuman();
      await rejectsWith(s.humans.createMany([h, aHuman({ email: h.email })]), 'conflict');
      expect(await s.humans.get(h.id)).toBeUndefined();
    });
  });

  describe('bulk load', () => {
    it('writes everything, keeps filters and lookups working, and enforces uniqueness', async () => {
      const s = store();
      const ids = Array.from({ length: 1200 }, (_, i) => anIdentity({ environment: i % 3 ? 'dev' : 'prod' }));
      const edges = ids.slice(1).map((to, i) => anEdge({ fromId: ids[i]!.id, toId: to.id }));
      await s.bulkLoad(async (tx) => {
        await tx.identities.createMany(ids);
        await tx.edges.createMany(edges);
      });
      expect(await s.identities.count()).toBe(1200);
      expect((await s.identities.list({ environment: 'prod' }, { limit: 1000 })).items).toHaveLength(400);
      expect((await s.edges.list({ toId: ids[7]!.id }, {})).items.map((e) => e.fromId)).toEqual([ids[6]!.id]);
      const dup = anIdentity({ name: ids[5]!.name });
      await rejectsWith(
        s.bulkLoad(async (tx) => {
          await tx.identities.createMany([anIdentity(), dup]);
        }),
        'conflict',
      );
      expect(await s.identities.count()).toBe(1200);
      // A failed load leaves the store as usable as before: filters still answer.
      expect((await s.identities.list({ environment: 'dev' }, { limit: 1000 })).items).toHaveLength(800);
    });
  });

  describe('transactions', () => {
    it('commits every write together and returns fn’s value', async () => {
      const s = store();
      const i = anIdentity();
      const result = await s.transaction(async (tx) => {
        await tx.identities.create(i);
        await tx.edges.createMany([anEdge({ fromId: i.id })]);
        await tx.audit.append(anEvent({ targetId: i.id }));
        expect(await tx.identities.get(i.id)).toEqual(i); // reads see the transaction's writes
        return 42;
      });
      expect(result).toBe(42);
      expect(await s.identities.get(i.id)).toEqual(i);
      expect(await s.edges.count()).toBe(1);
      expect(await s.audit.list({ targetId: i.id }, 10)).toHaveLength(1);
    });

    it('a throw rolls back every write, audit events and bulk inserts included', async () => {
      const s = store();
      const i = anIdentity();
      const boom = new Error('boom');
      const err = await s
        .transaction(async (tx) => {
          await tx.identities.create(i);
          await tx.identities.createMany(Array.from({ length: 2000 }, () => anIdentity()));
          await tx.humans.create(aHuman());
          await tx.edges.create(anEdge());
          await tx.audit.append(anEvent());
          await tx.audit.appendMany([anEvent(), anEvent()]);
          throw boom;
        })
        .catch((e: unknown) => e);
      expect(err).toBe(boom);
      expect(await s.identities.count()).toBe(0);
      expect(await s.edges.count()).toBe(0);
      expect((await s.humans.list({}, {})).items).toEqual([]);
      expect(await s.audit.list({}, 100)).toEqual([]);
    });

    it('a conflict inside the transaction rolls back the earlier writes too', async () => {
      const s = store();
      const first = anIdentity();
      await s.identities.create(first);
      const other = anIdentity();
      await rejectsWith(
        s.transaction(async (tx) => {
          await tx.identities.create(other);
          await tx.identities.create(anIdentity({ name: first.name }));
        }),
        'conflict',
      );
      expect(await s.identities.get(other.id)).toBeUndefined();
    });
  });

  describe('audit log', () => {
    it('append assigns increasing seq; list filters and pages by afterSeq', async () => {
      const s = store();
      const e1 = await s.audit.append(anEvent({ type: 'identity.created' }));
      const e2 = await s.audit.append(anEvent({ type: 'edge.deleted', outcome: 'denied', targetId: null }));
      await s.audit.appendMany([anEvent({ targetId: e1.targetId }), anEvent(), anEvent()]);
      expect(e2.seq).toBeGreaterThan(e1.seq);
      const all = await s.audit.list({}, 100);
      expect(all).toHaveLength(5);
      expect(all[0]).toEqual(e1);
      expect(all[1]).toEqual(e2);
      const seqs = all.map((e) => e.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(new Set(seqs).size).toBe(5);
      expect(await s.audit.list({ afterSeq: e2.seq }, 100)).toEqual(all.slice(2));
      expect(await s.audit.list({ afterSeq: e1.seq }, 2)).toEqual(all.slice(1, 3));
      expect(await s.audit.list({ type: 'edge.deleted' }, 100)).toEqual([e2]);
      expect((await s.audit.list({ targetId: e1.targetId! }, 100)).map((e) => e.seq)).toEqual([
        e1.seq,
        all[2]!.seq,
      ]);
      expect(await s.audit.list({ afterSeq: all[4]!.seq }, 100)).toEqual([]);
      await rejectsWith(s.audit.append({ ...anEvent(), id: e1.id }), 'conflict');
    });
  });

  describe('api tokens', () => {
    it('create, getByHash, revoke (first time wins), touch, list, count', async () => {
      const s = store();
      const t = aToken();
      await s.apiTokens.create(t, 'hash-1');
      await s.apiTokens.create(aToken({ expiresAt: null }), 'hash-2');
      expect(await s.apiTokens.getByHash('hash-1')).toEqual(t);
      expect(await s.apiTokens.get(t.id)).toEqual(t);
      expect(await s.apiTokens.getByHash('nope')).toBeUndefined();
      await rejectsWith(s.apiTokens.create(aToken(), 'hash-1'), 'conflict');
      expect(await s.apiTokens.count()).toBe(2);

      await s.apiTokens.touch(t.id, '2025-03-01T00:00:00.000Z');
      expect((await s.apiTokens.get(t.id))?.lastUsedAt).toBe('2025-03-01T00:00:00.000Z');
      const revoked = await s.apiTokens.revoke(t.id, '2025-04-01T00:00:00.000Z');
      expect(revoked?.revokedAt).toBe('2025-04-01T00:00:00.000Z');
      expect((await s.apiTokens.revoke(t.id, '2025-05-01T00:00:00.000Z'))?.revokedAt).toBe(
        '2025-04-01T00:00:00.000Z',
      );
      expect((await s.apiTokens.getByHash('hash-1'))?.revokedAt).toBe('2025-04-01T00:00:00.000Z');
      expect(await s.apiTokens.revoke(aToken().id, '2025-05-01T00:00:00.000Z')).toBeUndefined();
      const page = await s.apiTokens.list({ limit: 1 });
      expect(page.items.map((x) => x.id)).toEqual([t.id]);
      const rest = await s.apiTokens.list({ limit: 1, cursor: page.nextCursor! });
      expect(rest.nextCursor).toBeNull();
      expect(byId([...page.items, ...rest.items])).toHaveLength(2);
    });
  });

  describe('migrations', () => {
    it('apply every migration once, even when two migrate() calls race; then apply nothing', async () => {
      const applied = appliedAtStart()
        .flat()
        .sort((a, b) => a - b);
      expect(applied).toEqual(MIGRATIONS.map((m) => m.version));
      expect(await store().migrate()).toEqual([]);
      expect(await store().migrate()).toEqual([]);
    });
  });
}
