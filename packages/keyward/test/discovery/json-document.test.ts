/** Import problems for bad JSON name the line and never quote the input (it may hold a secret). */
import { describe, expect, it } from 'vitest';
import { jsonPointer, parseJsonDocument } from '../../src/discovery/importers/json-document.js';

describe('parseJsonDocument', () => {
  it('names the line and column of a syntax error without quoting the input', () => {
    // keyward:allow-next-line (a made-up key in the right format: the test needs one)
    const text = '{\n  "users": [\n    {"token": sk_live_DoNotEchoThisSecret1234}\n  ]\n}';
    const r = parseJsonDocument(text, 'users.json');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problem).toMatchObject({ file: 'users.json', line: 3, severity: 'error' });
    expect(r.problem.reason).toMatch(/^invalid JSON at line 3, column \d+: Unexpected token/);
    expect(r.problem.reason).not.toContain('DoNotEcho');
    expect(r.problem.reason).not.toContain('sk_live');
  });

  it('calls a document that ends early truncated', () => {
    const r = parseJsonDocument('\ufeff{"UserDetailList": [{"UserName": "x"', 'auth.json');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem.reason).toMatch(/truncated/);
  });

  it('parses a document with a BOM and spells paths as JSON pointers', () => {
    expect(parseJsonDocument('\ufeff{"a":[1]}', 'a.json')).toEqual({ ok: true, value: { a: [1] } });
    expect(jsonPointer(['Policies', 3, 'a/b', 'c~d'])).toBe('/Policies/3/a~1b/c~0d');
  });
});
