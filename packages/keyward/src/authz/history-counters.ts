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

  add(minute: number): void {
    const i = minute % MINUTES;
    if (this.minutes[i] !== minute) {
      this.minutes[i] = minute;
      this.counts[i] = 0;
    }
    this.counts[i]!++;
    this.last = minute;
  }

  sum(minute: number, span: number): number {
    if (this.last <= minute - span) return 0;
    let total = 0;
    for (let m = minute - span + 1; m <= minute; m++) {
      const i = ((m % MINUTES) + MINUTES) % MINUTES;
      if (this.minutes[i] === m) total += this.counts[i]!;
    }
    return total;
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
