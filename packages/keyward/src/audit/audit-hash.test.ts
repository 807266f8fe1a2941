/**
 * canonicalJson's fast paths (JSON.stringify when the value is already canonical, or of a copy with
 * sorted keys) must produce exactly what the definition says, whatever the input: the audit hashes
 * depend on it.
 */
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './audit-hash.js';

/** The definition: keys sorted by UTF-16 code unit, recursively; undefined members dropped. */
function reference(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value))
    return `[${Array.from(value, (v) => (v === undefined || typeof v === 'function' ? 'null' : reference(v))).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .sort()
    .filter((k) => obj[k] !== undefined && typeof obj[k] !== 'function')
    .map((k) => `${JSON.stringify(k)}:${reference(obj[k])}`)
    .join(',')}}`;
}

describe('canonicalJson', () => {
  const cases: unknown[] = [
    { a: 1, b: 'x', c: [1, 2, { d: null, e: true }] },
    { b: 1, a: 2 },
    { 10: 'ten', 9: 'nine', a: 1 },
    { a: undefined, b: 1 },
    { z: { y: { x: [undefined, 1] } } },
    { when: new Date(0), n: Number.NaN, i: Number.POSITIVE_INFINITY, neg: -0 },
    { fn: () => 1, s: 'quote " backslash \\ \u2028 🚀' },
    Object.assign(Object.create(null) as object, { b: 1, a: 2 }),
    [],
    {},
    ['b', 'a', { B: 1, a: 2, A: 3 }],
    { é: 1, e: 2, E: 3, '': 4 },
    { toJSON: () => 'x', a: 1 },
    [() => 1, undefined, { b: [() => 2], a: 1 }],
    JSON.parse('{"b": 2, "__proto__": {"z": 1, "y": 2}}'),
    { b: { '4294967296': 1, a: 2 }, a: 0 },
    // Canonical parts are shared, the rest rebuilt: mixes at every depth.
    { a: [1, undefined, { c: 1, b: 2 }, () => 1], b: { a: 1 } },
    { a: { b: { d: 1, c: 2 } }, z: [{ a: 1 }, { b: 2, a: 1 }] },
    // biome-ignore lint/suspicious/noSparseArray: a hole must stringify as null
    [, { b: 1, a: 2 }, undefined],
    { a: new Date(0), b: { toJSON: () => 'x' } },
    { a: 1, b: { 10: 'ten', 9: 'nine' } },
    {
      outcome: 'allow',
      reason: 'r',
      request: { subject: { type: 'agent', id: 'x' }, context: { task: null, history: { b: 1, a: 2 } } },
    },
  ];
  it.each(cases.map((c, i) => [i, c]))('case %i matches the definition', (_i, value) => {
    expect(canonicalJson(value)).toBe(reference(value));
  });
});
