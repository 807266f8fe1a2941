/**
 * Preallocated working memory shared by every traversal of one index, so a query allocates nothing
 * proportional to the graph. `stamp` marks visited nodes with the query's epoch instead of being
 * cleared: a new query just takes the next epoch. Each epoch comes as a pair (even, odd) so a
 * bidirectional search can tell its two sides apart in the same array.
 */

/** `via` packs the kind code of the edge a node was reached through with this bit when reversed. */
export const VIA_REVERSED = 0x80;

export class BfsScratch {
  stamp = new Uint32Array(0);
  /** The node a visited node was reached from (forward side) or leads to (backward side). */
  parent = new Int32Array(0);
  via = new Uint8Array(0);
  /** BFS queue; a bidirectional search fills it from both ends. */
  queue = new Uint32Array(0);
  /** Where a bidirectional search met: the step meetFrom → meetTo, reached through meetVia. */
  meetFrom = -1;
  meetTo = -1;
  meetVia = 0;
  private epoch = 0;

  /** Sizes the arrays for `nodes` nodes (with headroom for growth) and returns a fresh even epoch. */
  begin(nodes: number): number {
    if (this.stamp.length < nodes) {
      const size = Math.max(1024, Math.ceil(nodes * 1.25));
      this.stamp = new Uint32Array(size);
      this.parent = new Int32Array(size);
      this.via = new Uint8Array(size);
      this.queue = new Uint32Array(size);
      this.epoch = 0;
    }
    if (this.epoch >= 0xfffffff0) {
      this.stamp.fill(0);
      this.epoch = 0;
    }
    this.epoch += 2;
    return this.epoch;
  }

  approxBytes(): number {
    return this.stamp.byteLength + this.parent.byteLength + this.via.byteLength + this.queue.byteLength;
  }
}
