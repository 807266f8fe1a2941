/**
 * Lineage, blast radius and path queries. The answers come from the in-memory GraphIndex (never a
 * database scan); only the returned nodes are read from the store to name them.
 */
import type { BlastRadius, GraphPath, Lineage, LineageEntry } from '@keyward/sdk';
import type { Store } from '../storage/storage-types.js';
import type { GraphIndex } from './graph-index.js';
import { missingRef, resolveNodeRefs } from './node-refs.js';

export interface GraphQueryServiceDeps {
  store: Store;
  index: GraphIndex;
}

export function createGraphQueryService({ store, index }: GraphQueryServiceDeps) {
  async function lineage(id: string, opts: { depth?: number | undefined } = {}): Promise<Lineage> {
    const raw = index.lineage(id, { maxDepth: opts.depth ?? 10 });
    const ids = [id, ...raw.ancestors.map((e) => e.id), ...raw.descendants.map((e) => e.id)];
    const refs = await resolveNodeRefs(store, ids);
    const ref = (nodeId: string) => refs.get(nodeId) ?? missingRef(nodeId);
    const entries = (list: typeof raw.ancestors): LineageEntry[] =>
      list.map((e) => ({ node: ref(e.id), depth: e.depth, via: e.via, path: e.path }));
    return { subject: ref(id), ancestors: entries(raw.ancestors), descendants: entries(raw.descendants) };
  }

  async function blastRadius(id: string, opts: { limit?: number | undefined } = {}): Promise<BlastRadius> {
    const raw = index.blastRadius(id, { limit: opts.limit ?? 100 });
    const onPaths = [...new Set(raw.entries.flatMap((e) => e.path.map((s) => s.toId)))];
    const refs = await resolveNodeRefs(store, [id, ...raw.entries.map((e) => e.id), ...onPaths]);
    const ref = (nodeId: string) => refs.get(nodeId) ?? missingRef(nodeId);
    return {
      subject: ref(id),
      totals: raw.totals,
      entries: raw.entries.map((e) => ({
        node: ref(e.id),
        distance: e.distance,
        actions: e.actions,
        path: e.path,
      })),
      truncated: raw.truncated,
      refs: Object.fromEntries(onPaths.map((n) => [n, ref(n)])),
    };
  }

  async function path(fromId: string, toId: string): Promise<GraphPath> {
    const raw = index.path(fromId, toId);
    const nodeIds = [fromId, ...raw.steps.map((s) => s.toId)];
    const refs = await resolveNodeRefs(store, [fromId, toId, ...nodeIds]);
    const ref = (nodeId: string) => refs.get(nodeId) ?? missingRef(nodeId);
    return {
      from: ref(fromId),
      to: ref(toId),
      reachable: raw.reachable,
      steps: raw.steps,
      nodes: raw.reachable ? nodeIds.map(ref) : [],
    };
  }

  return { lineage, blastRadius, path };
}

export type GraphQueryService = ReturnType<typeof createGraphQueryService>;
