/**
 * Lineage: who stands behind a node (ancestors: incoming created / sponsors / owns / delegates_to,
 * transitively) and what it spawned (descendants: outgoing created / delegates_to). Informational,
 * so blocked nodes are walked too. Paths are given in walking order from the subject; ancestor
 * steps walk their edges backwards, hence `reversed: true`.
 */

import type { EdgeKind, PathStep } from '@keyward/sdk';
import { VIA_REVERSED } from './bfs-scratch.js';
import { ANCESTOR_MASK, DESCENDANT_MASK, kindOf, TOMBSTONE } from './edge-kinds.js';
import { HINT_OVERLAY_IN, HINT_OVERLAY_OUT } from './node-table.js';
import { type GraphParts, stepsTo } from './traversal.js';

export interface LineageResultEntry {
  id: string;
  depth: number;
  /** Kind of the last step (the edge linking this entry to the previous node). */
  via: EdgeKind;
  path: PathStep[];
}

export interface LineageResult {
  subject: string;
  ancestors: LineageResultEntry[];
  descendants: LineageResultEntry[];
}

export function lineage(g: GraphParts, subject: number, maxDepth: number): LineageResult {
  return {
    subject: g.nodes.idOf(subject),
    ancestors: walk(g, subject, maxDepth, true),
    descendants: walk(g, subject, maxDepth, false),
  };
}

/**
 * BFS up (ancestors) or down (descendants) to maxDepth; each node once, at its shortest depth.
 * Entries come sorted by depth, then id.
 */
function walk(g: GraphParts, subject: number, maxDepth: number, up: boolean): LineageResultEntry[] {
  const { scratch, adj, nodes } = g;
  const epoch = scratch.begin(nodes.count);
  const { stamp, parent, via, queue } = scratch;
  const { nodes: csrNodes, fOff, fTo, fKind, rOff, rFrom, rKind } = adj.csr;
  const mask = up ? ANCESTOR_MASK : DESCENDANT_MASK;
  const off = up ? rOff : fOff;
  const other = up ? rFrom : fTo;
  const kinds = up ? rKind : fKind;
  const overlay = up ? adj.in : adj.out;
  const overlayHint = up ? HINT_OVERLAY_IN : HINT_OVERLAY_OUT;
  const reversedBit = up ? VIA_REVERSED : 0;

  stamp[subject] = epoch;
  parent[subject] = -1;
  queue[0] = subject;
  const depths: number[] = [];
  let head = 0;
  let tail = 1;
  const visit = (u: number, t: number, k: number): void => {
    if (stamp[t] === epoch) return;
    stamp[t] = epoch;
    parent[t] = u;
    via[t] = k | reversedBit;
    queue[tail++] = t;
  };
  for (let depth = 1; depth <= maxDepth && head < tail; depth++) {
    const end = tail;
    for (; head < end; head++) {
      const u = queue[head]!;
      if (u < csrNodes) {
        for (let j = off[u]!, stop = off[u + 1]!; j < stop; j++) {
          const k = kinds[j]!;
          if (k !== TOMBSTONE && (mask >> k) & 1) visit(u, other[j]!, k);
        }
      }
      if (nodes.hints[u]! & overlayHint) {
        for (const e of overlay.get(u) ?? []) if ((mask >> e.kind) & 1) visit(u, up ? e.from : e.to, e.kind);
      }
    }
    for (let i = end; i < tail; i++) depths.push(depth);
  }
  const entries: LineageResultEntry[] = [];
  for (let i = 1; i < tail; i++) {
    const node = queue[i]!;
    entries.push({
      id: nodes.idOf(node),
      depth: depths[i - 1]!,
      via: kindOf(via[node]! & ~VIA_REVERSED),
      path: stepsTo(g, node),
    });
  }
  // BFS order within a depth depends on node numbering; sort so answers are stable across rebuilds.
  return entries.sort((a, b) => a.depth - b.depth || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
