/**
 * Shortest attack path between two nodes by bidirectional BFS: one search forward from the source,
 * one backward from the target, always growing the smaller frontier by a whole level. The first
 * meeting is a shortest path (no path of length ≤ both radii existed, or the sides would already
 * share a node). Both sides share one stamp array (even epoch forward, odd backward) and one queue
 * (forward fills it upwards from 0, backward downwards from the end).
 */

import type { PathStep } from '@keyward/sdk';
import { expandBackward, expandForward, type GraphParts, stepOf, stepsTo } from './traversal.js';

export interface PathResult {
  reachable: boolean;
  /** Shortest path over traversable edges; empty when unreachable or from === to. */
  steps: PathStep[];
}

export function shortestPath(g: GraphParts, from: number, to: number): PathResult {
  if (from === to) return { reachable: true, steps: [] };
  // A blocked target cannot be entered (its credentials do not work); a blocked source is fine.
  if (g.nodes.blocked[to] === 1) return { reachable: false, steps: [] };
  const { scratch } = g;
  const forward = scratch.begin(g.nodes.count);
  const backward = forward + 1;
  const { stamp, parent, queue } = scratch;
  stamp[from] = forward;
  parent[from] = -1;
  stamp[to] = backward;
  parent[to] = -1;
  queue[0] = from;
  let fHead = 0;
  let fTail = 1;
  const top = queue.length;
  queue[top - 1] = to;
  let bLow = top - 1;
  let bHigh = top;
  while (fHead < fTail && bLow < bHigh) {
    if (fTail - fHead <= bHigh - bLow) {
      const end = fTail;
      const next = expandForward(g, fHead, end, fTail, forward, backward);
      if (next < 0) return joined(g);
      fHead = end;
      fTail = next;
    } else {
      const low = bLow;
      const next = expandBackward(g, low, bHigh, low, backward, forward);
      if (next < 0) return joined(g);
      bHigh = low;
      bLow = next;
    }
  }
  return { reachable: false, steps: [] };
}

/** Source → meetFrom (forward parents), the meeting step, then meetTo → target (backward parents). */
function joined(g: GraphParts): PathResult {
  const { meetFrom, meetTo, meetVia, parent, via } = g.scratch;
  const steps = stepsTo(g, meetFrom);
  steps.push(stepOf(g, meetFrom, meetTo, meetVia));
  for (let c = meetTo; parent[c]! >= 0; c = parent[c]!) steps.push(stepOf(g, c, parent[c]!, via[c]!));
  return { reachable: true, steps };
}
