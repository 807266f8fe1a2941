/**
 * Builds the compressed sparse row (CSR) adjacency of the graph from flat edge columns, with
 * counting sorts only (O(nodes + edges), no comparison sort, no per-edge objects): 5M edges take
 * well under a second. Forward rows are sorted by (target), reverse rows by (source), which lets the
 * index find one edge by binary search and drop duplicate (kind, from, to) triples while building.
 */

export type ActionColumn = Uint16Array | Uint32Array;

/** Flat edge columns: edge i is kind[i] from[i] → to[i] with action set act[i]. */
export interface EdgeColumns {
  count: number;
  from: Uint32Array;
  to: Uint32Array;
  kind: Uint8Array;
  act: Uint32Array;
}

export interface Csr {
  /** Number of nodes the offsets cover; later nodes have no CSR edges. */
  nodes: number;
  /** Edges stored (after de-duplication). */
  edges: number;
  fOff: Uint32Array;
  fTo: Uint32Array;
  fKind: Uint8Array;
  fAct: ActionColumn;
  rOff: Uint32Array;
  rFrom: Uint32Array;
  rKind: Uint8Array;
}

/** Prefix sums of per-node counts into row offsets (length nodes + 1). */
function offsetsOf(counts: Uint32Array, nodes: number): Uint32Array {
  const off = new Uint32Array(nodes + 1);
  let sum = 0;
  for (let v = 0; v < nodes; v++) {
    off[v] = sum;
    sum += counts[v]!;
  }
  off[nodes] = sum;
  return off;
}

export function buildCsr(nodes: number, cols: EdgeColumns, wideActions: boolean): Csr {
  const m = cols.count;
  const { from, to, kind, act } = cols;

  // Pass 1: order edge ids by target (stable counting sort).
  const counts = new Uint32Array(nodes + 1);
  for (let e = 0; e < m; e++) counts[to[e]!]!++;
  const cursor = offsetsOf(counts, nodes);
  const byTarget = new Uint32Array(m);
  for (let e = 0; e < m; e++) byTarget[cursor[to[e]!]!++] = e;

  // Pass 2: stable counting sort of that order by source, straight into the forward columns, so
  // each forward row ends up sorted by target.
  counts.fill(0);
  for (let e = 0; e < m; e++) counts[from[e]!]!++;
  const fOffRaw = offsetsOf(counts, nodes);
  cursor.set(fOffRaw);
  let fTo = new Uint32Array(m);
  let fKind = new Uint8Array(m);
  let fAct: ActionColumn = wideActions ? new Uint32Array(m) : new Uint16Array(m);
  for (let i = 0; i < m; i++) {
    const e = byTarget[i]!;
    const slot = cursor[from[e]!]!++;
    fTo[slot] = to[e]!;
    fKind[slot] = kind[e]!;
    fAct[slot] = act[e]!;
  }

  // De-duplicate (kind, from, to) in place: duplicates are within a row's run of equal targets.
  const fOff = new Uint32Array(nodes + 1);
  let w = 0;
  for (let v = 0; v < nodes; v++) {
    fOff[v] = w;
    const rowStart = w;
    for (let j = fOffRaw[v]!, end = fOffRaw[v + 1]!; j < end; j++) {
      const t = fTo[j]!;
      const k = fKind[j]!;
      let dup = false;
      for (let p = w - 1; p >= rowStart && fTo[p] === t; p--) {
        if (fKind[p] === k) {
          dup = true;
          break;
        }
      }
      if (dup) continue;
      fTo[w] = t;
      fKind[w] = k;
      fAct[w] = fAct[j]!;
      w++;
    }
  }
  fOff[nodes] = w;
  if (w < m) {
    fTo = fTo.slice(0, w);
    fKind = fKind.slice(0, w);
    fAct = fAct.slice(0, w);
  }

  // Reverse CSR: walking forward rows in source order keeps each reverse row sorted by source.
  counts.fill(0);
  for (let j = 0; j < w; j++) counts[fTo[j]!]!++;
  const rOff = offsetsOf(counts, nodes);
  cursor.set(rOff);
  const rFrom = new Uint32Array(w);
  const rKind = new Uint8Array(w);
  for (let v = 0; v < nodes; v++) {
    for (let j = fOff[v]!, end = fOff[v + 1]!; j < end; j++) {
      const slot = cursor[fTo[j]!]!++;
      rFrom[slot] = v;
      rKind[slot] = fKind[j]!;
    }
  }
  return { nodes, edges: w, fOff, fTo, fKind, fAct, rOff, rFrom, rKind };
}
