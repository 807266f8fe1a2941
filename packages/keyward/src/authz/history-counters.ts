/**
 * Sliding-window counts of recent decisions, in memory, fed by the decisions themselves: per key a
 * ring of 60 one-minute buckets, so "in the last N minutes" (N ≤ 60) is the sum of the last N
 * buckets (the current minute included). In-process only: each replica counts what it decided.
 */

const MINUTES = 60;
const PRUNE_EVERY = 10_000;

class Window {
  readonly counts = new Uint32Array(MINUTES);
  readonly minutes = new Float64Array(MINUTES).fill(-1);
  last = -1;
  /**
   * Sums of the buckets before `olderMinute`, per span (-1: not computed). Within a minute only the
   * current bucket changes, so a count is one of these plus the current bucket: every decision
   * reads six counts, and summing up to 60 buckets each time was a visible share of its CPU.
   */
  private older: Float64Array | undefined;
  private olderMinute = -1;

  add(minute: number): void {
    const i = minute % MINUTES;
    if (this.minutes[i] !== minute) {
      this.minutes[i] = minute;
      this.counts[i] = 0;
    }
    this.counts[i]!++;
    if (minute > this.last) this.last = minute;
    // A late add for a past minute (a replica's, over the cluster bus) changes an older bucket.
    if (minute !== this.olderMinute) this.olderMinute = -1;
  }

  sum(minute: number, span: number): number {
    if (this.last <= minute - span) return 0;
    if (this.olderMinute !== minute) {
      this.older ??= new Float64Array(MINUTES + 1);
      this.older.fill(-1);
      this.olderMinute = minute;
    }
    const older = this.older!;
    let before = older[span]!;
    if (before < 0) {
      before = 0;
      for (let m = minute - span + 1; m < minute; m++) {
        const i = ((m % MINUTES) + MINUTES) % MINUTES;
        if (this.minutes[i] === m) before += this.counts[i]!;
      }
      older[span] = before;
    }
    const i = ((minute % MINUTES) + MINUTES) % MINUTES;
    return this.minutes[i] === minute ? before + this.counts[i]! : before;
  }
}

export interface HistoryCounters {
  add(key: string, at: number): void;
  /** Count under `key` in the last `minutes` minutes before `at` (epoch ms). */
  count(key: string, minutes: number, at: number): number;
  size(): number;
}

export function createHistoryCounters(): HistoryCounters {
  const windows = new Map<string, Window>();
  let adds = 0;

  function prune(minute: number): void {
    for (const [key, w] of windows) if (w.last <= minute - MINUTES) windows.delete(key);
  }

  return {
    add(key, at) {
      const minute = Math.floor(at / 60_000);
      let w = windows.get(key);
      if (!w) {
        w = new Window();
        windows.set(key, w);
      }
      w.add(minute);
      if (++adds % PRUNE_EVERY === 0) prune(minute);
    },
    count(key, minutes, at) {
      return windows.get(key)?.sum(Math.floor(at / 60_000), Math.min(minutes, MINUTES)) ?? 0;
    },
    size: () => windows.size,
  };
}
