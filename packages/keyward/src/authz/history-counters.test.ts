/**
 * The history counters answer "how many in the last N minutes" from per-minute buckets and cached
 * sums of the older ones: checked against a plain list of every add, through interleaved adds and
 * counts, minutes that pass, late adds for past minutes and gaps longer than the window.
 */
import { describe, expect, it } from 'vitest';
import { createHistoryCounters } from './history-counters.js';

const MINUTE = 60_000;

function reference() {
  const adds: { key: string; minute: number }[] = [];
  return {
    add(key: string, at: number) {
      adds.push({ key, minute: Math.floor(at / MINUTE) });
    },
    count(key: string, minutes: number, at: number) {
      const now = Math.floor(at / MINUTE);
      const span = Math.min(minutes, 60);
      return adds.filter((a) => a.key === key && a.minute <= now && a.minute > now - span).length;
    },
  };
}

describe('history counters', () => {
  it('match a list of every add, whatever the order of adds, counts and minutes', () => {
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const counters = createHistoryCounters();
    const ref = reference();
    const keys = ['a', 'b', 'c'];
    let at = 29_000_000 * MINUTE;
    for (let step = 0; step < 20_000; step++) {
      const r = rnd();
      if (r < 0.02)
        at += Math.floor(rnd() * 5) * MINUTE; // a few minutes pass
      else if (r < 0.021)
        at += 90 * MINUTE; // longer than the window
      else at += Math.floor(rnd() * 2_000);
      const key = keys[Math.floor(rnd() * keys.length)]!;
      if (rnd() < 0.5) {
        // Now, or late: a replica's add for a past minute.
        const when = rnd() < 0.9 ? at : at - Math.floor(rnd() * 30) * MINUTE;
        counters.add(key, when);
        ref.add(key, when);
      }
      for (const span of [1, 10, 60, 90]) {
        expect(counters.count(key, span, at), `step ${step}, ${span} min`).toBe(ref.count(key, span, at));
      }
    }
  });

  it('counts nothing for an unknown key or after the window has passed', () => {
    const counters = createHistoryCounters();
    const at = 29_000_000 * MINUTE;
    expect(counters.count('x', 10, at)).toBe(0);
    counters.add('x', at);
    counters.add('x', at + 1);
    expect(counters.count('x', 1, at + 2)).toBe(2);
    expect(counters.count('x', 10, at + 9 * MINUTE)).toBe(2);
    expect(counters.count('x', 10, at + 10 * MINUTE)).toBe(0);
    expect(counters.count('x', 60, at + 59 * MINUTE)).toBe(2);
  });
});
