/**
 * The real scanner on the labelled corpus (bench/scan/secret-corpus.ts): the directory scan finds
 * ≥ 95% of the secrets at HEAD with ≥ 90% precision (decoys are most of what it could wrongly
 * report), and the history scan of the corpus's git repository finds every history-only secret,
 * marked historyOnly and attributed to a commit, author and date. Recall and precision are printed
 * as one JSON line per scan, so a run shows how far the rules are from the targets.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printScore, type Score, scoreFindings } from '../../../../bench/scan/corpus-labels.js';
import { buildCorpus, type Corpus } from '../../../../bench/scan/secret-corpus.js';
import { scored } from '../../../../bench/scan-bench.js';
import type { ScanResult } from '../../src/discovery/scan/scan-types.js';
import { scanTree } from '../../src/discovery/scan/secret-scanner.js';

let dir: string;
let corpus: Corpus;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kw-scan-corpus-'));
  corpus = buildCorpus(join(dir, 'corpus'), 14);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function report(scan: string, score: Score): void {
  console.log(
    JSON.stringify({
      scan,
      recall: Number(score.recall.toFixed(3)),
      precision: Number(score.precision.toFixed(3)),
      labels: score.labels,
      truePositives: score.truePositives,
      falsePositives: score.falsePositives,
      missed: score.missed.map((l) => `${l.kind} ${l.path}:${l.line}`),
    }),
  );
  printScore('keyward', scan, score, corpus.decoys);
}

describe('secret scanner on the labelled corpus', () => {
  it('finds the secrets of the directory with recall ≥ 0.95 and precision ≥ 0.9', async () => {
    const result = await scanTree(corpus.dir);
    const score = scoreFindings(
      corpus.labels.filter((l) => !l.historyOnly),
      scored(corpus.dir, result.findings),
    );
    report('tree', score);
    expect(score.recall).toBeGreaterThanOrEqual(0.95);
    expect(score.precision).toBeGreaterThanOrEqual(0.9);
  }, 120_000);

  it('finds every history-only secret of the repository, with its commit, author and date', async () => {
    const result: ScanResult = await scanTree(corpus.repoDir, { history: true });
    const labels = corpus.labels.filter((l) => l.path.startsWith('repo/'));
    const findings = scored(corpus.repoDir, result.findings, 'repo/');
    const score = scoreFindings(labels, findings);
    report('history', score);
    const historyOnly = labels.filter((l) => l.historyOnly);
    expect(historyOnly.length).toBeGreaterThanOrEqual(6);
    for (const label of historyOnly) {
      const index = labels.indexOf(label);
      const credited = score.credited.get(index) ?? [];
      const found = result.findings.filter((f) =>
        credited.some((c) => c.fingerprint === f.fingerprint && c.line === f.location.line),
      );
      const where = `${label.kind} ${label.path}:${label.line}`;
      expect(found.length, where).toBeGreaterThan(0);
      const f = found[0]!;
      expect(f.location.historyOnly, where).toBe(true);
      expect(f.location.commit, where).toMatch(/^[0-9a-f]{40}$/);
      expect(f.location.author, where).toMatch(/Example/);
      expect(Number.isNaN(Date.parse(f.location.date ?? '')), where).toBe(false);
    }
    expect(score.precision).toBeGreaterThanOrEqual(0.9);
  }, 120_000);
});
