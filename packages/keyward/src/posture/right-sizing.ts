/**
 * Least privilege from real use (`keyward posture right-size`, GET /v1/posture/right-size/:id):
 * what one identity is granted (its has_permission edges) against what it used in a window
 * (grant-usage.ts), the policy that keeps only the used part (right-size-policy.ts), and the blast
 * radius before and after dropping the grants nothing used.
 */
import type { Identity, Sensitivity } from '@keyward/sdk';
import type { CredentialRecord } from '../discovery/discovery-types.js';
import { notFound, validationFailed } from '../errors.js';
import { EDGE_TRAVERSAL } from '../graph/edge-kinds.js';
import type { GraphIndex } from '../graph/graph-index.js';
import type { Store } from '../storage/storage-types.js';
import {
  compareGrants,
  type GrantUse,
  loadUsedPairs,
  type ServiceUse,
  serviceUses,
  type UsedPair,
} from './grant-usage.js';
import { pages } from './posture-context.js';
import { DAY_MS } from './posture-rule.js';
import { cedarPolicy, type IamPolicy, iamPolicy, type PolicyTarget } from './right-size-policy.js';

export interface ReachCounts {
  reachable: number;
  /** Critical plus high resources and systems. */
  sensitive: number;
  critical: number;
  high: number;
}

export interface RightSizeProposal {
  identity: { id: string; name: string; kind: Identity['kind']; origin: string };
  windowDays: number;
  since: string;
  grants: GrantUse[];
  used: UsedPair[];
  serviceUses: ServiceUse[];
  /** Grants with unused actions (the whole edge when `removed`). */
  unused: Array<{ resourceId: string; actions: string[]; removed: boolean }>;
  /** The format the identity is governed in: IAM for AWS-imported roles and users, else Cedar. */
  format: 'cedar' | 'iam';
  cedar: string;
  iam: IamPolicy | null;
  blastRadius: { before: ReachCounts; after: ReachCounts };
}

export interface RightSizerDeps {
  store: Store;
  index: GraphIndex;
  now: () => Date;
}

/** A limit above any reach: every reached node is listed. */
const ALL = Number.MAX_SAFE_INTEGER;

const isAws = (i: Identity) => i.origin === 'aws' || (i.originExternalId ?? '').startsWith('arn:aws:');

export function createRightSizer({ store, index, now }: RightSizerDeps) {
  /** The ids the subject reaches, as blast radius walks them. */
  function reachOf(id: string): Set<string> {
    if (!index.has(id)) return new Set();
    return new Set(index.blastRadius(id, { limit: ALL }).entries.map((e) => e.id));
  }

  /**
   * Reach without the removed grants: the union of what each kept first hop reaches (within the
   * reach before). A kept hop that leads back to the subject would reopen the removed edges in
   * the real graph too only if they remained, so this is an upper bound; never more than before.
   */
  function reachWithout(id: string, before: Set<string>, removed: Set<string>): Set<string> {
    const after = new Set<string>();
    const hops = [
      ...index
        .edgesOf(id, 'out')
        .filter((e) => EDGE_TRAVERSAL[e.kind] === 'forward')
        .filter((e) => !(e.kind === 'has_permission' && removed.has(e.id))),
      ...index.edgesOf(id, 'in').filter((e) => EDGE_TRAVERSAL[e.kind] === 'reverse'),
    ];
    for (const hop of hops) {
      if (!before.has(hop.id) || after.has(hop.id)) continue;
      after.add(hop.id);
      for (const n of reachOf(hop.id)) if (before.has(n) && n !== id) after.add(n);
    }
    return after;
  }

  async function sensitivities(ids: readonly string[]): Promise<Map<string, Sensitivity>> {
    const out = new Map<string, Sensitivity>();
    for (const r of await store.resources.getMany(ids)) out.set(r.id, r.sensitivity);
    for (const s of await store.systems.getMany(ids)) out.set(s.id, s.sensitivity);
    return out;
  }

  async function reachCounts(id: string, removed: Set<string>) {
    const t = index.has(id) ? index.blastRadius(id, { limit: 0 }).totals : undefined;
    const before: ReachCounts = {
      reachable: t?.reachable ?? 0,
      critical: t?.bySensitivity.critical ?? 0,
      high: t?.bySensitivity.high ?? 0,
      sensitive: (t?.bySensitivity.critical ?? 0) + (t?.bySensitivity.high ?? 0),
    };
    if (removed.size === 0) return { before, after: { ...before } };
    const all = reachOf(id);
    const kept = reachWithout(id, all, removed);
    const gone = [...all].filter((n) => !kept.has(n));
    const s = await sensitivities(gone);
    const lost = (level: Sensitivity) => gone.filter((n) => s.get(n) === level).length;
    const critical = before.critical - lost('critical');
    const high = before.high - lost('high');
    return { before, after: { reachable: kept.size, critical, high, sensitive: critical + high } };
  }

  /** Names, types and ARNs of the nodes the policy names. */
  async function targetsOf(
    used: Map<string, Set<string>>,
    grants: GrantUse[],
    pairs: readonly UsedPair[],
  ): Promise<PolicyTarget[]> {
    const ids = [...used.keys()];
    const names = new Map<string, { name: string; type: PolicyTarget['type']; kind?: Identity['kind'] }>();
    for (const r of await store.resources.getMany(ids)) names.set(r.id, { name: r.name, type: 'resource' });
    for (const s of await store.systems.getMany(ids)) names.set(s.id, { name: s.name, type: 'system' });
    for (const i of await store.identities.getMany(ids))
      names.set(i.id, { name: i.name, type: 'identity', kind: i.kind });
    const out: PolicyTarget[] = [];
    for (const id of ids.sort()) {
      const node = names.get(id);
      const type: PolicyTarget['type'] =
        node?.type ??
        grants.find((g) => g.resourceId === id)?.resourceType ??
        (pairs.find((p) => p.resourceId === id)?.resourceType === 'tool' ? 'tool' : 'resource');
      const arn = (await store.discoveryRefs.listForNode(id)).find(
        (r) => r.nodeType === 'resource' && (r.externalId.startsWith('arn:') || r.externalId === '*'),
      )?.externalId;
      out.push({
        id,
        type,
        identityKind: node?.kind,
        arn,
        name: node?.name ?? id,
        actions: [...used.get(id)!].sort(),
      });
    }
    return out;
  }

  async function propose(
    identityId: string,
    options: { windowDays?: number } = {},
  ): Promise<RightSizeProposal> {
    const windowDays = options.windowDays ?? 30;
    if (!Number.isInteger(windowDays) || windowDays < 1 || windowDays > 3650)
      throw validationFailed('window_days must be an integer from 1 to 3650');
    const identity = await store.identities.get(identityId);
    if (!identity) throw notFound('identity', identityId);
    const sinceMs = now().getTime() - windowDays * DAY_MS;
    const since = new Date(sinceMs).toISOString();
    const edges = index.edgesOf(identity.id, 'out').filter((e) => e.kind === 'has_permission');
    const used = (await loadUsedPairs(store, since, identity.id)).get(identity.id) ?? [];
    const credentials: CredentialRecord[] = [];
    for await (const batch of pages((p) => store.credentials.list({ identityId: identity.id }, p)))
      credentials.push(...batch);
    const services = serviceUses(credentials, sinceMs);
    const cmp = compareGrants(edges, used, services);
    const unused = cmp.grants
      .filter((g) => g.unusedActions.length > 0)
      .map((g) => ({
        resourceId: g.resourceId,
        actions: g.unusedActions,
        removed: g.usedActions.length === 0,
      }));
    const removed = new Set(unused.filter((u) => u.removed).map((u) => u.resourceId));
    // What the policy keeps: the used part of each grant, and allowed uses outside any grant.
    const keep = new Map<string, Set<string>>();
    const add = (id: string, action: string) => keep.set(id, (keep.get(id) ?? new Set()).add(action));
    for (const g of cmp.grants) for (const a of g.usedActions) add(g.resourceId, a);
    for (const p of cmp.outsideGrants) add(p.resourceId, p.action);
    const targets = await targetsOf(keep, cmp.grants, used);
    const aws = isAws(identity);
    return {
      identity: { id: identity.id, name: identity.name, kind: identity.kind, origin: identity.origin },
      windowDays,
      since,
      grants: cmp.grants,
      used,
      serviceUses: services,
      unused,
      format: aws ? 'iam' : 'cedar',
      cedar: cedarPolicy(identity, targets, windowDays),
      iam: aws ? iamPolicy(targets) : null,
      blastRadius: await reachCounts(identity.id, removed),
    };
  }

  return { propose };
}

export type RightSizer = ReturnType<typeof createRightSizer>;
