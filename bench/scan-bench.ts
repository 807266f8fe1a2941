/**
 * Secret scanner benchmark (`npm run bench -- scan [--quick] [--seed S] [--repeat N] [--workers W]`),
 * in one run:
 *
 * - on the labelled corpus (bench/scan/secret-corpus.ts, ~300 files) and on the large generated
 *   tree (bench/scan/large-tree.ts: 250 MiB / 22,000 files; `--quick` 20 MiB / 2,000 files),
 *   Keyward's `scanTree(dir)` (default workers, directory only) and secretlint (recommended preset,
 *   in-process, see bench/scan/secretlint-runner.ts) side by side over the same file list
 *   (bench/scan/file-list.ts: .gitignore honoured, .git and binaries skipped) and the same bytes:
 *   mb_per_s (MB = 10^6 bytes, page cache warmed first; the tools run interleaved `--repeat` times,
 *   default 3, and the best run is reported, with the median as a label: the machine may be
 *   shared), recall and precision against the labels. `--workers` overrides Keyward's default.
 *   Both tools are scored the same way: by fingerprint, or by line for any label
 *   (`locationFallback`), since secretlint's reported spans are not ours to define.
 * - mb_per_s_ratio (Keyward / secretlint) on the large tree; target ≥ 3×.
 * - history_scan_s: `scanTree(repo, { history: true })` on a 10,000-commit repository
 *   (`--quick`: 1,000) with planted secrets, and their recall.
 *
 * Generated trees are cached in the temp dir (named by their parameters), so repeated runs only
 * generate once; the corpus is rebuilt every run (a few seconds).
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import type { SecretFinding } from '../packages/keyward/src/discovery/scan/scan-types.js';
import { scanTree } from '../packages/keyward/src/discovery/scan/secret-scanner.js';
import { emit, log, percentile, round } from './bench-output.js';
import { printScore, type ScoredFinding, type SecretLabel, scoreFindings } from './scan/corpus-labels.js';
import { listScanFiles } from './scan/file-list.js';
import { historyRepoCached } from './scan/history-bench-repo.js';
import { largeTreeCached } from './scan/large-tree.js';
import { buildCorpus } from './scan/secret-corpus.js';
import { runSecretlint } from './scan/secretlint-runner.js';

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? Number(args[i + 1]) : fallback;
}

/** Keyward findings as scoring input, paths relative to `root` whatever form the scanner reports. */
export function scored(root: string, findings: readonly SecretFinding[], prefix = ''): ScoredFinding[] {
  return findings.map((f) => ({
    path:
      prefix +
      (isAbsolute(f.location.path) ? relative(root, f.location.path) : f.location.path).replaceAll('\\', '/'),
    line: f.location.line,
    fingerprint: f.fingerprint,
    ruleId: f.ruleId,
    provider: f.provider,
  }));
}

interface Dataset {
  name: 'corpus' | 'large-tree';
  dir: string;
  labels: SecretLabel[];
  decoys: { path: string; line: number; kind: string }[];
}

async function compare(d: Dataset, repeat: number, workers: number | undefined): Promise<number[]> {
  const files = listScanFiles(d.dir);
  const bytes = files.reduce((a, f) => a + f.bytes, 0);
  for (const f of files) readFileSync(join(d.dir, f.path)); // warm the page cache for both tools
  log(`[${d.name}] ${files.length} files, ${round(bytes / 1e6)} MB`);
  const labels = d.labels.filter((l) => !l.historyOnly);
  const tools = ['keyward', 'secretlint'] as const;
  const seconds: Record<(typeof tools)[number], number[]> = { keyward: [], secretlint: [] };
  const findings: Record<(typeof tools)[number], ScoredFinding[]> = { keyward: [], secretlint: [] };
  // Interleaved, so both tools see the same background load; the best run is reported.
  for (let rep = 0; rep < repeat; rep++) {
    for (const tool of tools) {
      const t = performance.now();
      if (tool === 'keyward') {
        const result = await scanTree(d.dir, workers === undefined ? {} : { workers });
        findings.keyward = scored(d.dir, result.findings);
        if (rep === 0) {
          log(
            `  keyward read ${result.stats.files} files, ${round(result.stats.bytes / 1e6)} MB, skipped ${JSON.stringify(result.stats.skipped)}`,
          );
        }
      } else {
        findings.secretlint = await runSecretlint(d.dir, files);
      }
      seconds[tool].push((performance.now() - t) / 1000);
    }
  }
  const rates: number[] = [];
  for (const tool of tools) {
    const best = Math.min(...seconds[tool]);
    const rate = bytes / 1e6 / best;
    rates.push(rate);
    const score = scoreFindings(labels, findings[tool], { locationFallback: true });
    printScore(tool, d.name, score, d.decoys);
    const base = { bench: 'scan', tool, dataset: d.name };
    emit({
      ...base,
      metric: 'mb_per_s',
      value: round(rate),
      unit: 'MB/s',
      files: files.length,
      mb: round(bytes / 1e6),
      s: round(best),
      runs: repeat,
      median_s: round(percentile(seconds[tool], 50)),
      ...(tool === 'keyward' ? { workers: workers ?? 'default' } : {}),
    });
    emit({
      ...base,
      metric: 'recall',
      value: round(score.recall, 3),
      unit: 'ratio',
      labels: score.labels,
      target: '>=0.95',
    });
    emit({
      ...base,
      metric: 'precision',
      value: round(score.precision, 3),
      unit: 'ratio',
      false_positives: score.falsePositives,
      target: '>=0.9',
    });
  }
  return rates;
}

export async function run(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const seed = arg(args, 'seed', 14);
  const repeat = Math.max(1, arg(args, 'repeat', 3));
  const workersArg = args.includes('--workers') ? arg(args, 'workers', 1) : undefined;
  const corpus = buildCorpus(join(tmpdir(), `keyward-scan-corpus-s${seed}`), seed);
  await compare({ name: 'corpus', ...corpus }, repeat, workersArg);
  const tree = largeTreeCached({ megabytes: quick ? 20 : 250, files: quick ? 2000 : 22000, seed });
  const [keyward, secretlint] = await compare({ name: 'large-tree', ...tree }, repeat, workersArg);
  emit({
    bench: 'scan',
    metric: 'mb_per_s_ratio',
    value: round(keyward! / secretlint!),
    unit: 'x',
    dataset: 'large-tree',
    target: '>=3x',
  });

  const history = await historyRepoCached(quick ? 1000 : 10_000, seed);
  const t = performance.now();
  const result = await scanTree(history.dir, { history: true });
  const seconds = (performance.now() - t) / 1000;
  const score = scoreFindings(history.labels, scored(history.dir, result.findings));
  printScore('keyward', 'history', score, []);
  emit({
    bench: 'scan',
    metric: 'history_scan_s',
    value: round(seconds),
    unit: 's',
    tool: 'keyward',
    commits: history.commits,
    blobs: result.stats.blobs ?? 0,
    planted: history.labels.length,
    planted_found: score.truePositives,
  });
}
