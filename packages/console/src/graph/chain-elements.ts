/**
 * Lineage and path answers → graph. Lineage is drawn with edges in their stored direction
 * (human → agent → sub-agent), top-down; a path is drawn in walking order, fully highlighted.
 */
import type { GraphNodeRef, GraphPath, Lineage, PathStep } from '@keyward/sdk';
import type cytoscape from 'cytoscape';
import {
  edgeId,
  type GraphModel,
  missingNode,
  type NodeInfo,
  nodeElement,
  pathIds,
  storedDirection,
} from './graph-model.js';

function treeLayout(roots: string[]): cytoscape.LayoutOptions {
  return { name: 'breadthfirst', directed: true, roots, spacingFactor: 1.3, animate: false, padding: 30 };
}

export function lineageModel(lineage: Lineage): GraphModel {
  const info = new Map<string, NodeInfo>();
  info.set(lineage.subject.id, { ref: lineage.subject, depth: 0 });
  for (const e of [...lineage.ancestors, ...lineage.descendants]) {
    info.set(e.node.id, { ref: e.node, depth: e.depth, path: e.path });
  }
  const edges = new Map<string, { from: string; to: string; step: PathStep }>();
  const stored = (s: PathStep) => {
    const d = storedDirection(s);
    return edgeId(d.from, d.to, s.kind);
  };
  for (const e of [...lineage.ancestors, ...lineage.descendants]) {
    for (const s of e.path) {
      const d = storedDirection(s);
      for (const id of [d.from, d.to]) if (!info.has(id)) info.set(id, { ref: missingNode(id) });
      edges.set(stored(s), { ...d, step: s });
    }
  }
  const elements: cytoscape.ElementDefinition[] = [];
  for (const n of info.values()) {
    elements.push(nodeElement(n.ref, { depth: n.depth ?? 0 }));
  }
  const hasParent = new Set<string>();
  for (const [id, e] of edges) {
    hasParent.add(e.to);
    elements.push({ group: 'edges', data: { id, source: e.from, target: e.to, label: e.step.kind } });
  }
  const roots = [...info.keys()].filter((id) => !hasParent.has(id));
  if (elements[0]) elements[0].classes = 'focus';
  return {
    elements,
    info,
    grouped: 0,
    nodeCount: info.size,
    layout: treeLayout(roots.length ? roots : [lineage.subject.id]),
    highlightFor: (id) => [lineage.subject.id, id, ...pathIds(info.get(id)?.path ?? [], stored)],
  };
}

export function pathModel(path: GraphPath): GraphModel {
  const refs: GraphNodeRef[] = path.reachable && path.nodes.length ? path.nodes : [path.from, path.to];
  const info = new Map<string, NodeInfo>();
  refs.forEach((ref, i) => {
    info.set(ref.id, { ref, depth: i, path: path.steps.slice(0, i) });
  });
  // Deduped: from and to are the same node when asking whether X reaches itself.
  const elements: cytoscape.ElementDefinition[] = [...new Map(refs.map((r) => [r.id, r])).values()].map(
    (ref) => nodeElement(ref),
  );
  const walk = (s: PathStep) => edgeId(s.fromId, s.toId, s.kind);
  for (const s of path.steps) {
    for (const id of [s.fromId, s.toId]) {
      if (!info.has(id)) {
        info.set(id, { ref: missingNode(id) });
        elements.push(nodeElement(missingNode(id)));
      }
    }
    elements.push({
      group: 'edges',
      classes: s.reversed ? 'reversed' : '',
      data: { id: walk(s), source: s.fromId, target: s.toId, label: s.kind },
    });
  }
  const all = pathIds(path.steps, walk);
  return {
    elements,
    info,
    grouped: 0,
    nodeCount: info.size,
    // A path is a chain: left to right reads as a sentence and fits wide screens.
    layout: {
      name: 'preset',
      positions: Object.fromEntries(refs.map((r, i) => [r.id, { x: i * 220, y: 0 }])),
      animate: false,
    } as cytoscape.LayoutOptions,
    highlightFor: (id) => [path.from.id, id, ...pathIds(info.get(id)?.path ?? [], walk)],
    initialHighlight: path.reachable ? all : [],
  };
}
