/**
 * GraphIndex: the in-memory lineage graph every graph query runs on, so queries never touch the
 * database. Nodes are dense integers (node-table.ts), edges a forward + reverse CSR with a live
 * overlay (adjacency.ts), traversals reuse preallocated epoch-stamped scratch (bfs-scratch.ts).
 * This class is the public face: bulk build, live updates, queries with string ids.
 *
 * Edges naming an unknown node: the node is added with the type its id prefix names (nodeTypeOf),
 * no sensitivity and not blocked, so an edge that arrives before its node is not lost; a later
 * upsertNode fills it in. Edges whose endpoint id has no node prefix are skipped by build (counted
 * in stats().skippedEdges) and rejected by addEdge.
 */

import type { EdgeKind, NodeType, Sensitivity } from '@keyward/sdk';
import { KeywardError } from '../errors.js';
import { nodeTypeOf } from '../ids.js';
import { ActionSets } from './action-sets.js';
import { Adjacency } from './adjacency.js';
import { ancestorsOf } from './ancestors.js';
import { BfsScratch } from './bfs-scratch.js';
import { type BlastRadiusResult, blastRadius } from './blast-radius.js';
import { ChangeLog } from './change-log.js';
import type { EdgeColumns } from './csr.js';
import { kindCode } from './edge-kinds.js';
import { type LineageResult, lineage } from './lineage.js';
import { type Neighbour, neighbours } from './neighbours.js';
import { NodeTable, sensitivityRank, typeCode } from './node-table.js';
import { type PathResult, shortestPath } from './path-query.js';
import type { GraphParts } from './traversal.js';

export interface GraphNodeInput {
  id: string;
  type: NodeType;
  /** Resources and systems; null/absent for identities and humans. */
  sensitivity?: Sensitivity | null | undefined;
  /** Disabled or revoked identity, inactive human: a query subject, never entered by traversal. */
  blocked: boolean;
}

export interface GraphEdgeInput {
  kind: EdgeKind;
  fromId: string;
  toId: string;
  actions: readonly string[];
}

export interface GraphIndexOptions {
  /** Compact when overlay edges + tombstones exceed max(minCompaction, ratio × CSR edges). */
  compactionRatio?: number;
  minCompaction?: number;
}

export interface GraphStats {
  nodes: number;
  edges: number;
  overlayEdges: number;
  tombstones: number;
  skippedEdges: number;
  actionSets: number;
  approxBytes: number;
}

export class GraphIndex {
  private readonly nodes = new NodeTable();
  private readonly actions = new ActionSets();
  private readonly adj = new Adjacency(this.nodes);
  private readonly scratch = new BfsScratch();
  private readonly parts: GraphParts = {
    nodes: this.nodes,
    adj: this.adj,
    actions: this.actions,
    scratch: this.scratch,
  };
  private readonly compactionRatio: number;
  private readonly minCompaction: number;
  private skippedEdges = 0;
  private readonly changeLog = new ChangeLog();

  /**
   * Changes since the index was built (nodes upserted or blocked, edges added or removed): a
   * reader caching traversal results keeps them while this stays the same.
   */
  get changes(): number {
    return this.changeLog.changes;
  }

  /**
   * The nodes whose reach may differ from what it was at change number `since` (every node with a
   * path to a node changed since); undefined when that is unknown (too long ago) or more than
   * `limit` nodes, in which case a cache should start over.
   */
  staleSince(since: number, limit: number): Set<string> | undefined {
    const touched = this.changeLog.touchedSince(since);
    if (touched === undefined) return undefined;
    const starts = new Set<number>();
    for (const id of touched) {
      const node = this.nodes.indexOf(id);
      if (node !== undefined) starts.add(node);
    }
    return ancestorsOf(this.parts, [...starts], limit);
  }

  private constructor(options: GraphIndexOptions) {
    this.compactionRatio = options.compactionRatio ?? 1 / 16;
    this.minCompaction = options.minCompaction ?? 4096;
  }

  static empty(options: GraphIndexOptions = {}): GraphIndex {
    return new GraphIndex(options);
  }

  /** Bulk load: nodes first, then edges gathered into flat columns and counting-sorted into CSR. */
  static build(
    nodes: Iterable<GraphNodeInput>,
    edges: Iterable<GraphEdgeInput>,
    options: GraphIndexOptions = {},
  ): GraphIndex {
    const index = new GraphIndex(options);
    if (Array.isArray(nodes)) index.nodes.reserve(nodes.length);
    for (const node of nodes) index.upsertNode(node);
    let cols = columnsOf(Array.isArray(edges) ? edges.length : 1024);
    for (const edge of edges) {
      const from = index.nodeFor(edge.fromId);
      const to = index.nodeFor(edge.toId);
      if (from === undefined || to === undefined) {
        index.skippedEdges++;
        continue;
      }
      if (cols.count === cols.from.length) cols = grown(cols);
      const i = cols.count++;
      cols.from[i] = from;
      cols.to[i] = to;
      cols.kind[i] = kindCode(edge.kind);
      cols.act[i] = index.actions.intern(edge.actions);
    }
    index.nodes.trim();
    index.adj.load(cols, index.actions.size > 0xffff);
    return index;
  }

  /** Adds the node or updates its sensitivity and blocked flag (a node's type never changes). */
  upsertNode(node: GraphNodeInput): void {
    const sensitivity = sensitivityRank(node.sensitivity);
    this.changeLog.note(node.id);
    const existing = this.nodes.indexOf(node.id);
    if (existing === undefined) {
      this.nodes.add(node.id, typeCode(node.type), sensitivity, node.blocked);
      return;
    }
    this.nodes.sensitivity[existing] = sensitivity;
    this.nodes.blocked[existing] = node.blocked ? 1 : 0;
  }

  setBlocked(id: string, blocked: boolean): void {
    this.changeLog.note(id);
    this.nodes.blocked[this.require(id)] = blocked ? 1 : 0;
  }

  /** Adds the edge; false when (kind, from, to) is already present (adding again is a no-op). */
  addEdge(edge: GraphEdgeInput): boolean {
    const from = this.nodeFor(edge.fromId);
    const to = this.nodeFor(edge.toId);
    if (from === undefined || to === undefined) {
      const bad = from === undefined ? edge.fromId : edge.toId;
      throw new KeywardError('invalid_reference', `${JSON.stringify(bad)} does not name a graph node`);
    }
    const added = this.adj.add(from, to, kindCode(edge.kind), this.actions.intern(edge.actions));
    if (added) {
      this.changeLog.note(edge.fromId);
      this.compactIfNeeded();
    }
    return added;
  }

  /** Removes the edge (kind, from, to); false when there was none. Actions are ignored. */
  removeEdge(edge: Pick<GraphEdgeInput, 'kind' | 'fromId' | 'toId'>): boolean {
    const from = this.nodes.indexOf(edge.fromId);
    const to = this.nodes.indexOf(edge.toId);
    if (from === undefined || to === undefined) return false;
    const removed = this.adj.remove(from, to, kindCode(edge.kind));
    if (removed) {
      this.changeLog.note(edge.fromId);
      this.compactIfNeeded();
    }
    return removed;
  }

  /** Folds the overlay and tombstones into a fresh CSR. Queries answer the same before and after. */
  compact(): void {
    this.adj.load(this.adj.columns(), this.actions.size > 0xffff);
  }

  /** Outgoing edges of a node (0 for an unknown id): a cheap proxy for reach when ranking candidates. */
  outDegree(id: string): number {
    const node = this.nodes.indexOf(id);
    return node === undefined ? 0 : this.adj.outDegree(node);
  }

  /** The node's direct edges, out (its grants, trusts …) or in (who can assume it …); [] for an unknown id. */
  edgesOf(id: string, direction: 'out' | 'in'): Neighbour[] {
    const node = this.nodes.indexOf(id);
    return node === undefined ? [] : neighbours(this.parts, node, direction);
  }

  has(id: string): boolean {
    return this.nodes.indexOf(id) !== undefined;
  }

  lineage(id: string, options: { maxDepth?: number } = {}): LineageResult {
    return lineage(this.parts, this.require(id), options.maxDepth ?? 10);
  }

  blastRadius(id: string, options: { limit?: number } = {}): BlastRadiusResult {
    return blastRadius(this.parts, this.require(id), options.limit ?? 100);
  }

  path(fromId: string, toId: string): PathResult {
    return shortestPath(this.parts, this.require(fromId), this.require(toId));
  }

  stats(): GraphStats {
    return {
      nodes: this.nodes.count,
      edges: this.adj.edgeCount,
      overlayEdges: this.adj.overlayEdges,
      tombstones: this.adj.tombstones,
      skippedEdges: this.skippedEdges,
      actionSets: this.actions.size,
      approxBytes:
        this.nodes.approxBytes() +
        this.adj.approxBytes() +
        this.actions.approxBytes() +
        this.scratch.approxBytes(),
    };
  }

  private require(id: string): number {
    const node = this.nodes.indexOf(id);
    if (node === undefined)
      throw new KeywardError('not_found', `graph node ${JSON.stringify(id)} does not exist`);
    return node;
  }

  /** The node's integer, adding a placeholder node when the id prefix names a node type. */
  private nodeFor(id: string): number | undefined {
    const node = this.nodes.indexOf(id);
    if (node !== undefined) return node;
    const type = nodeTypeOf(id);
    return type === undefined ? undefined : this.nodes.add(id, typeCode(type), 0, false);
  }

  private compactIfNeeded(): void {
    const churn = this.adj.overlayEdges + this.adj.tombstones;
    if (churn > Math.max(this.minCompaction, this.compactionRatio * this.adj.csr.edges)) this.compact();
  }
}

function columnsOf(capacity: number): EdgeColumns {
  const n = Math.max(16, capacity);
  return {
    count: 0,
    from: new Uint32Array(n),
    to: new Uint32Array(n),
    kind: new Uint8Array(n),
    act: new Uint32Array(n),
  };
}

function grown(cols: EdgeColumns): EdgeColumns {
  const next = columnsOf(cols.from.length * 2);
  next.count = cols.count;
  next.from.set(cols.from);
  next.to.set(cols.to);
  next.kind.set(cols.kind);
  next.act.set(cols.act);
  return next;
}
