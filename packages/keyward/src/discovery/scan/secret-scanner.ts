/**
 * The scanner's entry points (contract in scan-types.ts): a working tree, its git history, or
 * both. With both, a secret still in the working tree is reported once, where it is now, carrying
 * the commit, author and date that first added it (the oldest history blob holding it at that
 * path, else at any path); a secret whose fingerprint is nowhere in the working tree (its file
 * deleted, or its line rewritten by a later commit) is reported once per path from history, with
 * `historyOnly: true`. History paths are relative to the repository's top, tree paths to the root.
 * `scanGitHistory` alone calls "current" what is in HEAD's tree.
 */
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import ignore from 'ignore';
import { KeywardError } from '../../errors.js';
import { serializeRules } from './batch-scanner.js';
import type { RawFinding } from './content-scanner.js';
import { isGitRepository } from './git-history.js';
import { type HistoryFinding, type HistoryScan, scanHistory } from './history-scan.js';
import { createScanPool } from './scan-pool.js';
import type { ScanEntry, ScanOptions, ScanResult, SecretFinding } from './scan-types.js';
import { addCounts, scanWorkingTree, type TreeScan } from './tree-scan.js';
import { reasonOf, workTreeTop } from './tree-walker.js';

const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;

/** Allowlisted path globs (gitignore syntax): such files are not scanned at all. */
function pathSkipper(globs: readonly string[] | undefined): ((rel: string) => boolean) | undefined {
  if (!globs || globs.length === 0) return undefined;
  const ig = ignore().add([...globs]);
  return (rel) => {
    try {
      return ig.ignores(rel);
    } catch {
      return false;
    }
  };
}

const toFinding = (f: RawFinding, location: SecretFinding['location']): SecretFinding => ({
  ruleId: f.ruleId,
  provider: f.provider,
  severity: f.severity,
  description: f.description,
  redacted: f.redacted,
  fingerprint: f.fingerprint,
  identifiers: f.identifiers,
  location,
});

const fromHistory = (h: HistoryFinding) => ({
  ...(h.commit ? { commit: h.commit } : {}),
  ...(h.author ? { author: h.author } : {}),
  ...(h.date ? { date: h.date } : {}),
});

const older = (a: HistoryFinding, b: HistoryFinding | undefined) =>
  !b || (Date.parse(a.date) || Number.POSITIVE_INFINITY) < (Date.parse(b.date) || Number.POSITIVE_INFINITY);

/** Merges the two scans as described in the header. `prefix`: the root's path inside the repository. */
function merge(
  tree: TreeScan | undefined,
  history: HistoryScan | undefined,
  prefix: string,
): SecretFinding[] {
  const out: SecretFinding[] = [];
  const firstByPath = new Map<string, HistoryFinding>();
  const firstAnywhere = new Map<string, HistoryFinding>();
  for (const h of history?.findings ?? []) {
    const key = `${h.fingerprint}\0${h.path}`;
    if (older(h, firstByPath.get(key))) firstByPath.set(key, h);
    if (older(h, firstAnywhere.get(h.fingerprint))) firstAnywhere.set(h.fingerprint, h);
  }
  const current = new Set<string>();
  if (tree) {
    for (const f of tree.findings) {
      current.add(f.fingerprint);
      const repoPath = prefix ? `${prefix}/${f.path}` : f.path;
      const origin = firstByPath.get(`${f.fingerprint}\0${repoPath}`) ?? firstAnywhere.get(f.fingerprint);
      out.push(
        toFinding(f, {
          path: f.path,
          line: f.line,
          column: f.column,
          ...(origin ? fromHistory(origin) : {}),
        }),
      );
    }
  } else {
    for (const h of history?.findings ?? []) if (history?.headOids.has(h.oid)) current.add(h.fingerprint);
  }
  for (const h of firstByPath.values()) {
    if (tree && current.has(h.fingerprint)) continue;
    const historyOnly = !current.has(h.fingerprint);
    out.push(toFinding(h, { path: h.path, line: h.line, column: h.column, ...fromHistory(h), historyOnly }));
  }
  return out.sort((a, b) =>
    a.location.path === b.location.path
      ? a.location.line - b.location.line || a.location.column - b.location.column
      : a.location.path < b.location.path
        ? -1
        : 1,
  );
}

async function run(
  root: string,
  options: ScanOptions,
  mode: { tree: boolean; history: boolean },
): Promise<ScanResult> {
  const started = performance.now();
  const abs = path.resolve(root);
  const info = await stat(abs).catch((err: unknown) => {
    throw new KeywardError('validation_failed', `cannot scan ${root}: ${reasonOf(err)}`);
  });
  const workers = options.workers ?? Math.max(1, availableParallelism() - 1);
  if (!Number.isInteger(workers) || workers < 0)
    throw new TypeError('workers must be a non-negative integer');
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const skip = pathSkipper(options.allowlist?.paths);
  const report = options.onProgress;
  const phase = (name: 'tree' | 'history') =>
    report ? (done: number, total: number) => report(done, total, name) : undefined;
  const config = {
    rules: serializeRules(options.rules ?? []),
    allowlist: { fingerprints: options.allowlist?.fingerprints, rules: options.allowlist?.rules },
  };
  const result: ScanResult = {
    findings: [],
    problems: [],
    stats: { files: 0, bytes: 0, skipped: {}, durationMs: 0 },
  };
  // With workers the calling thread only walks and dispatches: measured on two cores, letting it
  // scan batches too made the scan slower (it delays feeding the worker), not faster.
  const pool = createScanPool(config, workers, false);
  try {
    let tree: TreeScan | undefined;
    let history: HistoryScan | undefined;
    if (mode.tree) tree = await scanWorkingTree(abs, pool, { maxFileBytes, skip, onProgress: phase('tree') });
    const dir = info.isDirectory() ? abs : path.dirname(abs);
    if (mode.history) {
      const isRepo = await isGitRepository(dir).catch(() => false);
      if (isRepo)
        history = await scanHistory(dir, pool, { maxFileBytes, skip, onProgress: phase('history') });
      else if (mode.tree)
        result.problems.push({ path: '.', reason: 'not a git repository: history not scanned' });
      else
        throw new KeywardError(
          'validation_failed',
          `cannot scan the history of ${root}: not a git repository`,
        );
    }
    const top = history ? await workTreeTop(dir) : undefined;
    const prefix = top ? path.relative(top, dir).split(path.sep).join('/') : '';
    result.findings = merge(tree, history, prefix);
    result.problems.push(...(tree?.problems ?? []), ...(history?.problems ?? []));
    result.stats.files = tree?.files ?? 0;
    result.stats.bytes = (tree?.bytes ?? 0) + (history?.bytes ?? 0);
    addCounts(result.stats.skipped, tree?.skipped ?? {});
    if (history) {
      for (const [k, v] of Object.entries(history.skipped)) result.stats.skipped[`history: ${k}`] = v;
      result.stats.commits = history.commits;
      result.stats.blobs = history.blobs;
    }
  } finally {
    await pool.close();
  }
  result.stats.durationMs = Math.round(performance.now() - started);
  return result;
}

export const scanTree: ScanEntry = (root, options = {}) =>
  run(root, options, { tree: true, history: options.history === true });

export const scanGitHistory: ScanEntry = (repo, options = {}) =>
  run(repo, options, { tree: false, history: true });
