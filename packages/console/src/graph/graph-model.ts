/**
 * What every graph view hands to the canvas: cytoscape elements, the layout to run, and enough
 * per-node detail for the side panel and for highlighting "how the focus gets here".
 */
import type { GraphNodeRef, PathStep } from '@keyward/sdk';
import type cytoscape from 'cytoscape';
import { colourOf } from './graph-style.js';

export interface NodeInfo {
  ref: GraphNodeRef;
  /** Hops from the focus (blast radius distance, lineage depth). */
  depth?: number;
  actions?: string[];
  /** How the focus reaches this node, in walking order. */
  path?: PathStep[];
  /** For group nodes: the ids of the nodes folded into it. */
  members?: string[];
}

export interface GraphModel {
  elements: cytoscape.ElementDefinition[];
  layout: cytoscape.LayoutOptions;
  info: Map<string, NodeInfo>;
  /** Ids of the drawn nodes and edges to highlight when a node is picked. */
  highlightFor: (nodeId: string) => string[];
  /** Ids drawn highlighted from the start (the path finder's answer). */
  initialHighlight?: string[];
  /** Nodes folded into groups (0 when nothing is grouped). */
  grouped: number;
  /** Drawn node count, for the test hook and the totals line. */
  nodeCount: number;
}

export function edgeId(from: string, to: string, kind: string): string {
  return `e:${from}|${to}|${kind}`;
}

export function nodeElement(
  ref: GraphNodeRef,
  extra: Record<string, unknown> = {},
): cytoscape.ElementDefinition {
  return {
    group: 'nodes',
    data: { id: ref.id, label: ref.name, type: ref.type, colour: colourOf(ref.sensitivity), ...extra },
  };
}

/** The edge as stored: a reversed step was walked against the edge's direction. */
export function storedDirection(step: PathStep): { from: string; to: string } {
  return step.reversed ? { from: step.toId, to: step.fromId } : { from: step.fromId, to: step.toId };
}

export function missingNode(id: string): GraphNodeRef {
  const type = id.startsWith('hum_')
    ? 'human'
    : id.startsWith('res_')
      ? 'resource'
      : id.startsWith('sys_')
        ? 'system'
        : 'identity';
  return { id, type, name: id, kind: null, status: null, sensitivity: null, environment: null };
}

/** Node and edge ids along a path of steps, for highlighting. */
export function pathIds(
  steps: PathStep[],
  edgeOf: (s: PathStep) => string,
  nodeOf = (id: string) => id,
): string[] {
  const ids = new Set<string>();
  for (const s of steps) {
    ids.add(nodeOf(s.fromId));
    ids.add(nodeOf(s.toId));
    ids.add(edgeOf(s));
  }
  return [...ids];
}
