/**
 * Scanning a batch of files (read here, by whichever thread runs the batch, so file contents never
 * cross threads) or of history blobs (handed over as transferred buffers). Used unchanged by the
 * worker threads and by the calling thread when scanning in-thread. User rules arrive serialised
 * ({source, flags}) because RegExps do not survive postMessage; the rules are compiled once per
 * thread.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { withUserRules } from './builtin-rules.js';
import { type ContentAllowlist, createContentScanner, type RawFinding } from './content-scanner.js';
import type { ScanProblem, ScanSeverity, SecretRule } from './scan-types.js';
import { reasonOf } from './tree-walker.js';

export interface SerializedRule {
  id: string;
  description: string;
  provider: string;
  severity: ScanSeverity;
  keywords: string[];
  source: string;
  flags: string;
  minEntropy?: number | undefined;
  allow?: Array<{ source: string; flags: string }> | undefined;
}

export interface ScannerConfig {
  rules: SerializedRule[];
  allowlist: ContentAllowlist;
}

export interface FileTask {
  abs: string;
  rel: string;
  size: number;
}

export interface BlobTask {
  /** The caller's handle on the blob (its index in the history scan). */
  key: number;
  path: string;
  data: Uint8Array;
}

export type PathFinding = RawFinding & { path: string };

export interface FileBatchResult {
  findings: PathFinding[];
  files: number;
  bytes: number;
  skipped: Record<string, number>;
  problems: ScanProblem[];
}

export interface BlobBatchResult {
  findings: Array<{ key: number; findings: RawFinding[] }>;
  bytes: number;
  skipped: Record<string, number>;
}

const SNIFF = 8192;
const isBinary = (b: Uint8Array) => b.subarray(0, SNIFF).indexOf(0) !== -1;

export const serializeRules = (rules: readonly SecretRule[]): SerializedRule[] =>
  rules.map((r) => ({
    id: r.id,
    description: r.description,
    provider: r.provider,
    severity: r.severity,
    keywords: r.keywords,
    source: r.pattern.source,
    flags: r.pattern.flags,
    minEntropy: r.minEntropy,
    allow: r.allow?.map((a) => ({ source: a.source, flags: a.flags })),
  }));

const deserialize = (r: SerializedRule): SecretRule => ({
  id: r.id,
  description: r.description,
  provider: r.provider,
  severity: r.severity,
  keywords: r.keywords,
  pattern: new RegExp(r.source, r.flags),
  minEntropy: r.minEntropy,
  allow: r.allow?.map((a) => new RegExp(a.source, a.flags.replace(/[gy]/g, ''))),
});

export function createBatchScanner(config: ScannerConfig) {
  const content = createContentScanner(withUserRules(config.rules.map(deserialize)), config.allowlist);
  /** One read buffer per thread, grown as needed: the scanner copies what it keeps. */
  let scratch = Buffer.allocUnsafe(1 << 20);

  /** The file's bytes, or why not: binary (NUL in the first 8 KB) files are read only that far. */
  function read(task: FileTask): Uint8Array | 'binary' {
    const fd = openSync(task.abs, 'r');
    try {
      if (scratch.length < task.size) scratch = Buffer.allocUnsafe(Math.max(task.size, scratch.length * 2));
      let n = readSync(fd, scratch, 0, Math.min(SNIFF, task.size), 0);
      if (isBinary(scratch.subarray(0, n))) return 'binary';
      while (n < task.size) {
        const got = readSync(fd, scratch, n, task.size - n, n);
        if (got === 0) break;
        n += got;
      }
      return scratch.subarray(0, n);
    } finally {
      closeSync(fd);
    }
  }

  function files(tasks: readonly FileTask[]): FileBatchResult {
    const out: FileBatchResult = { findings: [], files: 0, bytes: 0, skipped: {}, problems: [] };
    for (const task of tasks) {
      let bytes: Uint8Array | 'binary';
      try {
        bytes = read(task);
      } catch (err) {
        out.problems.push({ path: task.rel, reason: `not read: ${reasonOf(err)}` });
        out.skipped['unreadable'] = (out.skipped['unreadable'] ?? 0) + 1;
        continue;
      }
      if (bytes === 'binary') {
        out.skipped['binary'] = (out.skipped['binary'] ?? 0) + 1;
        continue;
      }
      out.files++;
      out.bytes += bytes.length;
      for (const f of content.scan(bytes, task.rel)) out.findings.push({ ...f, path: task.rel });
    }
    return out;
  }

  function blobs(tasks: readonly BlobTask[]): BlobBatchResult {
    const out: BlobBatchResult = { findings: [], bytes: 0, skipped: {} };
    for (const task of tasks) {
      if (isBinary(task.data)) {
        out.skipped['binary'] = (out.skipped['binary'] ?? 0) + 1;
        continue;
      }
      out.bytes += task.data.length;
      const found = content.scan(task.data, task.path);
      if (found.length > 0) out.findings.push({ key: task.key, findings: found });
    }
    return out;
  }

  return { files, blobs };
}

export type BatchScanner = ReturnType<typeof createBatchScanner>;
