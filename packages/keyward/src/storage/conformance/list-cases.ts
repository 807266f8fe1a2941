/** Conformance cases for reads in bulk: list ordering, filters, keyset pagination, scans. */
import type { Identity } from '@keyward/sdk';
import { describe, expect, it } from 'vitest';
import { KeywardError } from '../../errors.js';
import {
  aHuman,
  allPages,
  anEdge,
  anIdentity,
  aResource,
  aSystem,
  byId,
  type StoreRef,
} from './conformance-fixtures.js';

const ids = (items: ReadonlyArray<{ id: string }>): string[] => items.map((i) => i.id);

export function listCases(store: StoreRef): void {
  describe('lists', () => {
    it('empty store: empty page with nextCursor null', async () => {
      const s = store();
      expect(await s.identities.list({}, {})).toEqual({ items: [], nextCursor: null });
      expect(await s.humans.list({}, {})).toEqual({ items: [], nextCursor: null });
      expect(await s.systems.list({}, {})).toEqual({ items: [], nextCursor: null });
      expect(await s.resources.list({}, {})).toEqual({ items: [], nextCursor: null });
      expect(await s.edges.list({}, {})).toEqual({ items: [], nextCursor: null });
      expect(await s.apiTokens.list({})).toEqual({ items: [], nextCursor: null });
    });

    it('identities: id order and every filter', async () => {
      const s = store();
      const a = anIdentity({ name: 'Payments-Deployer', kind: 'bot', labels: { team: 'pay' } });
      const b = anIdentity({ purpose: 'Nightly BACKUP job', status: 'disabled', environment: 'staging' });
      const c = anIdentity({ ownerId: null, origin: 'github', businessSystem: null, purpose: '100%_done' });
      const d = anIdentity({ labels: { team: 'core', 'a.b': 'x=y' } });
      // Inserted out of id order: lists must sort, not return insertion order.
      for (const i of [c, a, d, b]) await s.identities.create(i);
      const list = async (f: Parameters<typeof s.identities.list>[0]) =>
        ids((await s.identities.list(f, {})).items);

      expect(await list({})).toEqual(ids([a, b, c, d]));
      expect(await list({ kind: 'bot' })).toEqual([a.id]);
      expect(await list({ status: 'disabled' })).toEqual([b.id]);
      expect(await list({ environment: 'staging' })).toEqual([b.id]);
      expect(await list({ ownerId: a.ownerId! })).toEqual(ids([a, b, d]));
      expect(await list({ origin: 'github' })).toEqual([c.id]);
      expect(await list({ businessSystem: 'billing' })).toEqual(ids([a, b, d]));
      expect(await list({ label: 'team=pay' })).toEqual([a.id]);
      expect(await list({ label: 'team=payments' })).toEqual([b.id, c.id]);
      expect(await list({ label: 'a.b=x=y' })).toEqual([d.id]);
      expect(await list({ label: 'missing=1' })).toEqual([]);
      expect(await list({ q: 'payments-DEPLOY' })).toEqual([a.id]);
      expect(await list({ q: 'backup' })).toEqual([b.id]);
      expect(await list({ q: '0%_' })).toEqual([c.id]); // LIKE metacharacters match literally
      expect(await list({ q: '%' })).toEqual([c.id]);
      expect(await list({ status: 'active', environment: 'prod', kind: 'service_account' })).toEqual(
        ids([c, d]),
      );
      expect(await list({ kind: 'certificate' })).toEqual([]);
    });

    it('humans, systems, resources: filters and case-insensitive q', async () => {
      const s = store();
      const h1 = aHuman({ name: 'Ada Lovelace', email: 'ada@example.com' });
      const h2 = aHuman({ name: 'Grace', email: 'GRACE@Navy.mil', active: false });
      await s.humans.createMany([h1, h2]);
      const hl = async (f: Parameters<typeof s.humans.list>[0]) => ids((await s.humans.list(f, {})).items);
      expect(await hl({})).toEqual(ids([h1, h2]));
      expect(await hl({ active: false })).toEqual([h2.id]);
      expect(await hl({ active: true })).toEqual([h1.id]);
      expect(await hl({ q: 'LOVE' })).toEqual([h1.id]);
      expect(await hl({ q: 'navy' })).toEqual([h2.id]);

      const s1 = aSystem({ name: 'Core Banking' });
      const s2 = aSystem({ name: 'marketing-site' });
      await s.systems.createMany([s1, s2]);
      expect(ids((await s.systems.list({ q: 'BANK' }, {})).items)).toEqual([s1.id]);
      expect(ids((await s.systems.list({}, {})).items)).toEqual(ids([s1, s2]));

      const r1 = aResource({ name: 'Orders-DB', systemId: s1.id });
      const r2 = aResource({
        name: 'logs',
        kind: 'bucket',
        sensitivity: 'low',
        environment: null,
        systemId: null,
      });
      await s.resources.createMany([r1, r2]);
      const rl = async (f: Parameters<typeof s.resources.list>[0]) =>
        ids((await s.resources.list(f, {})).items);
      expect(await rl({})).toEqual(ids([r1, r2]));
      expect(await rl({ kind: 'bucket' })).toEqual([r2.id]);
      expect(await rl({ systemId: s1.id })).toEqual([r1.id]);
      expect(await rl({ sensitivity: 'critical' })).toEqual([r1.id]);
      expect(await rl({ environment: 'prod' })).toEqual([r1.id]);
      expect(await rl({ q: 'orders-db' })).toEqual([r1.id]);
    });

    it('pagination: pages follow each other without duplicates or gaps; last page ends with null', async () => {
      const s = store();
      const all: Identity[] = Array.from({ length: 25 }, (_, i) =>
        anIdentity({ kind: i % 2 ? 'bot' : 'agent' }),
      );
      await s.identities.createMany(all);
      const seen = await allPages((cursor) => s.identities.list({}, { cursor, limit: 7 }));
      expect(ids(seen)).toEqual(ids(byId(all)));
      const bots = await allPages((cursor) => s.identities.list({ kind: 'bot' }, { cursor, limit: 4 }));
      expect(ids(bots)).toEqual(ids(byId(all.filter((i) => i.kind === 'bot'))));
      // Exactly one full page: no dangling empty page after it.
      const exact = await s.identities.list({}, { limit: 25 });
      expect(exact.items).toHaveLength(25);
      expect(exact.nextCursor).toBeNull();
    });

    it('limit is clamped to 1..1000 with default 100', async () => {
      const s = store();
      await s.identities.createMany(Array.from({ length: 1005 }, () => anIdentity()));
      expect((await s.identities.list({}, {})).items).toHaveLength(100);
      expect((await s.identities.list({}, { limit: 0 })).items).toHaveLength(1);
      expect((await s.identities.list({}, { limit: -5 })).items).toHaveLength(1);
      expect((await s.identities.list({}, { limit: 5000 })).items).toHaveLength(1000);
    });

    it('a malformed cursor is a validation error', async () => {
      const s = store();
      for (const cursor of ['nope', "nhi_' or 1=1 --", 'hum_0190a0b0c0d0e0f00000000000000001']) {
        const err = await s.identities.list({}, { cursor }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(KeywardError);
        expect((err as KeywardError).code).toBe('validation_failed');
      }
    });
  });

  describe('edges', () => {
    it('list by from, to and kind; delete returns the edge, then undefined', async () => {
      const s = store();
      const [x, y, z] = [anIdentity(), anIdentity(), aResource()];
      const e1 = anEdge({ kind: 'can_assume', fromId: x.id, toId: y.id, actions: [] });
      const e2 = anEdge({ kind: 'has_permission', fromId: y.id, toId: z.id });
      const e3 = anEdge({ kind: 'has_permission', fromId: x.id, toId: z.id, actions: ['admin'] });
      await s.edges.createMany([e1, e2, e3]);
      const el = async (f: Parameters<typeof s.edges.list>[0]) => ids((await s.edges.list(f, {})).items);
      expect(await el({ fromId: x.id })).toEqual([e1.id, e3.id]);
      expect(await el({ toId: z.id })).toEqual([e2.id, e3.id]);
      expect(await el({ kind: 'can_assume' })).toEqual([e1.id]);
      expect(await el({ kind: 'has_permission', fromId: x.id })).toEqual([e3.id]);
      expect(await el({ kind: 'owns' })).toEqual([]);
      expect(await s.edges.delete(e3.id)).toEqual(e3);
      expect(await s.edges.delete(e3.id)).toBeUndefined();
      expect(await el({})).toEqual([e1.id, e2.id]);
    });
  });

  describe('scans', () => {
    it('scan and scanNodes return everything in id order across batches', async () => {
      const s = store();
      const identities = Array.from({ length: 23 }, (_, i) => anIdentity({ environment: `e${i % 3}` }));
      const edges = Array.from({ length: 23 }, () => anEdge());
      const humans = Array.from({ length: 5 }, (_, i) => aHuman({ active: i % 2 === 0 }));
      const systems = Array.from({ length: 5 }, () => aSystem());
      const resources = Array.from({ length: 5 }, () => aResource());
      await s.identities.createMany([...identities].reverse());
      await s.edges.createMany([...edges].reverse());
      await s.humans.createMany(humans);
      await s.systems.createMany(systems);
      await s.resources.createMany(resources);

      const collect = async <T>(it: AsyncIterable<T[]>): Promise<{ batches: number; items: T[] }> => {
        const items: T[] = [];
        let batches = 0;
        for await (const batch of it) {
          batches++;
          items.push(...batch);
        }
        return { batches, items };
      };
      const scannedEdges = await collect(s.edges.scan(5));
      expect(scannedEdges.items).toEqual(byId(edges));
      expect(scannedEdges.batches).toBe(5);
      const nodes = await collect(s.identities.scanNodes(10));
      expect(nodes.items).toEqual(
        byId(identities).map((i) => ({ id: i.id, status: i.status, environment: i.environment })),
      );
      expect((await collect(s.humans.scanNodes())).items).toEqual(
        byId(humans).map((h) => ({ id: h.id, active: h.active })),
      );
      expect((await collect(s.systems.scanNodes(2))).items).toEqual(
        byId(systems).map((x) => ({ id: x.id, sensitivity: x.sensitivity })),
      );
      expect((await collect(s.resources.scanNodes(5))).items).toEqual(
        byId(resources).map((x) => ({ id: x.id, sensitivity: x.sensitivity })),
      );
      expect((await collect(store().edges.scan())).items).toHaveLength(23);
    });
  });
}
