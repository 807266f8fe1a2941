/**
 * Scanning a working tree: the walker (tree-walker.ts) feeds files to the scanner threads in
 * batches of about a megabyte (or 64 files), waiting for a free thread before reading further
 * directories, so memory stays flat whatever the size of the tree. Progress is in bytes.
 */
import type { FileBatchResult, FileTask, PathFinding } from './batch-scanner.js';
import type { ScanPool } from './scan-pool.js';
import type { ScanProblem } from './scan-types.js';
import { walkTree } from './tree-walker.js';

const BATCH_BYTES = 1 << 20;
const BATCH_FILES = 64;

export interface TreeScan {
  findings: PathFinding[];
  problems: ScanProblem[];
  files: number;
  bytes: number;
  skipped: Record<string, number>;
}

export function addCounts(into: Record<string, number>, from: Record<string, number>): void {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
}

export async function scanWorkingTree(
  root: string,
  pool: ScanPool,
  options: {
    maxFileBytes: number;
    skip?: ((rel: string) => boolean) | undefined;
    onProgress?: ((done: number, total: number) => void) | undefined;
  },
): Promise<TreeScan> {
  const out: TreeScan = { findings: [], problems: [], files: 0, bytes: 0, skipped: {} };
  const running: Array<Promise<void>> = [];
  let batch: FileTask[] = [];
  let batchBytes = 0;
  let seenBytes = 0;
  let doneBytes = 0;

  const collect = (r: FileBatchResult, size: number) => {
    out.findings.push(...r.findings);
    out.problems.push(...r.problems);
    out.files += r.files;
    out.bytes += r.bytes;
    addCounts(out.skipped, r.skipped);
    doneBytes += size;
    options.onProgress?.(doneBytes, seenBytes);
  };

  async function flush(): Promise<void> {
    if (batch.length === 0) return;
    const tasks = batch;
    const size = batchBytes;
    batch = [];
    batchBytes = 0;
    await pool.ready();
    running.push(
      pool.files(tasks).then(
        (r) => collect(r, size),
        (err: Error) => {
          for (const t of tasks) out.problems.push({ path: t.rel, reason: `not scanned: ${err.message}` });
        },
      ),
    );
  }

  const walked = await walkTree(root, {
    maxFileBytes: options.maxFileBytes,
    skip: options.skip,
    async onFile(file) {
      batch.push(file);
      batchBytes += file.size;
      seenBytes += file.size;
      if (batchBytes >= BATCH_BYTES || batch.length >= BATCH_FILES) await flush();
    },
  });
  await flush();
  await Promise.all(running);
  out.problems.push(...walked.problems);
  addCounts(out.skipped, walked.skipped);
  return out;
}
