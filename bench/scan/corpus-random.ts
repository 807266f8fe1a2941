/**
 * The seeded randomness of the scan corpora: one PRNG (mulberry32, as in the other benches) and the
 * character-class helpers the secret formats and filler text are drawn with. Everything a corpus
 * contains comes from here, so one seed gives byte-identical trees.
 */

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  int(n: number): number;
  /** Inclusive range. */
  between(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
  /** `length` characters drawn from `alphabet`. */
  chars(alphabet: string, length: number): string;
  bytes(length: number): Buffer;
  /** An independent stream derived from this one (so adding draws in one place does not shift others). */
  fork(label: string): Rng;
}

export const DIGITS = '0123456789';
export const HEX = '0123456789abcdef';
export const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const LOWER = 'abcdefghijklmnopqrstuvwxyz';
export const ALNUM = DIGITS + UPPER + LOWER;
/** GitHub's and npm's checksum alphabet: digits, then upper, then lower case. */
export const BASE62 = DIGITS + UPPER + LOWER;
export const BASE64 = UPPER + LOWER + DIGITS + '+/';
export const BASE64URL = UPPER + LOWER + DIGITS + '-_';
export const BASE32 = UPPER + '234567';

function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return {
    next,
    int,
    between: (min, max) => min + int(max - min + 1),
    pick: (items) => {
      if (items.length === 0) throw new TypeError('pick from an empty list');
      return items[int(items.length)]!;
    },
    chance: (p) => next() < p,
    chars: (alphabet, length) => {
      let out = '';
      for (let i = 0; i < length; i++) out += alphabet[int(alphabet.length)];
      return out;
    },
    bytes: (length) => {
      const b = Buffer.alloc(length);
      for (let i = 0; i < length; i++) b[i] = int(256);
      return b;
    },
    fork: (label) => createRng((hashString(label) ^ Math.floor(next() * 4294967296)) >>> 0),
  };
}
