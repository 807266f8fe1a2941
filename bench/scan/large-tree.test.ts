/**
 * The throughput tree at a small size: as many files as asked, at least the size asked, the same
 * bytes for the same seed, its labels on lines that hold their secrets; and the shared file list
 * honours .gitignore (the corpus's dist/ and *.log are not given to either tool).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fingerprint } from './corpus-doc.js';
import { listScanFiles } from './file-list.js';
import { buildLargeTree } from './large-tree.js';
import { buildCorpus } from './secret-corpus.js';

const dir = mkdtempSync(join(tmpdir(), 'kw-large-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const digest = (root: string) =>
  createHash('sha256')
    .update(
      listScanFiles(root)
        .map((f) => `${f.path}:${readFileSync(join(root, f.path), 'utf8')}`)
        .join('\n'),
    )
    .digest('hex');

describe('buildLargeTree', () => {
  it('writes the files and bytes asked for, deterministically, with labelled secrets', () => {
    const o = { megabytes: 3, files: 400, seed: 5 };
    const a = buildLargeTree(join(dir, 'a'), o);
    const b = buildLargeTree(join(dir, 'b'), o);
    expect(a.files).toBe(400);
    expect(a.bytes).toBeGreaterThanOrEqual(3 * 1024 * 1024);
    expect(listScanFiles(a.dir)).toHaveLength(400);
    expect(digest(a.dir)).toBe(digest(b.dir));
    expect(a.labels).toEqual(b.labels);
    expect(a.labels.length).toBeGreaterThan(0);
    for (const l of a.labels.filter((x) => x.match === 'fingerprint')) {
      const line = readFileSync(join(a.dir, l.path), 'utf8').split('\n')[l.line - 1]!;
      const tokens = line.split(/["'\s=:]+/).filter(Boolean);
      expect(
        tokens.some((t) => fingerprint(t) === l.fingerprint),
        `${l.kind} ${l.path}:${l.line}`,
      ).toBe(true);
    }
  });
});

describe('listScanFiles', () => {
  it('leaves out .git, gitignored paths and nothing else', () => {
    const corpus = buildCorpus(join(dir, 'corpus'), 3);
    const paths = listScanFiles(corpus.dir).map((f) => f.path);
    expect(paths.some((p) => p.startsWith('dist/') || p.endsWith('.log') || p.includes('.git/'))).toBe(false);
    expect(paths).toContain('.env');
    expect(paths).toContain('repo/config/prod.yaml');
    expect(paths).toHaveLength(corpus.files - 2);
  });
});
