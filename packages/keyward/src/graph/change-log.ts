/**
 * The nodes the last few thousand graph changes touched, by change number, so a reader caching
 * traversal results (posture's reach totals) can drop only what a change could have altered
 * instead of everything. Bounded: past its capacity the oldest half is forgotten, and a reader
 * that far behind is told to start over.
 */
const CAPACITY = 8192;

export class ChangeLog {
  private ids: string[] = [];
  /** The change number before ids[0]. */
  private base = 0;
  private count = 0;

  get changes(): number {
    return this.count;
  }

  /** Records one change that touched `id`. */
  note(id: string): void {
    this.count++;
    this.ids.push(id);
    if (this.ids.length > CAPACITY) {
      const drop = CAPACITY / 2;
      this.ids = this.ids.slice(drop);
      this.base += drop;
    }
  }

  /** The nodes touched by changes after `since` (repeats possible); undefined when forgotten. */
  touchedSince(since: number): string[] | undefined {
    if (since < this.base || since > this.count) return undefined;
    return this.ids.slice(since - this.base);
  }
}
