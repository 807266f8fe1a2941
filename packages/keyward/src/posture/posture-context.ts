/**
 * Loads what posture rules read, once per evaluation. Full mode scans each table in pages (humans,
 * resources, found credentials, discovery refs, human-use alerts) so no rule ever queries per
 * identity; incremental mode fetches only what the named identities and their neighbours need.
 * Edges come from the GraphIndex's adjacency in both modes.
 */
import type { Identity, IdentityKind, Page, PageRequest } from '@keyward/sdk';
import type { Alert } from '../detection/alert-types.js';
import type { CredentialRecord, DiscoveryRef } from '../discovery/discovery-types.js';
import type { GraphIndex } from '../graph/graph-index.js';
import type { Neighbour } from '../graph/neighbours.js';
import type { Store } from '../storage/storage-types.js';
import type { UsedPair } from './grant-usage.js';
import type { PostureConfig, PostureContext, ReachTotals } from './posture-rule.js';

const PAGE = 1000;

export async function* pages<T>(fetch: (page: PageRequest) => Promise<Page<T>>): AsyncGenerator<T[]> {
  let cursor: string | undefined;
  do {
    const page = await fetch({ cursor, limit: PAGE });
    yield page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

const tripleKey = (kind: string, fromId: string, toId: string) => `${kind}|${fromId}|${toId}`;

/** The raw material of a context; both modes fill the same maps. */
export class PostureData {
  readonly humans = new Map<string, boolean>();
  readonly credentials = new Map<string, CredentialRecord[]>();
  readonly edgeDetails = new Map<string, Record<string, unknown>>();
  readonly nodeDetails = new Map<string, Record<string, unknown>>();
  readonly environments = new Map<string, string | null>();
  readonly kinds = new Map<string, IdentityKind>();
  readonly externalIds = new Map<string, string>();
  readonly alerts = new Map<string, Alert[]>();
  /** Allowed decisions in the observation window, per identity (grant-usage.ts). */
  readonly usage = new Map<string, UsedPair[]>();

  addIdentity(i: Pick<Identity, 'id' | 'environment' | 'kind' | 'originExternalId'>): void {
    this.environments.set(i.id, i.environment);
    this.kinds.set(i.id, i.kind);
    if (i.originExternalId) this.externalIds.set(i.id, i.originExternalId);
  }

  addCredential(c: CredentialRecord): void {
    const list = this.credentials.get(c.identityId);
    if (list) list.push(c);
    else this.credentials.set(c.identityId, [c]);
  }

  addAlert(a: Alert): void {
    if (a.kind !== 'human_use' || a.status === 'resolved') return;
    const list = this.alerts.get(a.identityId);
    if (list) list.push(a);
    else this.alerts.set(a.identityId, [a]);
  }

  /** A ref's source details, keyed by the edge triple or the node; several sources merge. */
  addRef(ref: DiscoveryRef): void {
    if (ref.missingSince) return;
    const source = ref.details['source'] as Record<string, unknown> | undefined;
    if (!source) return;
    let key: string | undefined;
    let map = this.nodeDetails;
    if (ref.nodeType === 'edge') {
      const e = ref.details['edge'] as { kind: string; fromId: string; toId: string } | undefined;
      if (!e) return;
      key = tripleKey(e.kind, e.fromId, e.toId);
      map = this.edgeDetails;
    } else if (ref.nodeId) key = ref.nodeId;
    if (!key) return;
    map.set(key, { ...map.get(key), ...source });
  }
}

/** Full mode: every table scanned once, in pages. `identities` are the ones evaluated. */
export async function loadAll(
  store: Store,
  data: PostureData,
  identities: readonly Identity[],
): Promise<void> {
  for (const i of identities) data.addIdentity(i);
  for await (const batch of pages((p) => store.humans.list({}, p)))
    for (const h of batch) data.humans.set(h.id, h.active);
  for await (const batch of pages((p) => store.resources.list({}, p)))
    for (const r of batch) data.environments.set(r.id, r.environment);
  for await (const batch of pages((p) => store.credentials.list({}, p)))
    for (const c of batch) data.addCredential(c);
  for (const status of ['open', 'acknowledged'] as const) {
    for await (const batch of pages((p) => store.alerts.list({ kind: 'human_use', status }, p)))
      for (const a of batch) data.addAlert(a);
  }
  for (const { scope } of await store.discoveryRefs.scopes()) {
    for (const ref of await store.discoveryRefs.listScope(scope)) data.addRef(ref);
  }
}

/** Incremental mode: only what these identities' rules read. */
export async function loadFor(
  store: Store,
  index: GraphIndex,
  data: PostureData,
  identities: readonly Identity[],
): Promise<void> {
  const neighbourIdentities = new Set<string>();
  const neighbourResources = new Set<string>();
  const owners = new Set<string>();
  for (const i of identities) {
    data.addIdentity(i);
    if (i.ownerId) owners.add(i.ownerId);
    for (const dir of ['out', 'in'] as const) {
      for (const e of index.edgesOf(i.id, dir)) {
        if (e.type === 'identity') neighbourIdentities.add(e.id);
        else if (e.type === 'resource') neighbourResources.add(e.id);
      }
    }
  }
  for (const n of await store.identities.getMany([...neighbourIdentities])) data.addIdentity(n);
  for (const r of await store.resources.getMany([...neighbourResources]))
    data.environments.set(r.id, r.environment);
  for (const h of await store.humans.getMany([...owners])) data.humans.set(h.id, h.active);
  const refNodes = [...neighbourResources];
  for (const i of identities) {
    refNodes.push(i.id);
    for await (const batch of pages((p) => store.credentials.list({ identityId: i.id }, p)))
      for (const c of batch) data.addCredential(c);
    for await (const batch of pages((p) => store.alerts.list({ identityId: i.id, kind: 'human_use' }, p)))
      for (const a of batch) data.addAlert(a);
    for (const filter of [{ fromId: i.id }, { toId: i.id }]) {
      for await (const batch of pages((p) => store.edges.list(filter, p)))
        for (const e of batch) refNodes.push(e.id);
    }
  }
  for (const id of refNodes) for (const ref of await store.discoveryRefs.listForNode(id)) data.addRef(ref);
}

export function contextOf(
  data: PostureData,
  index: GraphIndex,
  config: PostureConfig,
  now: number,
  /** Reach totals kept between evaluations; the caller clears it when the graph changes. */
  reachCache: Map<string, ReachTotals> = new Map(),
): PostureContext {
  const memo: { id: string | undefined; out: Neighbour[] | undefined; in: Neighbour[] | undefined } = {
    id: undefined,
    out: undefined,
    in: undefined,
  };
  return {
    now,
    config,
    humanActive: (id) => data.humans.get(id),
    credentials: (id) => data.credentials.get(id) ?? [],
    edgesOf(id, direction) {
      // Rules ask for the same identity's edges several times in a row: keep the last one's.
      if (memo.id !== id) {
        memo.id = id;
        memo.out = undefined;
        memo.in = undefined;
      }
      const edges = memo[direction] ?? index.edgesOf(id, direction);
      memo[direction] = edges;
      return edges;
    },
    edgeDetails: (kind, fromId, toId) => data.edgeDetails.get(tripleKey(kind, fromId, toId)),
    nodeDetails: (id) => data.nodeDetails.get(id),
    environmentOf: (id) => data.environments.get(id),
    identityKind: (id) => data.kinds.get(id),
    externalIdOf: (id) => data.externalIds.get(id),
    humanUseAlerts: (id) => data.alerts.get(id) ?? [],
    usedPairs: (id) => data.usage.get(id) ?? [],
    reach(id) {
      let totals = reachCache.get(id);
      if (!totals) {
        const t = index.has(id) ? index.blastRadius(id, { limit: 0 }).totals : undefined;
        totals = {
          reachable: t?.reachable ?? 0,
          critical: t?.bySensitivity.critical ?? 0,
          high: t?.bySensitivity.high ?? 0,
        };
        reachCache.set(id, totals);
      }
      return totals;
    },
  };
}
