/**
 * Collecting one AWS batch from several files: the same user may come from the authorization
 * details and the credential report, the same bucket pattern from many statements, so records are
 * merged by external id here (the import service keeps only the first of a duplicate), and edges by
 * kind+from+to (the service keys them that way), their actions united and their grants listed.
 */
import type {
  DiscoveredCredential,
  DiscoveredEdge,
  DiscoveredIdentity,
  DiscoveredResource,
  ImportProblem,
} from '../../import-batch.js';

export interface BatchBuilder {
  readonly account: string;
  identity(d: DiscoveredIdentity): void;
  /** Adds the resource unless one with its external id exists (the first, most specific, wins). */
  resource(d: DiscoveredResource): void;
  edge(d: DiscoveredEdge): void;
  credential(d: DiscoveredCredential): void;
  problem(p: ImportProblem): void;
  count(key: string, n?: number): void;
  getIdentity(externalId: string): DiscoveredIdentity | undefined;
  hasResource(externalId: string): boolean;
  identities(): DiscoveredIdentity[];
  resources(): DiscoveredResource[];
  edges(): DiscoveredEdge[];
  credentials(): DiscoveredCredential[];
  problems(): ImportProblem[];
  counts(): Record<string, number>;
}

/** `b` with every field `a` defines set to `a`'s (an undefined in `a` does not erase `b`'s value). */
export function fill<T extends object>(a: T, b: T): T {
  const out = { ...b } as Record<string, unknown>;
  for (const [k, v] of Object.entries(a)) if (v !== undefined) out[k] = v;
  return out as unknown as T;
}

const later = (a: string | undefined, b: string | undefined) => (a && b ? (a > b ? a : b) : (a ?? b));
const earlier = (a: string | undefined, b: string | undefined) => (a && b ? (a < b ? a : b) : (a ?? b));

/** `b` folded into `a`: what `a` says wins, except dates (widest span) and lists (united). */
function mergeIdentity(a: DiscoveredIdentity, b: DiscoveredIdentity): DiscoveredIdentity {
  const signals = [...new Set([...(a.agentSignals ?? []), ...(b.agentSignals ?? [])])];
  const merged: DiscoveredIdentity = {
    ...fill(a, b),
    kind: a.kind === 'agent' || b.kind === 'agent' ? 'agent' : a.kind,
    labels: { ...(b.labels ?? {}), ...(a.labels ?? {}) },
    details: { ...(b.details ?? {}), ...(a.details ?? {}) },
    firstSeen: earlier(a.firstSeen, b.firstSeen),
    lastSeen: later(a.lastSeen, b.lastSeen),
    credential: { ...(b.credential ?? {}), ...(a.credential ?? {}) },
    agentSignals: signals.length > 0 ? signals : undefined,
  };
  for (const k of Object.keys(merged) as Array<keyof DiscoveredIdentity>)
    if (merged[k] === undefined) delete merged[k];
  if (Object.keys(merged.credential ?? {}).length === 0) delete merged.credential;
  return merged;
}

/** A grant's provenance without the fields the merged edge carries itself. */
function grantOf(details: Record<string, unknown> | undefined): Record<string, unknown> {
  const { wildcard: _w, grants: _g, ...rest } = details ?? {};
  return rest;
}

function mergeEdge(a: DiscoveredEdge, b: DiscoveredEdge): DiscoveredEdge {
  const actions = [...new Set([...(a.actions ?? []), ...(b.actions ?? [])])];
  const grants = [
    ...((a.details?.['grants'] as Record<string, unknown>[] | undefined) ?? [grantOf(a.details)]),
    grantOf(b.details),
  ];
  const wildcard = a.details?.['wildcard'] === true || b.details?.['wildcard'] === true;
  return {
    ...a,
    ...(a.actions || b.actions ? { actions } : {}),
    details: {
      ...(b.details ?? {}),
      ...(a.details ?? {}),
      ...(a.kind === 'has_permission' ? { wildcard } : {}),
      grants,
    },
  };
}

export function createBatchBuilder(account: string): BatchBuilder {
  const identities = new Map<string, DiscoveredIdentity>();
  const resources = new Map<string, DiscoveredResource>();
  const edges = new Map<string, DiscoveredEdge>();
  const credentials = new Map<string, DiscoveredCredential>();
  const problems: ImportProblem[] = [];
  const counts: Record<string, number> = {};
  return {
    account,
    identity(d) {
      const current = identities.get(d.externalId);
      identities.set(d.externalId, current ? mergeIdentity(current, d) : d);
    },
    resource(d) {
      if (!resources.has(d.externalId) && !identities.has(d.externalId)) resources.set(d.externalId, d);
    },
    edge(d) {
      // A role's grant on its own ARN (iam:PassRole on itself) is no reach: the graph has no self-edges.
      if (d.from === d.to) return;
      const key = `${d.kind}|${d.from}|${d.to}`;
      const current = edges.get(key);
      edges.set(key, current ? mergeEdge(current, d) : d);
    },
    credential(d) {
      const current = credentials.get(d.externalId);
      credentials.set(
        d.externalId,
        current ? { ...fill(current, d), details: { ...d.details, ...current.details } } : d,
      );
    },
    problem: (p) => problems.push(p),
    count(key, n = 1) {
      counts[key] = (counts[key] ?? 0) + n;
    },
    getIdentity: (id) => identities.get(id),
    hasResource: (id) => resources.has(id),
    identities: () => [...identities.values()],
    // A pattern that names an identity (a grant on a role's ARN) is that identity, not a resource.
    resources: () => [...resources.values()].filter((r) => !identities.has(r.externalId)),
    edges: () => [...edges.values()],
    credentials: () => [...credentials.values()],
    problems: () => problems,
    counts: () => counts,
  };
}
