/**
 * Blast radius → graph. Every returned entry plus the hops on its path are drawn, edges in walking
 * order labelled by kind. Above GROUP_THRESHOLD nodes the reach is folded into group nodes (same
 * depth, type, kind and sensitivity) so cytoscape stays responsive; expanded groups are drawn open.
 */
import type { BlastRadius, GraphNodeRef, PathStep } from '@keyward/sdk';
import type cytoscape from 'cytoscape';
import { edgeId, type GraphModel, missingNode, type NodeInfo, nodeElement, pathIds } from './graph-model.js';
import { colourOf } from './graph-style.js';
import { assignRings, ringLayout } from './ring-layout.js';

export const GROUP_THRESHOLD = 1500;
/** Expanding stops here: beyond it the tab would crawl. */
export const MAX_DRAWN = 4000;

function groupKey(ref: GraphNodeRef, depth: number): string {
  return `group:${depth}:${ref.type}:${ref.kind ?? ref.type}:${ref.sensitivity ?? 'none'}`;
}

export function blastModel(blast: BlastRadius, expanded: ReadonlySet<string>): GraphModel {
  const info = new Map<string, NodeInfo>();
  const subject = blast.subject;
  info.set(subject.id, { ref: subject, depth: 0 });
  for (const e of blast.entries) {
    info.set(e.node.id, { ref: e.node, depth: e.distance, actions: e.actions, path: e.path });
  }
  // Hops on paths that fell outside the returned (truncated) entries still need a node.
  const edges = new Map<string, PathStep>();
  for (const e of blast.entries) {
    e.path.forEach((s, i) => {
      if (!info.has(s.toId))
        info.set(s.toId, { ref: blast.refs[s.toId] ?? missingNode(s.toId), depth: i + 1 });
      edges.set(edgeId(s.fromId, s.toId, s.kind), s);
    });
  }

  const grouping = info.size > GROUP_THRESHOLD;
  const groups = new Map<string, string[]>();
  const repOf = new Map<string, string>();
  if (grouping) {
    for (const [id, n] of info) {
      if (id === subject.id) continue;
      const key = groupKey(n.ref, n.depth ?? 1);
      const list = groups.get(key) ?? [];
      list.push(id);
      groups.set(key, list);
    }
    for (const [key, members] of groups) {
      if (members.length < 2 || expanded.has(key)) continue;
      for (const m of members) repOf.set(m, key);
    }
  }
  const rep = (id: string) => repOf.get(id) ?? id;

  const elements: cytoscape.ElementDefinition[] = [];
  for (const [id, n] of info) {
    if (repOf.has(id)) continue;
    elements.push(nodeElement(n.ref, { depth: n.depth ?? 0 }));
  }
  let grouped = 0;
  for (const [key, members] of groups) {
    if (members.length < 2 || expanded.has(key)) continue;
    grouped += members.length;
    const first = info.get(members[0] as string) as NodeInfo;
    const ref: GraphNodeRef = {
      ...first.ref,
      id: key,
      name: `${members.length} × ${first.ref.kind ?? first.ref.type}`,
    };
    info.set(key, { ref, depth: first.depth ?? 1, members });
    elements.push({
      group: 'nodes',
      classes: 'group',
      data: {
        id: key,
        label: ref.name,
        type: 'group',
        colour: colourOf(ref.sensitivity),
        size: members.length,
        depth: first.depth ?? 1,
      },
    });
  }

  const bundles = new Map<string, { from: string; to: string; step: PathStep; count: number }>();
  for (const s of edges.values()) {
    const from = rep(s.fromId);
    const to = rep(s.toId);
    if (from === to) continue;
    const id = edgeId(from, to, s.kind);
    const b = bundles.get(id);
    if (b) b.count++;
    else bundles.set(id, { from, to, step: s, count: 1 });
  }
  for (const [id, b] of bundles) {
    const classes = [b.step.reversed ? 'reversed' : '', b.count > 1 ? 'bundle' : ''].join(' ').trim();
    elements.push({
      group: 'edges',
      classes,
      data: {
        id,
        source: b.from,
        target: b.to,
        label: b.count > 1 ? `${b.step.kind} ×${b.count}` : b.step.kind,
        size: b.count,
      },
    });
  }

  const edgeOf = (s: PathStep) => edgeId(rep(s.fromId), rep(s.toId), s.kind);
  const nodeCount = elements.filter((e) => e.group === 'nodes').length;
  const big = nodeCount > 400;
  const rings = assignRings(
    elements
      .filter((e) => e.group === 'nodes')
      .map((e) => {
        const n = info.get(String(e.data.id));
        return {
          id: String(e.data.id),
          depth: n?.depth ?? 0,
          sensitivity: n?.ref.sensitivity ?? null,
          sortKey: `${n?.ref.type}:${n?.ref.kind}:${n?.ref.name}`,
        };
      }),
  );
  return {
    elements,
    info,
    grouped,
    nodeCount,
    highlightFor: (id) => {
      const n = info.get(id);
      if (!n) return [];
      const steps = n.members ? n.members.flatMap((m) => info.get(m)?.path ?? []) : (n.path ?? []);
      return [subject.id, id, ...pathIds(steps, edgeOf, rep)];
    },
    layout: ringLayout(rings, big),
  };
}
