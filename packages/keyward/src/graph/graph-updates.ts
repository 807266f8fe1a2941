/**
 * What the inventory services tell the in-memory graph after each committed change. The graph index
 * implements it; the services depend only on this narrow view.
 */
import type { EdgeKind, NodeType, Sensitivity } from '@keyward/sdk';

export interface GraphNodeUpdate {
  id: string;
  type: NodeType;
  sensitivity: Sensitivity | null;
  /** Disabled/revoked identities and inactive humans: never entered by traversal. */
  blocked: boolean;
}

export interface GraphEdgeUpdate {
  kind: EdgeKind;
  fromId: string;
  toId: string;
  actions: string[];
}

export interface GraphUpdates {
  upsertNode(node: GraphNodeUpdate): void;
  addEdge(edge: GraphEdgeUpdate): void;
  removeEdge(edge: GraphEdgeUpdate): void;
}
