/**
 * The access review role stores over Kysely: campaigns (closing is one conditional update, so a
 * second close is a no-op) and their items (decisions and the deadline's disabling are conditional
 * updates on "still undecided", so an attest and the deadline cannot both win).
 */
import type { Kysely } from 'kysely';
import { ID_PREFIX } from '../../../ids.js';
import type {
  ReviewCampaign,
  ReviewCampaignStore,
  ReviewDecision,
  ReviewItem,
  ReviewItemStore,
  ReviewOutcome,
  ReviewState,
  ReviewSummary,
} from '../../review-stores.js';
import type { ReviewCampaignRow, ReviewItemRow } from '../lifecycle-rows.js';
import type { Database } from '../sql-database.js';
import { clampLimit, readCursor, toPage } from '../sql-paging.js';

const campaignFromRow = (r: ReviewCampaignRow): ReviewCampaign => ({
  id: r.id,
  name: r.name,
  deadline: r.deadline,
  scope: JSON.parse(r.scope) as ReviewCampaign['scope'],
  state: r.state as ReviewState,
  createdAt: r.created_at,
  closedAt: r.closed_at,
  summary: r.summary === null ? null : (JSON.parse(r.summary) as ReviewSummary),
});

const itemFromRow = (r: ReviewItemRow): ReviewItem => ({
  campaignId: r.campaign_id,
  identityId: r.identity_id,
  ownerId: r.owner_id,
  decision: r.decision as ReviewDecision | null,
  note: r.note,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at,
  outcome: r.outcome as ReviewOutcome | null,
});

export class ReviewCampaignSqlStore implements ReviewCampaignStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(c: ReviewCampaign): Promise<void> {
    await this.db
      .insertInto('access_review_campaigns')
      .values({
        id: c.id,
        name: c.name,
        deadline: c.deadline,
        scope: JSON.stringify(c.scope),
        state: c.state,
        created_at: c.createdAt,
        closed_at: c.closedAt,
        summary: c.summary === null ? null : JSON.stringify(c.summary),
      })
      .execute();
  }

  async get(id: string): Promise<ReviewCampaign | undefined> {
    const r = await this.db
      .selectFrom('access_review_campaigns')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return r && campaignFromRow(r);
  }

  async close(id: string, closedAt: string, summary: ReviewSummary): Promise<boolean> {
    const r = await this.db
      .updateTable('access_review_campaigns')
      .set({ state: 'closed', closed_at: closedAt, summary: JSON.stringify(summary) })
      .where('id', '=', id)
      .where('state', '=', 'open')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async due(now: string): Promise<ReviewCampaign[]> {
    const rows = await this.db
      .selectFrom('access_review_campaigns')
      .selectAll()
      .where('state', '=', 'open')
      .where('deadline', '<=', now)
      .orderBy('id')
      .execute();
    return rows.map(campaignFromRow);
  }

  async list(
    filter: { state?: ReviewState | undefined },
    page: { cursor?: string | undefined; limit?: number | undefined },
  ) {
    const limit = clampLimit(page.limit);
    const cursor = readCursor(page, ID_PREFIX.accessReview);
    let q = this.db.selectFrom('access_review_campaigns').selectAll();
    if (filter.state) q = q.where('state', '=', filter.state);
    if (cursor) q = q.where('id', '>', cursor);
    const rows = await q
      .orderBy('id')
      .limit(limit + 1)
      .execute();
    return toPage(rows, limit, campaignFromRow);
  }
}

/** Rows per insert: 8 columns × 200 stays far below both backends' bound-parameter limits. */
const CHUNK = 200;

export class ReviewItemSqlStore implements ReviewItemStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insertMany(items: ReviewItem[]): Promise<void> {
    for (let i = 0; i < items.length; i += CHUNK) {
      await this.db
        .insertInto('access_review_items')
        .values(
          items.slice(i, i + CHUNK).map((it) => ({
            campaign_id: it.campaignId,
            identity_id: it.identityId,
            owner_id: it.ownerId,
            decision: it.decision,
            note: it.note,
            decided_by: it.decidedBy,
            decided_at: it.decidedAt,
            outcome: it.outcome,
          })),
        )
        .execute();
    }
  }

  async get(campaignId: string, identityId: string): Promise<ReviewItem | undefined> {
    const r = await this.db
      .selectFrom('access_review_items')
      .selectAll()
      .where('campaign_id', '=', campaignId)
      .where('identity_id', '=', identityId)
      .executeTakeFirst();
    return r && itemFromRow(r);
  }

  async forCampaign(campaignId: string): Promise<ReviewItem[]> {
    const rows = await this.db
      .selectFrom('access_review_items')
      .selectAll()
      .where('campaign_id', '=', campaignId)
      .orderBy('identity_id')
      .execute();
    return rows.map(itemFromRow);
  }

  async decide(
    campaignId: string,
    identityId: string,
    d: {
      decision: ReviewDecision;
      note: string | null;
      decidedBy: string;
      decidedAt: string;
      outcome: ReviewOutcome;
    },
  ): Promise<boolean> {
    const r = await this.db
      .updateTable('access_review_items')
      .set({
        decision: d.decision,
        note: d.note,
        decided_by: d.decidedBy,
        decided_at: d.decidedAt,
        outcome: d.outcome,
      })
      .where('campaign_id', '=', campaignId)
      .where('identity_id', '=', identityId)
      .where('decision', 'is', null)
      .where('outcome', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async markDisabled(campaignId: string, identityId: string): Promise<boolean> {
    const r = await this.db
      .updateTable('access_review_items')
      .set({ outcome: 'disabled' })
      .where('campaign_id', '=', campaignId)
      .where('identity_id', '=', identityId)
      .where('decision', 'is', null)
      .where('outcome', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
}
