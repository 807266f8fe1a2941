/**
 * The traversal rules of blast radius and path, written once as level expansions over the CSR and
 * the overlay: forward (from a holder to what it reaches) and backward (from a node to whoever can
 * reach it in one step). Both honour kind directions (stored_in is walked store → identity) and
 * never enter a blocked node. A level is expanded in one call with plain loops over typed arrays,
 * because this is the hot path of whole-estate queries.
 */

import type { PathStep } from '@keyward/sdk';
import type { ActionSets } from './action-sets.js';
import type { Adjacency } from './adjacency.js';
import { type BfsScratch, VIA_REVERSED } from './bfs-scratch.js';
import { FORWARD_MASK, kindOf, REVERSE_MASK } from './edge-kinds.js';
import {
  HINT_IN_REVERSE_KIND,
  HINT_OUT_REVERSE_KIND,
  HINT_OVERLAY_IN,
  HINT_OVERLAY_OUT,
  type NodeTable,
} from './node-table.js';

/** What a query needs from the index. */
export interface GraphParts {
  nodes: NodeTable;
  adj: Adjacency;
  actions: ActionSets;
  scratch: BfsScratch;
}

/**
 * Expands queue[head, end) forward, appending newly reached nodes at `tail`; returns the new tail.
 * Nodes are stamped `epoch`. Reaching a node stamped `other` (the backward side of a path search)
 * records the meeting step in the scratch and returns -1 at once.
 */
export function expandForward(
  g: GraphParts,
  head: number,
  end: number,
  tail: number,
  epoch: number,
  other: number,
): number {
  const { stamp, parent, via, queue } = g.scratch;
  const { blocked, hints } = g.nodes;
  const { nodes: csrNodes, fOff, fTo, fKind, rOff, rFrom, rKind } = g.adj.csr;
  for (let i = head; i < end; i++) {
    const u = queue[i]!;
    const hint = hints[u]!;
    if (u < csrNodes) {
      for (let j = fOff[u]!, stop = fOff[u + 1]!; j < stop; j++) {
        const k = fKind[j]!;
        if (!((FORWARD_MASK >> k) & 1)) continue;
        const t = fTo[j]!;
        const s = stamp[t]!;
        if (s === epoch || blocked[t] === 1) continue;
        if (s === other) return meet(g.scratch, u, t, k);
        stamp[t] = epoch;
        parent[t] = u;
        via[t] = k;
        queue[tail++] = t;
      }
      if (hint & HINT_IN_REVERSE_KIND) {
        for (let j = rOff[u]!, stop = rOff[u + 1]!; j < stop; j++) {
          const k = rKind[j]!;
          if (!((REVERSE_MASK >> k) & 1)) continue;
          const t = rFrom[j]!;
          const s = stamp[t]!;
          if (s === epoch || blocked[t] === 1) continue;
          if (s === other) return meet(g.scratch, u, t, k | VIA_REVERSED);
          stamp[t] = epoch;
          parent[t] = u;
          via[t] = k | VIA_REVERSED;
          queue[tail++] = t;
        }
      }
    }
    if (hint & (HINT_OVERLAY_OUT | HINT_OVERLAY_IN)) {
      for (const e of (hint & HINT_OVERLAY_OUT && g.adj.out.get(u)) || []) {
        if (!((FORWARD_MASK >> e.kind) & 1)) continue;
        const t = e.to;
        const s = stamp[t]!;
        if (s === epoch || blocked[t] === 1) continue;
        if (s === other) return meet(g.scratch, u, t, e.kind);
        stamp[t] = epoch;
        parent[t] = u;
        via[t] = e.kind;
        queue[tail++] = t;
      }
      for (const e of (hint & HINT_OVERLAY_IN && g.adj.in.get(u)) || []) {
        if (!((REVERSE_MASK >> e.kind) & 1)) continue;
        const t = e.from;
        const s = stamp[t]!;
        if (s === epoch || blocked[t] === 1) continue;
        if (s === other) return meet(g.scratch, u, t, e.kind | VIA_REVERSED);
        stamp[t] = epoch;
        parent[t] = u;
        via[t] = e.kind | VIA_REVERSED;
        queue[tail++] = t;
      }
    }
  }
  return tail;
}

/**
 * The backward twin of expandForward for the target side of a path search: expands
 * queue[low, high) to the nodes that reach them in one step, writing them downwards from `bottom`;
 * returns the new bottom, or -1 on meeting a node stamped `other`. For a backward-visited node,
 * `parent` is the next node towards the target and `via` the step's kind.
 */
export function expandBackward(
  g: GraphParts,
  low: number,
  high: number,
  bottom: number,
  epoch: number,
  other: number,
): number {
  const { stamp, parent, via, queue } = g.scratch;
  const { blocked, hints } = g.nodes;
  const { nodes: csrNodes, fOff, fTo, fKind, rOff, rFrom, rKind } = g.adj.csr;
  for (let i = low; i < high; i++) {
    const u = queue[i]!;
    const hint = hints[u]!;
    if (u < csrNodes) {
      for (let j = rOff[u]!, stop = rOff[u + 1]!; j < stop; j++) {
        const k = rKind[j]!;
        if (!((FORWARD_MASK >> k) & 1)) continue;
        const p = rFrom[j]!;
        const s = stamp[p]!;
        if (s === other) return meet(g.scratch, p, u, k);
        if (s === epoch || blocked[p] === 1) continue;
        stamp[p] = epoch;
        parent[p] = u;
        via[p] = k;
        queue[--bottom] = p;
      }
      if (hint & HINT_OUT_REVERSE_KIND) {
        for (let j = fOff[u]!, stop = fOff[u + 1]!; j < stop; j++) {
          const k = fKind[j]!;
          if (!((REVERSE_MASK >> k) & 1)) continue;
          const p = fTo[j]!;
          const s = stamp[p]!;
          if (s === other) return meet(g.scratch, p, u, k | VIA_REVERSED);
          if (s === epoch || blocked[p] === 1) continue;
          stamp[p] = epoch;
          parent[p] = u;
          via[p] = k | VIA_REVERSED;
          queue[--bottom] = p;
        }
      }
    }
    if (hint & (HINT_OVERLAY_OUT | HINT_OVERLAY_IN)) {
      for (const e of (hint & HINT_OVERLAY_IN && g.adj.in.get(u)) || []) {
        if (!((FORWARD_MASK >> e.kind) & 1)) continue;
        const p = e.from;
        const s = stamp[p]!;
        if (s === other) return meet(g.scratch, p, u, e.kind);
        if (s === epoch || blocked[p] === 1) continue;
        stamp[p] = epoch;
        parent[p] = u;
        via[p] = e.kind;
        queue[--bottom] = p;
      }
      for (const e of (hint & HINT_OVERLAY_OUT && g.adj.out.get(u)) || []) {
        if (!((REVERSE_MASK >> e.kind) & 1)) continue;
        const p = e.to;
        const s = stamp[p]!;
        if (s === other) return meet(g.scratch, p, u, e.kind | VIA_REVERSED);
        if (s === epoch || blocked[p] === 1) continue;
        stamp[p] = epoch;
        parent[p] = u;
        via[p] = e.kind | VIA_REVERSED;
        queue[--bottom] = p;
      }
    }
  }
  return bottom;
}

function meet(scratch: BfsScratch, from: number, to: number, via: number): number {
  scratch.meetFrom = from;
  scratch.meetTo = to;
  scratch.meetVia = via;
  return -1;
}

/**
 * The step walked from `from` to `to` through `via` (kind code, VIA_REVERSED when the edge points
 * to → from). `actions` are the traversed edge's own.
 */
export function stepOf(g: GraphParts, from: number, to: number, via: number): PathStep {
  const code = via & ~VIA_REVERSED;
  const reversed = (via & VIA_REVERSED) !== 0;
  const act = reversed ? g.adj.actionsOf(to, from, code) : g.adj.actionsOf(from, to, code);
  return {
    fromId: g.nodes.idOf(from),
    toId: g.nodes.idOf(to),
    kind: kindOf(code),
    reversed,
    actions: [...g.actions.get(act)],
  };
}

/** Steps from the search root to `node`, following the forward-side `parent` chain. */
export function stepsTo(g: GraphParts, node: number): PathStep[] {
  const { parent, via } = g.scratch;
  const steps: PathStep[] = [];
  for (let c = node; parent[c]! >= 0; c = parent[c]!) steps.push(stepOf(g, parent[c]!, c, via[c]!));
  return steps.reverse();
}
