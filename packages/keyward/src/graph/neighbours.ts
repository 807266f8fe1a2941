/**
 * One node's direct edges, read from the index's adjacency (CSR row plus overlay, tombstones
 * skipped), with the neighbour's id, type and sensitivity. Posture rules look at an identity's own
 * grants and trusts many thousands of times per evaluation; reading them here costs no query.
 */
import type { EdgeKind, NodeType, Sensitivity } from '@keyward/sdk';
import { kindOf, TOMBSTONE } from './edge-kinds.js';
import { NODE_TYPES, SENSITIVITY_ORDER } from './node-table.js';
import type { GraphParts } from './traversal.js';

export interface Neighbour {
  kind: EdgeKind;
  /** The other end: the target of an outgoing edge, the source of an incoming one. */
  id: string;
  type: NodeType;
  sensitivity: Sensitivity | null;
  actions: readonly string[];
}

export function neighbours(g: GraphParts, node: number, direction: 'out' | 'in'): Neighbour[] {
  const { nodes, adj, actions } = g;
  const out: Neighbour[] = [];
  const push = (kind: number, other: number, act: number) => {
    const rank = nodes.sensitivity[other]!;
    out.push({
      kind: kindOf(kind),
      id: nodes.ids[other]!,
      type: NODE_TYPES[nodes.type[other]!] ?? 'identity',
      sensitivity: rank === 0 ? null : (SENSITIVITY_ORDER[rank - 1] ?? null),
      actions: actions.get(act),
    });
  };
  const csr = adj.csr;
  if (node < csr.nodes) {
    if (direction === 'out') {
      for (let j = csr.fOff[node]!, end = csr.fOff[node + 1]!; j < end; j++) {
        const kind = csr.fKind[j]!;
        if (kind !== TOMBSTONE) push(kind, csr.fTo[j]!, csr.fAct[j]!);
      }
    } else {
      for (let j = csr.rOff[node]!, end = csr.rOff[node + 1]!; j < end; j++) {
        const kind = csr.rKind[j]!;
        if (kind === TOMBSTONE) continue;
        const from = csr.rFrom[j]!;
        push(kind, from, adj.actionsOf(from, node, kind));
      }
    }
  }
  const overlay = (direction === 'out' ? adj.out : adj.in).get(node) ?? [];
  for (const e of overlay) push(e.kind, direction === 'out' ? e.to : e.from, e.act);
  return out;
}
