/**
 * The edge store of the index: an immutable CSR (forward and reverse) plus a small overlay for
 * live changes. Added edges go to per-node overlay lists; removed CSR edges are tombstoned in place
 * (their kind byte set to TOMBSTONE in both directions, which no traversal mask matches). When the
 * overlay plus tombstones outgrow a fraction of the CSR, the owner compacts (rebuilds the CSR).
 */

import { buildCsr, type Csr, type EdgeColumns } from './csr.js';
import { REVERSE_MASK, TOMBSTONE } from './edge-kinds.js';
import {
  HINT_IN_REVERSE_KIND,
  HINT_OUT_REVERSE_KIND,
  HINT_OVERLAY_IN,
  HINT_OVERLAY_OUT,
  type NodeTable,
} from './node-table.js';

export interface OverlayEdge {
  from: number;
  to: number;
  kind: number;
  act: number;
}

const EMPTY_CSR: Csr = buildCsr(0, emptyColumns(), false);

function emptyColumns(): EdgeColumns {
  return {
    count: 0,
    from: new Uint32Array(0),
    to: new Uint32Array(0),
    kind: new Uint8Array(0),
    act: new Uint32Array(0),
  };
}

export class Adjacency {
  csr: Csr = EMPTY_CSR;
  /** Overlay lists by node: edges added since the last build. */
  readonly out = new Map<number, OverlayEdge[]>();
  readonly in = new Map<number, OverlayEdge[]>();
  overlayEdges = 0;
  tombstones = 0;

  constructor(private readonly nodes: NodeTable) {}

  get edgeCount(): number {
    return this.csr.edges - this.tombstones + this.overlayEdges;
  }

  /** Replaces everything with a CSR built from `cols` (all endpoints must be known nodes). */
  load(cols: EdgeColumns, wideActions: boolean): void {
    const n = this.nodes.count;
    this.csr = buildCsr(n, cols, wideActions);
    this.out.clear();
    this.in.clear();
    this.overlayEdges = 0;
    this.tombstones = 0;
    const hints = this.nodes.hints;
    hints.fill(0);
    const { fOff, fTo, fKind } = this.csr;
    for (let v = 0; v < n; v++) {
      for (let j = fOff[v]!, end = fOff[v + 1]!; j < end; j++) {
        if ((REVERSE_MASK >> fKind[j]!) & 1) {
          hints[v]! |= HINT_OUT_REVERSE_KIND;
          hints[fTo[j]!]! |= HINT_IN_REVERSE_KIND;
        }
      }
    }
  }

  /** Every live edge as flat columns, for compaction. */
  columns(): EdgeColumns {
    const { nodes: n, fOff, fTo, fKind, fAct } = this.csr;
    const count = this.edgeCount;
    const cols: EdgeColumns = {
      count,
      from: new Uint32Array(count),
      to: new Uint32Array(count),
      kind: new Uint8Array(count),
      act: new Uint32Array(count),
    };
    let i = 0;
    for (let v = 0; v < n; v++) {
      for (let j = fOff[v]!, end = fOff[v + 1]!; j < end; j++) {
        if (fKind[j] === TOMBSTONE) continue;
        cols.from[i] = v;
        cols.to[i] = fTo[j]!;
        cols.kind[i] = fKind[j]!;
        cols.act[i] = fAct[j]!;
        i++;
      }
    }
    for (const list of this.out.values()) {
      for (const e of list) {
        cols.from[i] = e.from;
        cols.to[i] = e.to;
        cols.kind[i] = e.kind;
        cols.act[i] = e.act;
        i++;
      }
    }
    return cols;
  }

  /** CSR slot of the live edge (kind, from → to), or -1. Rows are sorted by target. */
  private forwardSlot(from: number, to: number, kind: number): number {
    const { nodes: n, fOff, fTo, fKind } = this.csr;
    if (from >= n) return -1;
    let lo = fOff[from]!;
    let hi = fOff[from + 1]!;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (fTo[mid]! < to) lo = mid + 1;
      else hi = mid;
    }
    for (let j = lo, end = fOff[from + 1]!; j < end && fTo[j] === to; j++) if (fKind[j] === kind) return j;
    return -1;
  }

  private reverseSlot(from: number, to: number, kind: number): number {
    const { nodes: n, rOff, rFrom, rKind } = this.csr;
    if (to >= n) return -1;
    let lo = rOff[to]!;
    let hi = rOff[to + 1]!;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (rFrom[mid]! < from) lo = mid + 1;
      else hi = mid;
    }
    for (let j = lo, end = rOff[to + 1]!; j < end && rFrom[j] === from; j++) if (rKind[j] === kind) return j;
    return -1;
  }

  /** Live outgoing edges of `node` (any kind): CSR row minus tombstones plus overlay. */
  outDegree(node: number): number {
    let n = this.out.get(node)?.length ?? 0;
    if (node < this.csr.nodes) {
      const { fOff, fKind } = this.csr;
      for (let j = fOff[node]!, stop = fOff[node + 1]!; j < stop; j++) if (fKind[j] !== TOMBSTONE) n++;
    }
    return n;
  }

  private overlayEdge(from: number, to: number, kind: number): OverlayEdge | undefined {
    if (!(this.nodes.hints[from]! & HINT_OVERLAY_OUT)) return undefined;
    return this.out.get(from)?.find((e) => e.to === to && e.kind === kind);
  }

  /** Action-set index of the live edge (kind, from → to), or -1 when there is no such edge. */
  actionsOf(from: number, to: number, kind: number): number {
    const slot = this.forwardSlot(from, to, kind);
    if (slot >= 0) return this.csr.fAct[slot]!;
    return this.overlayEdge(from, to, kind)?.act ?? -1;
  }

  /** Adds the edge; false when (kind, from, to) already exists (the actions are left as they were). */
  add(from: number, to: number, kind: number, act: number): boolean {
    if (this.actionsOf(from, to, kind) >= 0) return false;
    const edge: OverlayEdge = { from, to, kind, act };
    pushTo(this.out, from, edge);
    pushTo(this.in, to, edge);
    const hints = this.nodes.hints;
    hints[from]! |= HINT_OVERLAY_OUT;
    hints[to]! |= HINT_OVERLAY_IN;
    if ((REVERSE_MASK >> kind) & 1) {
      hints[from]! |= HINT_OUT_REVERSE_KIND;
      hints[to]! |= HINT_IN_REVERSE_KIND;
    }
    this.overlayEdges++;
    return true;
  }

  /** Removes the edge; false when there was none. */
  remove(from: number, to: number, kind: number): boolean {
    const slot = this.forwardSlot(from, to, kind);
    if (slot >= 0) {
      this.csr.fKind[slot] = TOMBSTONE;
      const back = this.reverseSlot(from, to, kind);
      if (back >= 0) this.csr.rKind[back] = TOMBSTONE;
      this.tombstones++;
      return true;
    }
    const edge = this.overlayEdge(from, to, kind);
    if (edge === undefined) return false;
    const hints = this.nodes.hints;
    if (dropFrom(this.out, from, edge)) hints[from]! &= ~HINT_OVERLAY_OUT;
    if (dropFrom(this.in, to, edge)) hints[to]! &= ~HINT_OVERLAY_IN;
    this.overlayEdges--;
    return true;
  }

  approxBytes(): number {
    const c = this.csr;
    const typed =
      c.fOff.byteLength +
      c.fTo.byteLength +
      c.fKind.byteLength +
      c.fAct.byteLength +
      c.rOff.byteLength +
      c.rFrom.byteLength +
      c.rKind.byteLength;
    // An overlay edge is a 4-field object (~48 bytes) referenced from two lists (~8 bytes each),
    // plus a map entry per node that has a list.
    return typed + this.overlayEdges * 64 + (this.out.size + this.in.size) * 48;
  }
}

function pushTo(lists: Map<number, OverlayEdge[]>, node: number, edge: OverlayEdge): void {
  const list = lists.get(node);
  if (list === undefined) lists.set(node, [edge]);
  else list.push(edge);
}

/** Removes `edge` from the node's list; true when the list is now empty (and deleted). */
function dropFrom(lists: Map<number, OverlayEdge[]>, node: number, edge: OverlayEdge): boolean {
  const list = lists.get(node);
  if (list === undefined) return true;
  const i = list.indexOf(edge);
  if (i >= 0) list.splice(i, 1);
  if (list.length > 0) return false;
  lists.delete(node);
  return true;
}
