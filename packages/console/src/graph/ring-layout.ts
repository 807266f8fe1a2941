/**
 * Rings for the blast-radius drawing: the focus in the middle, then each hop outward. A hop with
 * many nodes is spread over several rings (outer rings hold more, as their circumference grows)
 * instead of one huge circle that cannot be fitted on screen. Within a hop the most sensitive
 * nodes sit nearest the focus and like nodes sit together.
 */
import type { Sensitivity } from '@keyward/sdk';
import type cytoscape from 'cytoscape';

const RANK: Record<Sensitivity | 'none', number> = { critical: 0, high: 1, medium: 2, low: 3, none: 4 };
/** Nodes per ring = PER_RING × ring number: roughly one node per 30px of circumference. */
const PER_RING = 6;

export interface RingNode {
  id: string;
  depth: number;
  sensitivity: Sensitivity | null;
  sortKey: string;
}

/** Ring number by node id (0 = the focus). */
export function assignRings(nodes: RingNode[]): Map<string, number> {
  const byDepth = new Map<number, RingNode[]>();
  for (const n of nodes) {
    const list = byDepth.get(n.depth) ?? [];
    list.push(n);
    byDepth.set(n.depth, list);
  }
  const rings = new Map<string, number>();
  let ring = 0;
  for (const depth of [...byDepth.keys()].sort((a, b) => a - b)) {
    const list = (byDepth.get(depth) ?? []).sort(
      (a, b) =>
        RANK[a.sensitivity ?? 'none'] - RANK[b.sensitivity ?? 'none'] || a.sortKey.localeCompare(b.sortKey),
    );
    if (depth === 0) {
      for (const n of list) rings.set(n.id, 0);
      continue;
    }
    let i = 0;
    while (i < list.length) {
      ring++;
      const cap = PER_RING * ring;
      for (const n of list.slice(i, i + cap)) rings.set(n.id, ring);
      i += cap;
    }
  }
  return rings;
}

export function ringLayout(rings: Map<string, number>, big: boolean): cytoscape.LayoutOptions {
  const outer = Math.max(0, ...rings.values());
  return {
    name: 'concentric',
    concentric: (node: cytoscape.NodeSingular) => outer - (rings.get(node.id()) ?? outer),
    levelWidth: () => 1,
    minNodeSpacing: big ? 6 : 18,
    avoidOverlap: !big,
    animate: false,
  } as cytoscape.LayoutOptions;
}
