/**
 * A scanner thread: compiles the rules once (from workerData), then scans each batch it is sent
 * and posts the result back with the batch's id. Says `ready` once it can take work.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type BlobTask, createBatchScanner, type FileTask, type ScannerConfig } from './batch-scanner.js';

export type WorkerRequest =
  | { id: number; kind: 'files'; tasks: FileTask[] }
  | { id: number; kind: 'blobs'; tasks: BlobTask[] };

const scanner = createBatchScanner(workerData as ScannerConfig);
// Loaded and compiled: the pool sends work here from now on (until then it scans in-thread).
parentPort?.postMessage({ ready: true });

parentPort?.on('message', (msg: WorkerRequest) => {
  try {
    const result = msg.kind === 'files' ? scanner.files(msg.tasks) : scanner.blobs(msg.tasks);
    parentPort?.postMessage({ id: msg.id, result });
  } catch (err) {
    parentPort?.postMessage({ id: msg.id, error: err instanceof Error ? err.message : String(err) });
  }
});
