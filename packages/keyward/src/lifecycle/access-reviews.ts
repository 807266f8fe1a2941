/**
 * Access reviews: a campaign snapshots every active identity in its scope (environment, kind) as an
 * item for its owner to attest by a deadline — keep, reduce (recorded, the identity stays active)
 * or retire (disabled at once). Identities without an owner enter as items with owner null, flagged
 * in the progress, so nobody's silence is invisible. At the deadline the scheduler job disables
 * every identity whose item has no decision (audit `identity.disabled`, reason 'not attested in
 * access review <name>') and closes the campaign.
 *
 * Idempotence: each disabling is one transaction that also marks the item (`markDisabled` only
 * takes an undecided item, so an attest racing the deadline wins or loses whole), and closing is a
 * conditional update; a run interrupted by a restart resumes where it stopped, and a second run
 * finds nothing due.
 */
import type { IdentityFilter } from '@keyward/sdk';
import type { AuditRecorder } from '../audit/audit-recorder.js';
import { KeywardError, notFound, validationFailed } from '../errors.js';
import { newId } from '../ids.js';
import type { IdentityService } from '../inventory/identity-service.js';
import type {
  ReviewCampaign,
  ReviewDecision,
  ReviewItem,
  ReviewScope,
  ReviewState,
} from '../storage/review-stores.js';
import type { Store } from '../storage/storage-types.js';
import { allIdentities } from './lifecycle-paging.js';
import { SYSTEM_ACTOR } from './offboarding-steps.js';

export const notAttestedReason = (name: string): string => `not attested in access review ${name}`;
export const retiredReason = (name: string): string => `retired in access review ${name}`;

export interface AccessReviewDeps {
  store: Store;
  audit: AuditRecorder;
  now: () => Date;
  identities: Pick<IdentityService, 'transition'>;
}

export interface ReviewCounts {
  total: number;
  keep: number;
  reduce: number;
  retire: number;
  pending: number;
}

export interface ReviewProgress extends ReviewCounts {
  /** Items whose identity had no owner at the snapshot. */
  unowned: number;
  /** Per owner (null: no owner), ordered by owner id with null last. */
  byOwner: Array<ReviewCounts & { ownerId: string | null }>;
}

export interface DeadlineRun {
  closed: string[];
  disabled: string[];
}

const emptyCounts = (): ReviewCounts => ({ total: 0, keep: 0, reduce: 0, retire: 0, pending: 0 });

export function progressOf(items: readonly ReviewItem[]): ReviewProgress {
  const all = emptyCounts();
  const owners = new Map<string | null, ReviewCounts>();
  for (const item of items) {
    const owner = owners.get(item.ownerId) ?? emptyCounts();
    owners.set(item.ownerId, owner);
    for (const c of [all, owner]) {
      c.total++;
      c[item.decision ?? 'pending']++;
    }
  }
  const byOwner = [...owners.entries()]
    .map(([ownerId, c]) => ({ ownerId, ...c }))
    .sort((a, b) => (a.ownerId === null ? 1 : b.ownerId === null ? -1 : a.ownerId.localeCompare(b.ownerId)));
  return { ...all, unowned: owners.get(null)?.total ?? 0, byOwner };
}

/** Thrown inside a transaction to roll it back when an attest won the race for the item. */
class AlreadyDecided extends Error {}

export function createAccessReviews(deps: AccessReviewDeps) {
  const { store, audit, now } = deps;

  async function get(id: string): Promise<ReviewCampaign> {
    const c = await store.reviewCampaigns.get(id);
    if (!c) throw notFound('access review', id);
    return c;
  }

  async function start(
    actor: string,
    input: { name: string; deadline: string; environment?: string | undefined; kind?: string | undefined },
  ): Promise<ReviewCampaign & { progress: ReviewProgress }> {
    const at = now();
    const deadline = new Date(input.deadline);
    if (Number.isNaN(deadline.getTime())) throw validationFailed(`invalid deadline "${input.deadline}"`);
    if (deadline.getTime() <= at.getTime()) throw validationFailed('the deadline must be in the future');
    const scope: ReviewScope = {
      ...(input.environment ? { environment: input.environment } : {}),
      ...(input.kind ? { kind: input.kind } : {}),
    };
    const campaign: ReviewCampaign = {
      id: newId('accessReview'),
      name: input.name,
      deadline: deadline.toISOString(),
      scope,
      state: 'open',
      createdAt: at.toISOString(),
      closedAt: null,
      summary: null,
    };
    const identities = await allIdentities(store, { status: 'active', ...scope } as IdentityFilter);
    const items: ReviewItem[] = identities.map((i) => ({
      campaignId: campaign.id,
      identityId: i.id,
      ownerId: i.ownerId ?? null,
      decision: null,
      note: null,
      decidedBy: null,
      decidedAt: null,
      outcome: null,
    }));
    await store.transaction(async (tx) => {
      await tx.reviewCampaigns.create(campaign);
      await tx.reviewItems.insertMany(items);
      await tx.audit.append(
        audit.event(actor, 'access_review.started', campaign.id, {
          name: campaign.name,
          deadline: campaign.deadline,
          scope,
          items: items.length,
          unowned: items.filter((i) => i.ownerId === null).length,
        }),
      );
      // One notice per owner (delivered like every audit event: sinks, webhooks), naming what
      // they must attest and by when; unowned identities go to whoever started the campaign.
      for (const [ownerId, owned] of groupByOwner(items)) {
        await tx.audit.append(
          audit.event(SYSTEM_ACTOR, 'access_review.owner_notice', ownerId, {
            campaignId: campaign.id,
            name: campaign.name,
            deadline: campaign.deadline,
            identities: owned.slice(0, 200),
            count: owned.length,
            ...(ownerId === null ? { unowned: true, startedBy: actor } : {}),
          }),
        );
      }
    });
    return { ...campaign, progress: progressOf(items) };
  }

  function groupByOwner(items: readonly ReviewItem[]): Map<string | null, string[]> {
    const by = new Map<string | null, string[]>();
    for (const i of items) by.set(i.ownerId, [...(by.get(i.ownerId) ?? []), i.identityId]);
    return by;
  }

  async function show(id: string) {
    const campaign = await get(id);
    const items = await store.reviewItems.forCampaign(id);
    return { ...campaign, progress: progressOf(items), items };
  }

  async function progress(id: string): Promise<ReviewProgress> {
    await get(id);
    return progressOf(await store.reviewItems.forCampaign(id));
  }

  function list(
    filter: { state?: ReviewState | undefined },
    page: { cursor?: string | undefined; limit?: number | undefined },
  ) {
    return store.reviewCampaigns.list(filter, page);
  }

  async function attest(
    actor: string,
    campaignId: string,
    identityId: string,
    decision: ReviewDecision,
    note: string | null = null,
  ): Promise<ReviewItem> {
    const campaign = await get(campaignId);
    const at = now();
    if (campaign.state !== 'open' || new Date(campaign.deadline).getTime() <= at.getTime()) {
      throw validationFailed(`access review ${campaign.name} is past its deadline`);
    }
    const item = await store.reviewItems.get(campaignId, identityId);
    if (!item) throw notFound(`identity in access review ${campaign.name}`, identityId);
    if (item.decision !== null || item.outcome !== null) {
      throw new KeywardError(
        'already_exists',
        `identity ${identityId} was already attested (${item.decision})`,
      );
    }
    const d = {
      decision,
      note,
      decidedBy: actor,
      decidedAt: at.toISOString(),
      outcome: decision === 'retire' ? ('retired' as const) : ('kept' as const),
    };
    const record = async (tx: Parameters<Parameters<Store['transaction']>[0]>[0]) => {
      if (!(await tx.reviewItems.decide(campaignId, identityId, d))) throw new AlreadyDecided();
      await tx.audit.append(
        audit.event(actor, 'access_review.attested', identityId, { campaignId, decision, note }),
      );
    };
    try {
      const disabled =
        decision === 'retire' &&
        (await deps.identities.transition(
          actor,
          identityId,
          'disabled',
          'identity.disabled',
          { reason: retiredReason(campaign.name), campaignId },
          { guard: (cur) => cur.status === 'active', alsoInTx: (tx) => record(tx) },
        ));
      // Keep, reduce, or retire of an identity no longer active: the decision alone.
      if (!disabled) await store.transaction(record);
    } catch (err) {
      if (err instanceof AlreadyDecided) {
        throw new KeywardError('already_exists', `identity ${identityId} was already attested`);
      }
      throw err;
    }
    return (await store.reviewItems.get(campaignId, identityId)) as ReviewItem;
  }

  /** The scheduler job: disables the unattested identities of every campaign past its deadline, then closes it. */
  async function runDeadlines(): Promise<DeadlineRun> {
    const at = now();
    const result: DeadlineRun = { closed: [], disabled: [] };
    for (const campaign of await store.reviewCampaigns.due(at.toISOString())) {
      for (const item of await store.reviewItems.forCampaign(campaign.id)) {
        if (item.decision !== null || item.outcome !== null) continue;
        try {
          const done = await deps.identities.transition(
            SYSTEM_ACTOR,
            item.identityId,
            'disabled',
            'identity.disabled',
            { reason: notAttestedReason(campaign.name), campaignId: campaign.id },
            {
              guard: (cur) => cur.status === 'active',
              alsoInTx: async (tx) => {
                if (!(await tx.reviewItems.markDisabled(campaign.id, item.identityId)))
                  throw new AlreadyDecided();
              },
            },
          );
          if (done) result.disabled.push(item.identityId);
        } catch (err) {
          if (!(err instanceof AlreadyDecided)) throw err;
        }
      }
      const items = await store.reviewItems.forCampaign(campaign.id);
      const summary = {
        total: items.length,
        attested: items.filter((i) => i.decision !== null).length,
        disabled: items.filter((i) => i.outcome === 'disabled').map((i) => i.identityId),
      };
      const closed = await store.transaction(async (tx) => {
        if (!(await tx.reviewCampaigns.close(campaign.id, at.toISOString(), summary))) return false;
        await tx.audit.append(
          audit.event(SYSTEM_ACTOR, 'access_review.closed', campaign.id, { name: campaign.name, ...summary }),
        );
        return true;
      });
      if (closed) result.closed.push(campaign.id);
    }
    return result;
  }

  return { start, get, show, list, progress, attest, runDeadlines };
}

export type AccessReviews = ReturnType<typeof createAccessReviews>;
