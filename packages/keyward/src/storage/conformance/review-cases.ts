/**
 * Conformance cases for the access review stores: campaigns (round trip, close once, due by
 * deadline, filters and pages) and items (snapshot in chunks, duplicate refused, a decision is
 * final, the deadline's disabling only takes undecided items).
 */
import { describe, expect, it } from 'vitest';
import { newId } from '../../ids.js';
import type { ReviewCampaign, ReviewItem } from '../review-stores.js';
import { isStorageError } from '../storage-errors.js';
import { allPages, type StoreRef } from './conformance-fixtures.js';

const T0 = '2025-01-02T03:00:00.000Z';
const T1 = '2025-01-02T03:01:00.000Z';
const T2 = '2025-01-02T03:02:00.000Z';

function aCampaign(over: Partial<ReviewCampaign> = {}): ReviewCampaign {
  return {
    id: newId('accessReview'),
    name: 'q1 review',
    deadline: T1,
    scope: { environment: 'prod' },
    state: 'open',
    createdAt: T0,
    closedAt: null,
    summary: null,
    ...over,
  };
}

function anItem(campaignId: string, over: Partial<ReviewItem> = {}): ReviewItem {
  return {
    campaignId,
    identityId: newId('identity'),
    ownerId: newId('human'),
    decision: null,
    note: null,
    decidedBy: null,
    decidedAt: null,
    outcome: null,
    ...over,
  };
}

export function reviewCases(store: StoreRef): void {
  describe('access review campaigns', () => {
    it('round-trips, closes once, and lists the due ones', async () => {
      const campaigns = store().reviewCampaigns;
      const a = aCampaign();
      const b = aCampaign({ deadline: '2025-02-01T00:00:00.000Z', scope: {} });
      await campaigns.create(a);
      await campaigns.create(b);
      expect(await campaigns.get(a.id)).toEqual(a);
      expect(await campaigns.get(newId('accessReview'))).toBeUndefined();
      expect((await campaigns.due(T0)).map((c) => c.id)).toEqual([]);
      expect((await campaigns.due(T1)).map((c) => c.id)).toEqual([a.id]);
      const summary = { total: 2, attested: 1, disabled: [newId('identity')] };
      expect(await campaigns.close(a.id, T2, summary)).toBe(true);
      expect(await campaigns.close(a.id, T2, { total: 0, attested: 0, disabled: [] })).toBe(false);
      expect(await campaigns.get(a.id)).toEqual({ ...a, state: 'closed', closedAt: T2, summary });
      expect(await campaigns.due(T2)).toEqual([]);
      const err = await campaigns.create(a).catch((e: unknown) => e);
      expect(isStorageError(err, 'conflict')).toBe(true);
    });

    it('filters by state and pages in creation order', async () => {
      const campaigns = store().reviewCampaigns;
      const made = [aCampaign(), aCampaign(), aCampaign({ state: 'closed', closedAt: T2 })];
      for (const c of made) await campaigns.create(c);
      const all = await allPages((cursor) => campaigns.list({}, { cursor, limit: 2 }));
      expect(all.map((c) => c.id)).toEqual(made.map((c) => c.id));
      const open = await campaigns.list({ state: 'open' }, {});
      expect(open.items.map((c) => c.id)).toEqual([made[0]?.id, made[1]?.id]);
    });
  });

  describe('access review items', () => {
    it('stores a large snapshot, refuses a duplicate, orders by identity', async () => {
      const c = aCampaign();
      await store().reviewCampaigns.create(c);
      const items = Array.from({ length: 450 }, (_, i) => anItem(c.id, i === 0 ? { ownerId: null } : {}));
      await store().reviewItems.insertMany(items);
      const back = await store().reviewItems.forCampaign(c.id);
      expect(back).toHaveLength(450);
      expect(back.map((i) => i.identityId)).toEqual(items.map((i) => i.identityId).sort());
      expect(await store().reviewItems.get(c.id, items[0]!.identityId)).toEqual(items[0]);
      const err = await store()
        .reviewItems.insertMany([items[1]!])
        .catch((e: unknown) => e);
      expect(isStorageError(err, 'conflict')).toBe(true);
      expect(await store().reviewItems.forCampaign(newId('accessReview'))).toEqual([]);
    });

    it('makes a decision final and lets the deadline take only undecided items', async () => {
      const c = aCampaign();
      const [kept, open] = [anItem(c.id), anItem(c.id)];
      await store().reviewItems.insertMany([kept!, open!]);
      const d = {
        decision: 'keep',
        note: 'still used',
        decidedBy: 'alice',
        decidedAt: T1,
        outcome: 'kept',
      } as const;
      expect(await store().reviewItems.decide(c.id, kept!.identityId, d)).toBe(true);
      expect(await store().reviewItems.decide(c.id, kept!.identityId, { ...d, decision: 'retire' })).toBe(
        false,
      );
      expect(await store().reviewItems.markDisabled(c.id, kept!.identityId)).toBe(false);
      expect(await store().reviewItems.get(c.id, kept!.identityId)).toMatchObject({
        decision: 'keep',
        note: 'still used',
        decidedBy: 'alice',
        outcome: 'kept',
      });
      expect(await store().reviewItems.markDisabled(c.id, open!.identityId)).toBe(true);
      expect(await store().reviewItems.markDisabled(c.id, open!.identityId)).toBe(false);
      expect(await store().reviewItems.decide(c.id, open!.identityId, d)).toBe(false);
      expect((await store().reviewItems.get(c.id, open!.identityId))?.outcome).toBe('disabled');
    });
  });
}
