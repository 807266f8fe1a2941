/**
 * Every node with a path to one of the given nodes, over incoming edges of any kind (the nodes
 * themselves included): the nodes whose reach a change at those nodes can alter. Following every
 * kind over-approximates the traversal rules, which is the safe side for cache invalidation.
 */
import { TOMBSTONE } from './edge-kinds.js';
import type { GraphParts } from './traversal.js';

/** Node ids reaching `starts`; undefined once more than `limit` are found (start over instead). */
export function ancestorsOf(
  g: GraphParts,
  starts: readonly number[],
  limit: number,
): Set<string> | undefined {
  const { nodes, adj } = g;
  const seen = new Set<number>(starts);
  const queue = [...seen];
  while (queue.length > 0) {
    const node = queue.pop()!;
    const visit = (other: number) => {
      if (seen.has(other)) return;
      seen.add(other);
      queue.push(other);
    };
    const csr = adj.csr;
    if (node < csr.nodes) {
      for (let j = csr.rOff[node]!, end = csr.rOff[node + 1]!; j < end; j++) {
        if (csr.rKind[j] !== TOMBSTONE) visit(csr.rFrom[j]!);
      }
    }
    for (const e of adj.in.get(node) ?? []) visit(e.from);
    if (seen.size > limit) return undefined;
  }
  return new Set([...seen].map((n) => nodes.ids[n]!));
}
