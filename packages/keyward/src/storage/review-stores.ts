/**
 * Storage roles of access reviews (src/lifecycle/access-reviews.ts): the campaigns and their items
 * (the snapshot of identities to attest). Contracts follow storage-types.ts.
 */

export type ReviewState = 'open' | 'closed';
export type ReviewDecision = 'keep' | 'reduce' | 'retire';
export type ReviewOutcome = 'kept' | 'disabled' | 'retired';

export interface ReviewScope {
  environment?: string | undefined;
  kind?: string | undefined;
}

/** Written when a campaign closes: what its deadline found. */
export interface ReviewSummary {
  total: number;
  attested: number;
  /** Unattested identities disabled at the deadline. */
  disabled: string[];
}

export interface ReviewCampaign {
  id: string;
  name: string;
  deadline: string;
  scope: ReviewScope;
  state: ReviewState;
  createdAt: string;
  closedAt: string | null;
  summary: ReviewSummary | null;
}

export interface ReviewItem {
  campaignId: string;
  identityId: string;
  /** Null: the identity had no owner at the snapshot (flagged; an admin attests it). */
  ownerId: string | null;
  decision: ReviewDecision | null;
  note: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  outcome: ReviewOutcome | null;
}

/**
 * Access review campaigns.
 *
 * Contract:
 * - `create` inserts a new campaign (state open); a duplicate id throws StorageError('conflict').
 * - `close(id, closedAt, summary)` moves an open campaign to closed and returns true; on a closed
 *   (or unknown) campaign it writes nothing and returns false, so closing twice is a no-op.
 * - `due(now)` lists open campaigns whose deadline <= now (ISO text comparison), by id.
 * - `list` orders by id (creation order), keyset-paged like every list; `state` filters.
 */
export interface ReviewCampaignStore {
  create(c: ReviewCampaign): Promise<void>;
  get(id: string): Promise<ReviewCampaign | undefined>;
  close(id: string, closedAt: string, summary: ReviewSummary): Promise<boolean>;
  due(now: string): Promise<ReviewCampaign[]>;
  list(
    filter: { state?: ReviewState | undefined },
    page: { cursor?: string | undefined; limit?: number | undefined },
  ): Promise<{ items: ReviewCampaign[]; nextCursor: string | null }>;
}

/**
 * Items of access review campaigns, one per (campaign, identity).
 *
 * Contract:
 * - `insertMany` inserts the snapshot (any number of rows; chunked internally); a duplicate
 *   (campaign, identity) throws StorageError('conflict').
 * - `forCampaign` returns every item of the campaign, ordered by identity id.
 * - `decide` records the decision (and the outcome it had) only while the item has no decision and
 *   no outcome; returns whether it wrote. Decisions are final: a second attest writes nothing.
 * - `markDisabled` sets outcome 'disabled' only on an item with neither decision nor outcome (the
 *   deadline's step); returns whether it wrote, so an attest racing the deadline wins or loses whole.
 */
export interface ReviewItemStore {
  insertMany(items: ReviewItem[]): Promise<void>;
  get(campaignId: string, identityId: string): Promise<ReviewItem | undefined>;
  forCampaign(campaignId: string): Promise<ReviewItem[]>;
  decide(
    campaignId: string,
    identityId: string,
    d: {
      decision: ReviewDecision;
      note: string | null;
      decidedBy: string;
      decidedAt: string;
      outcome: ReviewOutcome;
    },
  ): Promise<boolean>;
  markDisabled(campaignId: string, identityId: string): Promise<boolean>;
}
