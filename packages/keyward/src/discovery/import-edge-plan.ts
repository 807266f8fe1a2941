/**
 * Deciding an import's edges once its nodes have ids: each discovered edge is resolved to Keyward
 * ids (in the batch, earlier in the scope, or in another scope), checked against the graph's edge
 * shapes, and compared with what the feed held before. An edge gone from the source is removed (a
 * permission that no longer exists must not widen a blast radius); an edge whose endpoint is not
 * known yet waits as a pending ref and is made when that endpoint is imported.
 */
import type { Edge, EdgeKind } from '@keyward/sdk';
import { KeywardError } from '../errors.js';
import { checkShape } from '../graph/edge-service.js';
import { newId } from '../ids.js';
import type { DiscoveryRef } from './discovery-types.js';
import type { ImportBatch } from './import-batch.js';
import { type ImportContext, refKey, splitQualified } from './import-context.js';
import type { NodePlan } from './import-plan.js';
import { contentHash, foundInText } from './import-records.js';

/** What a ref of an edge remembers: the spec as discovered, and the edge made of it. */
export interface EdgeRefDetails {
  spec: { kind: EdgeKind; from: string; to: string; actions: string[] };
  foundIn: string;
  source?: Record<string, unknown>;
  edge?: { id: string; kind: EdgeKind; fromId: string; toId: string; actions: string[] };
  /** The edge existed before this source named it (made by hand): never removed by an import. */
  adopted?: boolean;
}

export interface ResolvedEdge {
  key: string;
  hash: string;
  details: EdgeRefDetails;
  /** Null while an endpoint is unknown. */
  ids: { fromId: string; toId: string } | null;
}

export interface EdgePlan {
  createEdges: Edge[];
  deleteEdges: Array<{ id: string; kind: EdgeKind; fromId: string; toId: string; actions: string[] }>;
  refs: DiscoveryRef[];
  deleteRefs: Array<Pick<DiscoveryRef, 'scope' | 'feed' | 'externalId'>>;
}

export const tripleKey = (t: { kind: string; fromId: string; toId: string }): string =>
  `${t.kind}|${t.fromId}|${t.toId}`;

export function resolveEndpoint(
  endpoint: string,
  batch: ImportBatch,
  ctx: ImportContext,
  plan: NodePlan,
): string | undefined {
  const split = splitQualified(endpoint);
  if (!split) return plan.nodeIds.get(endpoint);
  if (split[0] === batch.scope) return plan.nodeIds.get(split[1]);
  return ctx.foreignNodes.get(endpoint);
}

/** Every edge of the batch (and the owner edges its identities imply), resolved where possible. */
export function resolveEdges(batch: ImportBatch, ctx: ImportContext, plan: NodePlan): ResolvedEdge[] {
  const out = new Map<string, ResolvedEdge>();
  const add = (
    spec: EdgeRefDetails['spec'],
    ids: ResolvedEdge['ids'],
    details: Omit<EdgeRefDetails, 'spec'>,
  ) => {
    const key = `${spec.kind}|${spec.from}|${spec.to}`;
    if (out.has(key)) return;
    out.set(key, {
      key,
      hash: contentHash({ spec, ids, source: details.source ?? null }),
      details: { spec, ...details },
      ids,
    });
  };
  for (const e of batch.edges) {
    const actions = [...new Set(e.actions ?? [])].sort();
    const fromId = resolveEndpoint(e.from, batch, ctx, plan);
    const toId = resolveEndpoint(e.to, batch, ctx, plan);
    const ids = fromId && toId ? { fromId, toId } : null;
    if (ids) {
      try {
        checkShape({ kind: e.kind, ...ids, actions });
      } catch (err) {
        const reason =
          err instanceof KeywardError
            ? (err.errors?.map((x) => x.message).join('; ') ?? err.message)
            : String(err);
        plan.problems.push({
          file: e.foundIn.file,
          path: e.foundIn.path,
          severity: 'error',
          reason: `edge ${e.kind} ${e.from} → ${e.to} skipped: ${reason}`,
        });
        continue;
      }
    }
    add({ kind: e.kind, from: e.from, to: e.to, actions }, ids, {
      foundIn: foundInText(e.foundIn),
      ...(e.details ? { source: e.details } : {}),
    });
  }
  for (const d of batch.identities) {
    const identityId = plan.nodeIds.get(d.externalId);
    const ownerId = d.ownerEmail ? ctx.humansByEmail.get(d.ownerEmail.toLowerCase()) : undefined;
    if (!identityId || !ownerId) continue;
    add(
      { kind: 'owns', from: `human:${d.ownerEmail?.toLowerCase()}`, to: d.externalId, actions: [] },
      { fromId: ownerId, toId: identityId },
      { foundIn: foundInText(d.foundIn) },
    );
  }
  return [...out.values()];
}

export function planEdges(
  batch: ImportBatch,
  ctx: ImportContext,
  resolved: readonly ResolvedEdge[],
  stored: ReadonlyMap<string, Edge>,
  runId: string,
  at: string,
): EdgePlan {
  const plan: EdgePlan = { createEdges: [], deleteEdges: [], refs: [], deleteRefs: [] };
  const seen = new Set<string>();
  const feedRef = (key: string) =>
    (ctx.scopeRefs.get(refKey('edge', key)) ?? []).find((r) => r.feed === batch.feed);
  for (const r of resolved) {
    seen.add(r.key);
    const previous = feedRef(r.key);
    const before = previous?.details as EdgeRefDetails | undefined;
    const ref = (nodeId: string | null, details: EdgeRefDetails): DiscoveryRef => ({
      scope: batch.scope,
      feed: batch.feed,
      externalId: r.key,
      nodeType: 'edge',
      nodeId,
      contentHash: r.hash,
      details: details as unknown as Record<string, unknown>,
      firstImportedAt: previous?.firstImportedAt ?? at,
      lastImportedAt: at,
      lastRunId: runId,
      missingSince: null,
    });
    if (previous && previous.contentHash === r.hash && (previous.nodeId || !r.ids)) {
      if (previous.missingSince) plan.refs.push({ ...previous, missingSince: null, lastRunId: runId });
      continue;
    }
    const kept = before?.edge;
    if (
      kept &&
      r.ids &&
      kept.fromId === r.ids.fromId &&
      kept.toId === r.ids.toId &&
      kept.kind === r.details.spec.kind &&
      kept.actions.join() === r.details.spec.actions.join()
    ) {
      // Only the provenance changed: the edge itself stays as it is.
      plan.refs.push(
        ref(kept.id, { ...r.details, edge: kept, ...(before?.adopted ? { adopted: true } : {}) }),
      );
      continue;
    }
    if (kept && !before?.adopted) plan.deleteEdges.push(kept);
    if (!r.ids) {
      plan.refs.push(ref(null, r.details));
      continue;
    }
    const triple = { kind: r.details.spec.kind, ...r.ids };
    const existing = stored.get(tripleKey(triple));
    if (existing && !(before?.edge && before.edge.id === existing.id && !before.adopted)) {
      plan.refs.push(
        ref(existing.id, {
          ...r.details,
          edge: { ...triple, id: existing.id, actions: existing.actions },
          adopted: true,
        }),
      );
      continue;
    }
    const edge: Edge = { id: newId('edge'), ...triple, actions: r.details.spec.actions, createdAt: at };
    plan.createEdges.push(edge);
    plan.refs.push(ref(edge.id, { ...r.details, edge: { id: edge.id, ...triple, actions: edge.actions } }));
  }
  if (!batch.partial) {
    for (const list of ctx.scopeRefs.values()) {
      const mine = list.find((r) => r.feed === batch.feed && r.nodeType === 'edge');
      if (!mine || seen.has(mine.externalId)) continue;
      const details = mine.details as unknown as EdgeRefDetails;
      if (details.edge && !details.adopted) plan.deleteEdges.push(details.edge);
      plan.deleteRefs.push({ scope: mine.scope, feed: mine.feed, externalId: mine.externalId });
    }
  }
  return plan;
}
