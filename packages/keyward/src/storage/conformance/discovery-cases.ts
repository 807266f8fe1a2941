/**
 * Conformance cases for the discovery stores (discovery-stores.ts): import refs (upsert by key,
 * pending edges, lookups), found credentials (unique per scope and external id, filters, keyset
 * pages, optimistic updates); findings, runs and the bulk paths are in the sibling case files.
 */
import { describe, expect, it } from 'vitest';
import type { DiscoveryRef } from '../../discovery/discovery-types.js';
import { newId } from '../../ids.js';
import { allPages, rejectsWith, type StoreRef } from './conformance-fixtures.js';
import { discoveryBulkCases } from './discovery-bulk-cases.js';
import { discoveryFindingCases } from './discovery-finding-cases.js';
import { aCredential, aPendingEdge, aRef, at, keyOf } from './discovery-fixtures.js';

/** The order listScope promises: (feed, externalId), compared as the databases do (bytes, C collation). */
const byFeedAndId = (refs: readonly DiscoveryRef[]): DiscoveryRef[] =>
  [...refs].sort((a, b) => cmp(a.feed, b.feed) || cmp(a.externalId, b.externalId));
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function discoveryCases(store: StoreRef): void {
  describe('discovery refs', () => {
    it('upsertMany inserts, then replaces every field by (scope, feed, externalId)', async () => {
      const s = store().discoveryRefs;
      const a = aRef({ scope: 'sc-a', feed: 'iam', externalId: 'x1' });
      const pending = aPendingEdge({ scope: 'sc-a', feed: 'iam', externalId: 'x2' });
      const otherFeed = aRef({ scope: 'sc-a', feed: 'access-keys', externalId: 'x1' });
      const otherScope = aRef({ scope: 'sc-b', feed: 'iam', externalId: 'x1' });
      await s.upsertMany([a, pending, otherFeed, otherScope]);
      await s.upsertMany([]);
      expect(await s.listScope('sc-a')).toEqual([otherFeed, a, pending]);
      expect((await s.listScope('sc-a'))[2]!.nodeId).toBeNull();

      const replaced: DiscoveryRef = {
        ...a,
        nodeType: 'resource',
        nodeId: null,
        contentHash: 'changed',
        details: { quote: 'a " b \\ c', nested: { list: [{ deep: true }, null, 3.5] }, empty: {} },
        firstImportedAt: at(7),
        lastImportedAt: at(9),
        lastRunId: newId('discoveryRun'),
        missingSince: at(9),
      };
      const resolved: DiscoveryRef = { ...pending, nodeId: newId('edge'), missingSince: null };
      await s.upsertMany([replaced, resolved]);
      expect(await s.listScope('sc-a')).toEqual([otherFeed, replaced, resolved]);
      expect(await s.listScope('sc-b')).toEqual([otherScope]);
    });

    it('upsertMany with one key twice in a batch keeps the later ref', async () => {
      const s = store().discoveryRefs;
      const first = aRef({ scope: 'sc-dup', contentHash: 'first' });
      const later = { ...first, contentHash: 'later', details: { later: true } };
      await s.upsertMany([first, aRef({ scope: 'sc-dup', externalId: 'zz' }), later]);
      const stored = await s.listScope('sc-dup');
      expect(stored).toHaveLength(2);
      expect(stored.find((r) => r.externalId === first.externalId)).toEqual(later);
    });

    it('listScope orders by (feed, externalId) and is empty for an unknown scope', async () => {
      const s = store().discoveryRefs;
      const refs = ['m', 'a', 'z'].flatMap((id) =>
        ['records', 'access-keys', 'iam'].map((feed) => aRef({ scope: 'sc-order', feed, externalId: id })),
      );
      await s.upsertMany(refs);
      expect(await s.listScope('sc-order')).toEqual(byFeedAndId(refs));
      expect(await s.listScope('sc-none')).toEqual([]);
    });

    it('deleteMany deletes exactly the keys given (over several chunks) and ignores unknown keys', async () => {
      const s = store().discoveryRefs;
      const refs = Array.from({ length: 1_200 }, () => aRef({ scope: 'sc-del' }));
      const twin = { ...refs[0]!, feed: 'other-feed' }; // same scope and id, another feed: kept
      await s.upsertMany([...refs, twin]);
      const gone = refs.filter((_, i) => i % 12 !== 5);
      await s.deleteMany([
        ...gone.map(keyOf),
        { scope: 'sc-del', feed: 'iam', externalId: 'never-imported' },
        { scope: 'sc-unknown', feed: 'iam', externalId: refs[5]!.externalId },
      ]);
      await s.deleteMany([]);
      expect(await s.listScope('sc-del')).toEqual(
        byFeedAndId([...refs.filter((_, i) => i % 12 === 5), twin]),
      );
    });

    it('findByExternalIds returns the refs of those ids in that scope, every feed, beyond 500 ids', async () => {
      const s = store().discoveryRefs;
      const refs = Array.from({ length: 1_100 }, (_, i) =>
        aRef({ scope: 'sc-find', feed: i % 2 ? 'iam' : 'records' }),
      );
      const elsewhere = aRef({ scope: 'sc-elsewhere', externalId: refs[1]!.externalId });
      await s.upsertMany([...refs, elsewhere]);
      const wanted = refs.filter((_, i) => i % 3 !== 0);
      const found = await s.findByExternalIds('sc-find', [...wanted.map((r) => r.externalId), 'unknown-id']);
      expect(byFeedAndId(found)).toEqual(byFeedAndId(wanted));
      expect(await s.findByExternalIds('sc-elsewhere', [refs[1]!.externalId])).toEqual([elsewhere]);
      expect(await s.findByExternalIds('sc-find', [])).toEqual([]);
    });

    it('listPendingEdges: edges with nodeId null and not missing, of every scope, oldest first, at most limit', async () => {
      const s = store().discoveryRefs;
      const p3 = aPendingEdge({ scope: 'sc-p1', firstImportedAt: at(30) });
      const p1 = aPendingEdge({ scope: 'sc-p2', firstImportedAt: at(10) });
      const p2 = aPendingEdge({ scope: 'sc-p1', firstImportedAt: at(20) });
      await s.upsertMany([
        p3,
        p1,
        p2,
        aPendingEdge({ firstImportedAt: at(1), missingSince: at(2) }), // gone from its source
        aRef({ nodeType: 'edge', firstImportedAt: at(1) }), // resolved edge
        aRef({ nodeType: 'identity', nodeId: null, firstImportedAt: at(1) }), // not an edge
      ]);
      expect(await s.listPendingEdges(10)).toEqual([p1, p2, p3]);
      expect(await s.listPendingEdges(2)).toEqual([p1, p2]);
    });

    it('listForNode gives every ref of a record in (scope, feed) order; scopes() counts refs per scope', async () => {
      const s = store().discoveryRefs;
      const node = newId('identity');
      const held = [
        aRef({ scope: 'sc-n2', feed: 'iam', nodeId: node, lastImportedAt: at(50) }),
        aRef({ scope: 'sc-n1', feed: 'records', nodeId: node, lastImportedAt: at(40) }),
        aRef({ scope: 'sc-n1', feed: 'iam', nodeId: node, lastImportedAt: at(30) }),
      ];
      await s.upsertMany([
        ...held,
        aRef({ scope: 'sc-n1', lastImportedAt: at(60) }),
        aPendingEdge({ scope: 'sc-n3' }),
      ]);
      expect(await s.listForNode(node)).toEqual([held[2], held[1], held[0]]);
      expect(await s.listForNode(newId('identity'))).toEqual([]);
      const pending = (await s.listScope('sc-n3'))[0]!;
      expect(await s.scopes()).toEqual([
        { scope: 'sc-n1', refs: 3, lastImportedAt: at(60) },
        { scope: 'sc-n2', refs: 1, lastImportedAt: at(50) },
        { scope: 'sc-n3', refs: 1, lastImportedAt: pending.lastImportedAt },
      ]);
    });

    it('scopes() is empty without refs', async () => {
      expect(await store().discoveryRefs.scopes()).toEqual([]);
    });
  });

  describe('credentials', () => {
    it('createMany round-trips every field; get and getMany (in the order asked, unknown ids skipped)', async () => {
      const s = store().credentials;
      const c1 = aCredential();
      const bare = aCredential({
        hint: null,
        secretSha256: null,
        createdAt: null,
        lastRotatedAt: null,
        lastUsedAt: null,
        expiresAt: null,
        revokedAt: null,
        details: {},
      });
      await s.createMany([c1, bare]);
      await s.createMany([]);
      expect(await s.get(c1.id)).toEqual(c1);
      expect(await s.get(bare.id)).toEqual(bare);
      expect(await s.get(newId('credential'))).toBeUndefined();
      expect(await s.getMany([bare.id, newId('credential'), c1.id])).toEqual([bare, c1]);
    });

    it('a taken (scope, externalId) is conflict and nothing of that batch is written', async () => {
      const s = store().credentials;
      const c = aCredential();
      await s.createMany([c]);
      const fresh = aCredential();
      await rejectsWith(
        s.createMany([fresh, aCredential({ scope: c.scope, externalId: c.externalId })]),
        'conflict',
      );
      expect(await s.get(fresh.id)).toBeUndefined();
      // The same external id in another scope is another credential.
      const elsewhere = aCredential({ scope: 'gh:org', externalId: c.externalId });
      await s.createMany([elsewhere]);
      expect(await s.get(elsewhere.id)).toEqual(elsewhere);
      // A duplicate inside a batch larger than one bulk statement (its last chunk) rolls back all of it.
      const big = Array.from({ length: 10_050 }, () => aCredential({ scope: 'sc-big' }));
      big.push(aCredential({ scope: 'sc-big', externalId: big[3]!.externalId }));
      await rejectsWith(s.createMany(big), 'conflict');
      expect(await s.getMany(big.slice(0, 5).map((x) => x.id))).toEqual([]);
      expect(await s.countByStatus()).toEqual({ active: 2 });
    });

    it('lists in id order with every filter and keyset pages', async () => {
      const s = store().credentials;
      const owner = newId('identity');
      const all = [
        aCredential({ identityId: owner }),
        aCredential({ kind: 'github_token', scope: 'gh:org', status: 'revoked', revokedAt: at(9) }),
        aCredential({ identityId: owner, kind: 'github_deploy_key', status: 'inactive', hint: 'SHA256:abc' }),
        aCredential({ secretSha256: 'deadbeef' }),
        aCredential({ externalId: 'key/with "odd", text' }),
      ];
      await s.createMany([all[3]!, all[0]!, all[4]!, all[2]!, all[1]!]);
      const ids = (list: typeof all): string[] => list.map((c) => c.id);
      expect(ids(await allPages((cursor) => s.list({}, { limit: 2, cursor })))).toEqual(ids(all));
      const page = await s.list({}, { limit: 5 });
      expect(page).toEqual({ items: all, nextCursor: null });
      const only = async (filter: Parameters<typeof s.list>[0]): Promise<string[]> =>
        ids((await s.list(filter, {})).items);
      expect(await only({ identityId: owner })).toEqual([all[0]!.id, all[2]!.id]);
      expect(await only({ identityId: owner, status: 'inactive' })).toEqual([all[2]!.id]);
      expect(await only({ kind: 'github_token' })).toEqual([all[1]!.id]);
      expect(await only({ status: 'revoked' })).toEqual([all[1]!.id]);
      expect(await only({ scope: 'gh:org' })).toEqual([all[1]!.id]);
      expect(await only({ hint: 'SHA256:abc' })).toEqual([all[2]!.id]);
      expect(await only({ secretSha256: 'deadbeef' })).toEqual([all[3]!.id]);
      expect(await only({ externalId: 'key/with "odd", text' })).toEqual([all[4]!.id]);
      expect(await only({ scope: 'sc-none' })).toEqual([]);
    });

    it('update writes version + 1 only over the expected version; counts by status', async () => {
      const s = store().credentials;
      const c = aCredential();
      await s.createMany([c, aCredential(), aCredential({ status: 'inactive' })]);
      const revoked = await s.update({
        ...c,
        status: 'revoked',
        revokedAt: at(99),
        details: { why: 'gone' },
      });
      expect(revoked).toEqual({
        ...c,
        status: 'revoked',
        revokedAt: at(99),
        details: { why: 'gone' },
        version: 2,
      });
      expect(await s.get(c.id)).toEqual(revoked);
      await rejectsWith(s.update({ ...c, hint: 'stale' }), 'version_conflict');
      expect(await s.get(c.id)).toEqual(revoked);
      await rejectsWith(s.update(aCredential()), 'not_found');
      expect(await s.countByStatus()).toEqual({ active: 1, inactive: 1, revoked: 1 });
    });
  });

  discoveryFindingCases(store);
  discoveryBulkCases(store);
}
