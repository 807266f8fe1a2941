/**
 * Scanning a repository's history: every distinct blob the git-history reader delivers (once,
 * with the commit that introduced it) is batched to the scanner threads, its buffer transferred
 * rather than copied. The reader awaits each delivery, so at most a few batches are in memory.
 */
import type { BlobBatchResult, BlobTask } from './batch-scanner.js';
import type { RawFinding } from './content-scanner.js';
import { type HistoryBlob, readGitHistory } from './git-history.js';
import type { ScanPool } from './scan-pool.js';
import type { ScanProblem } from './scan-types.js';
import { addCounts } from './tree-scan.js';

const BATCH_BYTES = 1 << 20;
const BATCH_BLOBS = 64;

export interface HistoryFinding extends RawFinding {
  path: string;
  oid: string;
  commit: string;
  author: string;
  date: string;
}

export interface HistoryScan {
  findings: HistoryFinding[];
  problems: ScanProblem[];
  commits: number;
  blobs: number;
  bytes: number;
  skipped: Record<string, number>;
  headOids: Set<string>;
}

/** The blob's bytes on an ArrayBuffer of their own, so they can be transferred. */
function ownBuffer(data: Buffer): Uint8Array {
  if (
    data.byteOffset === 0 &&
    data.byteLength === data.buffer.byteLength &&
    data.buffer instanceof ArrayBuffer
  )
    return new Uint8Array(data.buffer);
  return new Uint8Array(data);
}

export async function scanHistory(
  repo: string,
  pool: ScanPool,
  options: {
    maxFileBytes: number;
    skip?: ((rel: string) => boolean) | undefined;
    onProgress?: ((done: number, total: number) => void) | undefined;
  },
): Promise<HistoryScan> {
  const out: HistoryScan = {
    findings: [],
    problems: [],
    commits: 0,
    blobs: 0,
    bytes: 0,
    skipped: {},
    headOids: new Set(),
  };
  const meta: Array<Omit<HistoryBlob, 'data'>> = [];
  const running: Array<Promise<void>> = [];
  let batch: BlobTask[] = [];
  let batchBytes = 0;

  const collect = (r: BlobBatchResult) => {
    out.bytes += r.bytes;
    addCounts(out.skipped, r.skipped);
    for (const { key, findings } of r.findings) {
      const m = meta[key]!;
      for (const f of findings)
        out.findings.push({
          ...f,
          path: m.path,
          oid: m.oid,
          commit: m.commit,
          author: m.author,
          date: m.date,
        });
    }
  };

  async function flush(): Promise<void> {
    if (batch.length === 0) return;
    const tasks = batch;
    batch = [];
    batchBytes = 0;
    await pool.ready();
    const transfer = tasks.map((t) => t.data.buffer as ArrayBuffer);
    running.push(
      pool.blobs(tasks, transfer).then(collect, (err: Error) => {
        for (const t of tasks)
          out.problems.push({ path: meta[t.key]!.path, reason: `not scanned: ${err.message}` });
      }),
    );
  }

  const read = await readGitHistory(repo, {
    maxFileBytes: options.maxFileBytes,
    onProgress: options.onProgress,
    async onBlob(blob) {
      if (options.skip?.(blob.path)) {
        out.skipped['allowlisted'] = (out.skipped['allowlisted'] ?? 0) + 1;
        return;
      }
      const { data, ...rest } = blob;
      const key = meta.push(rest) - 1;
      batch.push({ key, path: blob.path, data: ownBuffer(data) });
      batchBytes += data.length;
      if (batchBytes >= BATCH_BYTES || batch.length >= BATCH_BLOBS) await flush();
    },
  });
  await flush();
  await Promise.all(running);
  out.commits = read.commits;
  out.blobs = read.blobs;
  out.problems.push(...read.problems);
  addCounts(out.skipped, read.skipped);
  out.headOids = read.headOids;
  return out;
}
