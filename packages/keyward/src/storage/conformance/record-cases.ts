/** Conformance cases for single records: round-trips, unique conflicts, optimistic updates. */
import { describe, expect, it } from 'vitest';
import { newId } from '../../ids.js';
import { StorageError } from '../storage-errors.js';
import {
  aBareIdentity,
  aHuman,
  anEdge,
  anIdentity,
  aResource,
  aSystem,
  rejectsWith,
  type StoreRef,
} from './conformance-fixtures.js';

export function recordCases(store: StoreRef): void {
  describe('round-trips', () => {
    it('identity with every field, and with nulls and empty collections', async () => {
      const full = anIdentity();
      const bare = aBareIdentity({ kind: 'agent', status: 'orphaned' });
      await store().identities.create(full);
      await store().identities.create(bare);
      expect(await store().identities.get(full.id)).toEqual(full);
      expect(await store().identities.getByName(full.name)).toEqual(full);
      expect(await store().identities.get(bare.id)).toEqual(bare);
      expect(await store().identities.get(newId('identity'))).toBeUndefined();
      expect(await store().identities.getByName('nope')).toBeUndefined();
      expect(await store().identities.getMany([bare.id, newId('identity'), full.id])).toEqual([bare, full]);
      expect(await store().identities.count()).toBe(2);
    });

    it('human, system, resource and edge with every field', async () => {
      const human = aHuman();
      const inactive = aHuman({ active: false, title: null });
      const system = aSystem();
      const bareSystem = aSystem({ ownerId: null, description: null, sensitivity: 'low' });
      const resource = aResource();
      const bareResource = aResource({ systemId: null, environment: null, labels: {} });
      const edge = anEdge();
      const plain = anEdge({ kind: 'owns', actions: [] });
      const s = store();
      await s.humans.create(human);
      await s.humans.create(inactive);
      await s.systems.create(system);
      await s.systems.create(bareSystem);
      await s.resources.create(resource);
      await s.resources.create(bareResource);
      await s.edges.create(edge);
      await s.edges.create(plain);
      expect(await s.humans.get(human.id)).toEqual(human);
      expect(await s.humans.getByEmail(inactive.email)).toEqual(inactive);
      expect(await s.humans.getMany([inactive.id, human.id])).toEqual([inactive, human]);
      expect(await s.systems.get(bareSystem.id)).toEqual(bareSystem);
      expect(await s.systems.getByName(system.name)).toEqual(system);
      expect(await s.systems.getMany([system.id, 'sys_x'])).toEqual([system]);
      expect(await s.resources.get(resource.id)).toEqual(resource);
      expect(await s.resources.getByName(bareResource.name)).toEqual(bareResource);
      expect(await s.resources.getMany([bareResource.id, resource.id])).toEqual([bareResource, resource]);
      expect(await s.edges.get(edge.id)).toEqual(edge);
      expect(await s.edges.get(plain.id)).toEqual(plain);
      expect(await s.humans.get(newId('human'))).toBeUndefined();
      expect(await s.edges.count()).toBe(2);
    });
  });

  describe('unique conflicts', () => {
    it('a driver unique violation surfaces as StorageError conflict, never the raw driver error', async () => {
      const a = anIdentity();
      await store().identities.create(a);
      const err = await rejectsWith(store().identities.create(anIdentity({ name: a.name })), 'conflict');
      expect(err).toBeInstanceOf(StorageError);
      const cause = (err as StorageError).cause as { code?: string };
      expect(['SQLITE_CONSTRAINT_UNIQUE', '23505']).toContain(cause.code);
    });

    it('taken names, emails, ids and edge triples throw conflict and write nothing', async () => {
      const s = store();
      const identity = anIdentity();
      const human = aHuman();
      const system = aSystem();
      const resource = aResource();
      const edge = anEdge();
      await s.identities.create(identity);
      await s.humans.create(human);
      await s.systems.create(system);
      await s.resources.create(resource);
      await s.edges.create(edge);

      const dupIdentity = anIdentity({ name: identity.name });
      await rejectsWith(s.identities.create(dupIdentity), 'conflict');
      await rejectsWith(s.identities.create(anIdentity({ id: identity.id })), 'conflict');
      expect(await s.identities.get(dupIdentity.id)).toBeUndefined();
      expect(await s.identities.count()).toBe(1);

      const dupHuman = aHuman({ email: human.email });
      await rejectsWith(s.humans.create(dupHuman), 'conflict');
      expect(await s.humans.get(dupHuman.id)).toBeUndefined();

      const dupSystem = aSystem({ name: system.name });
      await rejectsWith(s.systems.create(dupSystem), 'conflict');
      expect(await s.systems.get(dupSystem.id)).toBeUndefined();

      const dupResource = aResource({ name: resource.name });
      await rejectsWith(s.resources.create(dupResource), 'conflict');
      expect(await s.resources.get(dupResource.id)).toBeUndefined();

      const dupEdge = anEdge({ kind: edge.kind, fromId: edge.fromId, toId: edge.toId, actions: ['admin'] });
      await rejectsWith(s.edges.create(dupEdge), 'conflict');
      expect(await s.edges.get(dupEdge.id)).toBeUndefined();
      // Same endpoints, another kind: a different edge.
      await s.edges.create(anEdge({ kind: 'can_assume', fromId: edge.fromId, toId: edge.toId }));
      expect(await s.edges.count()).toBe(2);
    });
  });

  describe('optimistic updates', () => {
    it('identity: right version stores version + 1; stale → version_conflict; unknown → not_found', async () => {
      const s = store();
      const v1 = anIdentity();
      await s.identities.create(v1);
      const v2 = { ...v1, status: 'disabled' as const, labels: { a: 'b' }, purpose: null, version: 2 };
      await s.identities.update(v2, 1);
      expect(await s.identities.get(v1.id)).toEqual(v2);

      const stale = { ...v1, name: 'stale-write', version: 2 };
      await rejectsWith(s.identities.update(stale, 1), 'version_conflict');
      expect(await s.identities.get(v1.id)).toEqual(v2);

      const ghost = anIdentity({ version: 2 });
      await rejectsWith(s.identities.update(ghost, 1), 'not_found');
      expect(await s.identities.get(ghost.id)).toBeUndefined();

      const other = anIdentity();
      await s.identities.create(other);
      await rejectsWith(s.identities.update({ ...v2, name: other.name, version: 3 }, 2), 'conflict');
      expect(await s.identities.get(v1.id)).toEqual(v2);
    });

    it('humans, systems and resources follow the same contract', async () => {
      const s = store();
      const h = aHuman();
      const sy = aSystem();
      const r = aResource();
      await s.humans.create(h);
      await s.systems.create(sy);
      await s.resources.create(r);

      const h2 = { ...h, active: false, title: null, version: 2 };
      await s.humans.update(h2, 1);
      expect(await s.humans.get(h.id)).toEqual(h2);
      await rejectsWith(s.humans.update({ ...h, version: 2 }, 1), 'version_conflict');
      await rejectsWith(s.humans.update(aHuman({ version: 2 }), 1), 'not_found');
      expect(await s.humans.get(h.id)).toEqual(h2);

      const sy2 = { ...sy, sensitivity: 'critical' as const, version: 2 };
      await s.systems.update(sy2, 1);
      expect(await s.systems.get(sy.id)).toEqual(sy2);
      await rejectsWith(s.systems.update({ ...sy, version: 2 }, 1), 'version_conflict');
      await rejectsWith(s.systems.update(aSystem({ version: 2 }), 1), 'not_found');
      expect(await s.systems.get(sy.id)).toEqual(sy2);

      const r2 = { ...r, labels: { x: 'y' }, environment: null, version: 2 };
      await s.resources.update(r2, 1);
      expect(await s.resources.get(r.id)).toEqual(r2);
      await rejectsWith(s.resources.update({ ...r, version: 2 }, 1), 'version_conflict');
      await rejectsWith(s.resources.update(aResource({ version: 2 }), 1), 'not_found');
      expect(await s.resources.get(r.id)).toEqual(r2);
    });
  });
}
