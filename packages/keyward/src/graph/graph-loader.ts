/**
 * Builds the in-memory GraphIndex from the store at start: every node with its blocked flag and
 * sensitivity, then every edge, read in keyset batches.
 */
import type { Store } from '../storage/storage-types.js';
import { GraphIndex } from './graph-index.js';
import type { GraphEdgeUpdate, GraphNodeUpdate } from './graph-updates.js';

export async function loadGraphIndex(store: Store): Promise<GraphIndex> {
  const nodes: GraphNodeUpdate[] = [];
  for await (const batch of store.identities.scanNodes()) {
    for (const n of batch) {
      nodes.push({
        id: n.id,
        type: 'identity',
        sensitivity: null,
        blocked: n.status === 'disabled' || n.status === 'revoked',
      });
    }
  }
  for await (const batch of store.humans.scanNodes()) {
    for (const n of batch) nodes.push({ id: n.id, type: 'human', sensitivity: null, blocked: !n.active });
  }
  for await (const batch of store.systems.scanNodes()) {
    for (const n of batch)
      nodes.push({ id: n.id, type: 'system', sensitivity: n.sensitivity, blocked: false });
  }
  for await (const batch of store.resources.scanNodes()) {
    for (const n of batch)
      nodes.push({ id: n.id, type: 'resource', sensitivity: n.sensitivity, blocked: false });
  }
  const edges: GraphEdgeUpdate[] = [];
  for await (const batch of store.edges.scan()) {
    for (const e of batch) edges.push({ kind: e.kind, fromId: e.fromId, toId: e.toId, actions: e.actions });
  }
  return GraphIndex.build(nodes, edges);
}
