/** The accepted-until date: a local calendar day in, the end of that day (ISO) out, never the past. */
import { describe, expect, it } from 'vitest';
import { dayFromNow, untilOf } from './accept-until.js';

describe('dayFromNow', () => {
  it('counts calendar days across a month and year end', () => {
    expect(dayFromNow(30, new Date(2026, 11, 4, 15, 0))).toBe('2027-01-03');
    expect(dayFromNow(0, new Date(2026, 1, 28, 23, 59))).toBe('2026-02-28');
    expect(dayFromNow(1, new Date(2028, 1, 28, 8, 0))).toBe('2028-02-29');
  });
});

describe('untilOf', () => {
  const now = new Date(2026, 11, 4, 15, 0).getTime();

  it('is the last second of the picked local day', () => {
    const r = untilOf('2027-01-03', now);
    expect(r).toEqual({ iso: new Date(2027, 0, 3, 23, 59, 59).toISOString() });
  });

  it('accepts today (its end is still ahead) and refuses yesterday', () => {
    expect('iso' in untilOf('2026-12-04', now)).toBe(true);
    expect(untilOf('2026-12-03', now)).toEqual({ error: 'The acceptance must end in the future.' });
  });

  it('refuses an empty or malformed date', () => {
    expect('error' in untilOf('', now)).toBe(true);
    expect('error' in untilOf('03/01/2027', now)).toBe(true);
  });
});
