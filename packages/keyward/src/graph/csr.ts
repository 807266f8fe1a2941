/**
 * Builds the compressed sparse row (CSR) adjacency of the graph from flat edge columns, with
 * a counting sort by source (O(nodes + edges), no per-edge objects) and a per-row sort of the
 * (short) rows. Forward rows end up sorted by (target, kind), reverse rows by (source), which lets
 * the index find one edge by binary search and drop duplicate (kind, from, to) triples on build.
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

  // Counting sort by source, reading the input columns sequentially; each row is then sorted by
  // (target, kind) on its own, which is cache-local because rows are short.
  const counts = new Uint32Array(nodes + 1);
  for (let e = 0; e < m; e++) counts[from[e]!]!++;
  const fOffRaw = offsetsOf(counts, nodes);
  const cursor = fOffRaw.slice();
  let fTo = new Uint32Array(m);
  let fKind = new Uint8Array(m);
  let fAct: ActionColumn = wideActions ? new Uint32Array(m) : new Uint16Array(m);
  for (let e = 0; e < m; e++) {
    const slot = cursor[from[e]!]!++;
    fTo[slot] = to[e]!;
    fKind[slot] = kind[e]!;
    fAct[slot] = act[e]!;
  }
  for (let v = 0; v < nodes; v++) sortRow(fTo, fKind, fAct, fOffRaw[v]!, fOffRaw[v + 1]!);

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

/** Sorts one row's slots [start, end) by (target, kind), carrying the action column along. */
function sortRow(to: Uint32Array, kind: Uint8Array, act: ActionColumn, start: number, end: number): void {
  const before = (a: number, b: number): boolean =>
    to[a]! < to[b]! || (to[a] === to[b] && kind[a]! < kind[b]!);
  let sorted = true;
  for (let j = start + 1; j < end && sorted; j++) sorted = !before(j, j - 1);
  if (sorted) return;
  if (end - start <= 32) {
    // Insertion sort: the common case, a handful of edges.
    for (let j = start + 1; j < end; j++) {
      const t = to[j]!;
      const k = kind[j]!;
      const a = act[j]!;
      let p = j - 1;
      while (p >= start && (to[p]! > t || (to[p] === t && kind[p]! > k))) {
        to[p + 1] = to[p]!;
        kind[p + 1] = kind[p]!;
        act[p + 1] = act[p]!;
        p--;
      }
      to[p + 1] = t;
      kind[p + 1] = k;
      act[p + 1] = a;
    }
    return;
  }
  // Hub rows: sort a permutation, then apply it through copies of the row.
  const order = Array.from({ length: end - start }, (_, i) => start + i);
  order.sort((a, b) => to[a]! - to[b]! || kind[a]! - kind[b]!);
  const t0 = to.slice(start, end);
  const k0 = kind.slice(start, end);
  const a0 = act.slice(start, end);
  order.forEach((src, i) => {
    to[start + i] = t0[src - start]!;
    kind[start + i] = k0[src - start]!;
    act[start + i] = a0[src - start]!;
  });
}
