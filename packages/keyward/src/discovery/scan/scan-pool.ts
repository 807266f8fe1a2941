/**
 * The scanner threads: `workers` worker threads, optionally plus the calling thread itself (with
 * no workers, the calling thread is the only scanner). Batches go to the least busy thread; producers await `ready()` so at most a
 * few batches per thread are queued. The worker is loaded next to this module (see workerEntry). A worker that
 * fails to start or dies hands its batches to the calling thread, so a scan never fails for it.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  type BatchScanner,
  type BlobBatchResult,
  type BlobTask,
  createBatchScanner,
  type FileBatchResult,
  type FileTask,
  type ScannerConfig,
} from './batch-scanner.js';
import type { WorkerRequest } from './scan-worker.js';

type Request = { kind: 'files'; tasks: FileTask[] } | { kind: 'blobs'; tasks: BlobTask[] };
type Result = FileBatchResult | BlobBatchResult;

interface Pending {
  req: Request;
  resolve: (r: Result) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker | undefined;
  /** The worker has loaded and compiled its rules (in-thread slots are always ready). */
  ready: boolean;
  inflight: number;
  pending: Map<number, Pending>;
}

export interface ScanPool {
  /** Resolves when a thread can take another batch. */
  ready(): Promise<void>;
  /** Resolves when every worker has started (or failed to). */
  started(): Promise<void>;
  files(tasks: FileTask[]): Promise<FileBatchResult>;
  /** `transfer`: the blobs' buffers, moved (not copied) to the worker. */
  blobs(tasks: BlobTask[], transfer?: ArrayBuffer[]): Promise<BlobBatchResult>;
  close(): Promise<void>;
  /** Batches scanned by worker threads and by the calling thread (workers that died fall back here). */
  counts(): { worker: number; inline: number };
}

const PER_WORKER = 4;

/**
 * How to start a worker: the compiled scan-worker.js next to this module, or, when this module is
 * the .ts source (vitest, tsx), a bootstrap that registers tsx's loader inside the worker before
 * importing scan-worker.ts (`execArgv: ['--import', 'tsx']` does not reach a worker's entry module
 * on Node 20). Undefined when that is impossible (no tsx): the pool then scans in-thread.
 */
function workerEntry(): { script: string | URL; eval: boolean } | undefined {
  const self = import.meta.url;
  if (!self.endsWith('.ts')) return { script: new URL('./scan-worker.js', self), eval: false };
  try {
    const api = createRequire(self)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs');
    const worker = new URL('./scan-worker.ts', self).href;
    const code = `import(${JSON.stringify(pathToFileURL(api).href)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(worker)}); });`;
    return { script: code, eval: true };
  } catch {
    return undefined;
  }
}

export function createScanPool(config: ScannerConfig, workers: number, inline: boolean): ScanPool {
  let local: BatchScanner | undefined;
  const scanner = () => (local ??= createBatchScanner(config));
  const slots: Slot[] = [];
  const inlineSlot: Slot | undefined =
    inline || workers === 0 || !workerEntry()
      ? { worker: undefined, ready: true, inflight: 0, pending: new Map() }
      : undefined;
  /**
   * Scans in-thread while no worker has started yet: a worker takes ~50 ms to start from dist
   * (~300 ms from source under tsx), which is longer than a small tree takes to scan.
   */
  const warmup: Slot = { worker: undefined, ready: true, inflight: 0, pending: new Map() };
  let nextId = 0;
  let waiters: Array<() => void> = [];
  let closing = false;
  const done = { worker: 0, inline: 0 };

  const wake = () => {
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  };

  function runInline(req: Request): Promise<Result> {
    return new Promise((resolve, reject) => {
      setImmediate(() => {
        done.inline++;
        try {
          resolve(req.kind === 'files' ? scanner().files(req.tasks) : scanner().blobs(req.tasks));
        } catch (err) {
          reject(err as Error);
        }
      });
    });
  }

  /** A dead worker's batches run here instead. */
  function orphan(slot: Slot): void {
    slot.worker = undefined;
    slot.ready = false;
    for (const p of slot.pending.values()) runInline(p.req).then(p.resolve, p.reject);
    slot.pending.clear();
    slot.inflight = 0;
    wake();
  }

  const entry = workerEntry();
  for (let i = 0; i < (entry ? workers : 0); i++) {
    const slot: Slot = { worker: undefined, ready: false, inflight: 0, pending: new Map() };
    const worker = new Worker(entry!.script, { workerData: config, eval: entry!.eval });
    slot.worker = worker;
    worker.on('message', (msg: { id: number; result?: Result; error?: string; ready?: true }) => {
      if (msg.ready) {
        slot.ready = true;
        wake();
        return;
      }
      const p = slot.pending.get(msg.id);
      if (!p) return;
      slot.pending.delete(msg.id);
      slot.inflight--;
      done.worker++;
      if (msg.error !== undefined) p.reject(new Error(msg.error));
      else p.resolve(msg.result!);
      wake();
    });
    worker.on('error', () => orphan(slot));
    worker.on('exit', () => {
      if (!closing) orphan(slot);
    });
    slots.push(slot);
  }
  if (inlineSlot) slots.push(inlineSlot);

  const live = () => slots.filter((s) => s === inlineSlot || s.worker !== undefined);
  const limit = (s: Slot) => (s.worker === undefined ? 1 : PER_WORKER);
  const starting = () => slots.some((s) => s.worker !== undefined && !s.ready);
  /** Slots that can take work now: ready workers, the in-thread slot, or warm-up while none is ready. */
  const usable = () => {
    const ready = live().filter((s) => s.ready);
    return ready.length === 0 && starting() ? [warmup] : ready;
  };

  function pick(): Slot | undefined {
    let best: Slot | undefined;
    for (const s of usable()) {
      if (s.inflight >= limit(s)) continue;
      if (!best || s.inflight < best.inflight) best = s;
    }
    return best;
  }

  function submit(req: Request, transfer: ArrayBuffer[] = []): Promise<Result> {
    const slot = pick() ?? usable()[0];
    if (!slot?.worker) {
      const local = slot ?? inlineSlot;
      if (local) local.inflight++;
      return runInline(req).finally(() => {
        if (local) local.inflight--;
        wake();
      });
    }
    const id = nextId++;
    slot.inflight++;
    return new Promise<Result>((resolve, reject) => {
      slot.pending.set(id, { req, resolve, reject });
      slot.worker!.postMessage({ id, ...req } satisfies WorkerRequest, transfer);
    });
  }

  return {
    ready() {
      if (pick() || usable().length === 0) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
    async started() {
      while (starting()) await new Promise<void>((resolve) => waiters.push(resolve));
    },
    files: (tasks) => submit({ kind: 'files', tasks }) as Promise<FileBatchResult>,
    blobs: (tasks, transfer) => submit({ kind: 'blobs', tasks }, transfer) as Promise<BlobBatchResult>,
    counts: () => ({ ...done }),
    async close() {
      closing = true;
      await Promise.all(slots.map((s) => s.worker?.terminate()));
    },
  };
}
