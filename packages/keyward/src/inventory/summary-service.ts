/**
 * The estate summary: counts and hygiene figures (ownerless, owner left, overdue rotation, expired,
 * no end, stale) plus the identities with the widest blast radius. Cached briefly because it walks
 * the whole inventory; every figure is computed, none is stored.
 */
import {
  type EstateSummary,
  type GraphNodeRef,
  IDENTITY_KINDS,
  IDENTITY_STATUSES,
  type Identity,
  type IdentityKind,
  type IdentityStatus,
} from '@keyward/sdk';
import type { DiscoveryFigures } from '../discovery/finding-service.js';
import { isUnmanaged, KW_LABELS } from '../discovery/managed-status.js';
import type { GraphIndex } from '../graph/graph-index.js';
import { missingRef, resolveNodeRefs } from '../graph/node-refs.js';
import type { Store } from '../storage/storage-types.js';
import { isProduction } from './identity-rules.js';

const DAY_MS = 86_400_000;
const STALE_AFTER_DAYS = 90;
const CACHE_MS = 5_000;
/** Up to this many live identities, every one is ranked exactly; beyond it, the best-connected ones. */
const EXACT_RANKING_LIMIT = 5_000;
const TOP_CANDIDATES = 200;

export interface SummaryServiceDeps {
  store: Store;
  index: GraphIndex;
  now: () => Date;
  /** Discovery's figures (sources, credentials, findings); absent: no discovery section. */
  discoveryFigures?: () => Promise<DiscoveryFigures>;
}

const zeroes = <K extends string>(keys: readonly K[]) =>
  Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

async function* allPages<T>(
  fetch: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>,
) {
  let cursor: string | undefined;
  do {
    const page = await fetch(cursor);
    yield* page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

export function createSummaryService({ store, index, now, discoveryFigures }: SummaryServiceDeps) {
  let cached: { at: number; value: EstateSummary } | undefined;

  async function compute(): Promise<EstateSummary> {
    const at = now().getTime();
    const inactive = new Set<string>();
    let humans = 0;
    for await (const h of allPages((cursor) => store.humans.list({}, { cursor, limit: 1000 }))) {
      humans++;
      if (!h.active) inactive.add(h.id);
    }
    const byKind = zeroes<IdentityKind>(IDENTITY_KINDS);
    const byStatus = zeroes<IdentityStatus>(IDENTITY_STATUSES);
    const byEnvironment: Record<string, number> = {};
    const hygiene = { withoutOwner: 0, ownerLeft: 0, rotationOverdue: 0, expired: 0, noEnd: 0, stale: 0 };
    let total = 0;
    const found = { unmanaged: 0, unmanagedAgents: 0, missingFromSource: 0 };
    const live: Identity[] = [];
    for await (const i of allPages((cursor) => store.identities.list({}, { cursor, limit: 1000 }))) {
      total++;
      byKind[i.kind]++;
      byStatus[i.status]++;
      byEnvironment[i.environment] = (byEnvironment[i.environment] ?? 0) + 1;
      if (i.labels[KW_LABELS.missingSince] !== undefined) found.missingFromSource++;
      if (isUnmanaged(i) && i.status !== 'disabled' && i.status !== 'revoked') {
        found.unmanaged++;
        if (i.kind === 'agent' || i.labels[KW_LABELS.agentSignals] !== undefined) found.unmanagedAgents++;
      }
      if (i.status === 'disabled' || i.status === 'revoked') continue;
      live.push(i);
      if (!i.ownerId) hygiene.withoutOwner++;
      else if (inactive.has(i.ownerId)) hygiene.ownerLeft++;
      const c = i.credential;
      const rotated = Date.parse(c.lastRotatedAt ?? c.createdAt ?? i.firstSeen);
      if (c.rotationPeriodDays && at - rotated > c.rotationPeriodDays * DAY_MS) hygiene.rotationOverdue++;
      if (c.expiresAt && Date.parse(c.expiresAt) <= at) hygiene.expired++;
      if (isProduction(i.environment) && !c.expiresAt && !i.reviewDate) hygiene.noEnd++;
      const used = Date.parse(c.lastUsedAt ?? i.lastSeen ?? i.firstSeen);
      if (at - used > STALE_AFTER_DAYS * DAY_MS) hygiene.stale++;
    }
    const topBlastRadius = await topReach(live);
    const figures = discoveryFigures ? await discoveryFigures() : undefined;
    const openFindingsByCode: Record<string, number> = {};
    for (const f of figures?.findings ?? []) {
      if (f.status !== 'resolved') openFindingsByCode[f.code] = (openFindingsByCode[f.code] ?? 0) + f.count;
    }
    return {
      identities: { total, byKind, byStatus, byEnvironment },
      humans: { total: humans, inactive: inactive.size },
      resources: await countAll((cursor) => store.resources.list({}, { cursor, limit: 1000 })),
      systems: await countAll((cursor) => store.systems.list({}, { cursor, limit: 1000 })),
      edges: await store.edges.count(),
      hygiene,
      topBlastRadius,
      ...(figures
        ? {
            discovery: {
              sources: figures.sources,
              ...found,
              credentials: figures.credentials,
              openFindingsByCode,
              leakedSecrets: figures.leakedSecrets,
            },
          }
        : {}),
    };
  }

  async function countAll(
    fetch: (cursor: string | undefined) => Promise<{ items: unknown[]; nextCursor: string | null }>,
  ) {
    let n = 0;
    for await (const _ of allPages(fetch)) n++;
    return n;
  }

  /** The widest blast radii: exact for estates up to EXACT_RANKING_LIMIT, else among the best-connected. */
  async function topReach(live: Identity[]) {
    const candidates =
      live.length <= EXACT_RANKING_LIMIT
        ? live
        : live
            .map((i) => ({ id: i.id, degree: index.outDegree(i.id) }))
            .sort((a, b) => b.degree - a.degree)
            .slice(0, TOP_CANDIDATES);
    const scored = candidates
      .map(({ id }) => {
        const r = index.blastRadius(id, { limit: 0 });
        return { id, reachable: r.totals.reachable, critical: r.totals.bySensitivity.critical };
      })
      .sort((a, b) => b.critical - a.critical || b.reachable - a.reachable)
      .slice(0, 5);
    const refs = await resolveNodeRefs(
      store,
      scored.map((s) => s.id),
    );
    return scored.map((s) => ({
      identity: refs.get(s.id) ?? (missingRef(s.id) as GraphNodeRef),
      reachable: s.reachable,
      critical: s.critical,
    }));
  }

  async function summary(): Promise<EstateSummary> {
    const at = Date.now();
    if (cached && at - cached.at < CACHE_MS) return cached.value;
    const value = await compute();
    cached = { at, value };
    return value;
  }

  return { summary };
}

export type SummaryService = ReturnType<typeof createSummaryService>;
