/**
 * Blast radius: everything an attacker holding the subject can reach, by BFS over the traversable
 * edges. Totals cover the whole reach; only the top `limit` entries (sensitivity, then distance,
 * then id) get their actions and path materialised, so a subject that reaches a million nodes
 * still returns in one BFS plus a few linear passes over the queue.
 */

import type { PathStep, Sensitivity } from '@keyward/sdk';
import { HAS_PERMISSION } from './edge-kinds.js';
import {
  HINT_OVERLAY_IN,
  SENSITIVITY_ORDER,
  TYPE_IDENTITY,
  TYPE_RESOURCE,
  TYPE_SYSTEM,
} from './node-table.js';
import { expandForward, type GraphParts, stepsTo } from './traversal.js';

export interface BlastRadiusEntry {
  id: string;
  /** Hops from the subject. */
  distance: number;
  /** Sorted union of the actions of every has_permission edge into this node from a reached node. */
  actions: string[];
  /** A shortest path from the subject. */
  path: PathStep[];
}

export interface BlastRadiusResult {
  subject: string;
  totals: {
    reachable: number;
    identities: number;
    resources: number;
    systems: number;
    bySensitivity: Record<Sensitivity, number>;
  };
  entries: BlastRadiusEntry[];
  truncated: boolean;
}

export function blastRadius(g: GraphParts, subject: number, limit: number): BlastRadiusResult {
  const { scratch, nodes } = g;
  const epoch = scratch.begin(nodes.count);
  const { stamp, parent, queue } = scratch;
  // The subject is expanded even when blocked: it is the credential the attacker already holds.
  stamp[subject] = epoch;
  parent[subject] = -1;
  queue[0] = subject;
  /** levelStarts[d] = index in the queue of the first node at distance d (BFS order). */
  const levelStarts = [0];
  let head = 0;
  let tail = 1;
  while (head < tail) {
    const end = tail;
    // `epoch + 1` is never stamped by this query, so expandForward never reports a meeting.
    tail = expandForward(g, head, end, tail, epoch, epoch + 1);
    head = end;
    if (tail > end) levelStarts.push(end);
  }
  levelStarts.push(tail);

  const { type, sensitivity, ids } = nodes;
  const bySensitivity = { low: 0, medium: 0, high: 0, critical: 0 };
  const byRank = [0, 0, 0, 0, 0];
  let identities = 0;
  let resources = 0;
  let systems = 0;
  for (let i = 1; i < tail; i++) {
    const v = queue[i]!;
    const t = type[v]!;
    if (t === TYPE_IDENTITY) identities++;
    else if (t === TYPE_RESOURCE || t === TYPE_SYSTEM) {
      if (t === TYPE_RESOURCE) resources++;
      else systems++;
      byRank[sensitivity[v]!]!++;
    }
  }
  SENSITIVITY_ORDER.forEach((s, i) => {
    bySensitivity[s] = byRank[i + 1]!;
  });

  // Selection: rank by rank (critical first), level by level; within one (rank, level) only the id
  // decides, so keep the `need` smallest ids of that group.
  const picked: Array<{ node: number; distance: number }> = [];
  for (let rank = SENSITIVITY_ORDER.length; rank >= 0 && picked.length < limit; rank--) {
    for (let d = 1; d + 1 < levelStarts.length && picked.length < limit; d++) {
      const best = smallestIds(
        queue,
        levelStarts[d]!,
        levelStarts[d + 1]!,
        limit - picked.length,
        (v) => {
          const t = type[v]!;
          const r = t === TYPE_RESOURCE || t === TYPE_SYSTEM ? sensitivity[v]! : 0;
          return r === rank;
        },
        ids,
      );
      for (const node of best) picked.push({ node, distance: d });
    }
  }

  const entries = picked.map(({ node, distance }) => ({
    id: ids[node]!,
    distance,
    actions: actionsInto(g, node, epoch),
    path: stepsTo(g, node),
  }));
  const reachable = tail - 1;
  return {
    subject: ids[subject]!,
    totals: { reachable, identities, resources, systems, bySensitivity },
    entries,
    truncated: reachable > limit,
  };
}

/** The `need` nodes of queue[start, end) passing `keep` with the smallest ids, sorted by id. */
function smallestIds(
  queue: Uint32Array,
  start: number,
  end: number,
  need: number,
  keep: (node: number) => boolean,
  ids: readonly string[],
): number[] {
  const best: number[] = [];
  for (let i = start; i < end; i++) {
    const v = queue[i]!;
    if (!keep(v)) continue;
    const id = ids[v]!;
    if (best.length === need && id >= ids[best[need - 1]!]!) continue;
    let lo = 0;
    let hi = best.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ids[best[mid]!]! < id) lo = mid + 1;
      else hi = mid;
    }
    best.splice(lo, 0, v);
    if (best.length > need) best.pop();
  }
  return best;
}

/** Union of the actions of has_permission edges into `node` from nodes stamped `epoch`. */
function actionsInto(g: GraphParts, node: number, epoch: number): string[] {
  const { stamp } = g.scratch;
  const { nodes: csrNodes, rOff, rFrom, rKind } = g.adj.csr;
  const sets = new Set<number>();
  if (node < csrNodes) {
    for (let j = rOff[node]!, end = rOff[node + 1]!; j < end; j++) {
      if (rKind[j] !== HAS_PERMISSION) continue;
      const from = rFrom[j]!;
      if (stamp[from] === epoch) sets.add(g.adj.actionsOf(from, node, HAS_PERMISSION));
    }
  }
  if (g.nodes.hints[node]! & HINT_OVERLAY_IN) {
    for (const e of g.adj.in.get(node) ?? []) {
      if (e.kind === HAS_PERMISSION && stamp[e.from] === epoch) sets.add(e.act);
    }
  }
  const actions = new Set<string>();
  for (const s of sets) for (const a of g.actions.get(s)) actions.add(a);
  return [...actions].sort();
}
