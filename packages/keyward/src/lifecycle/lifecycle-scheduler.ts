/**
 * The lifecycle scheduler: runs named jobs on an interval inside Keyward. When several replicas
 * share PostgreSQL, only one runs a given job at a time: before each run the replica takes (or
 * renews) the job's lease row (storage/lifecycle-stores.ts SchedulerLeaseStore) and skips the job
 * when another replica holds an unexpired lease. A replica keeps its lease between rounds, so a job
 * stays with one replica until that replica stops (it releases its leases) or dies (its lease
 * expires and another takes over). On SQLite (one process) the same code simply always wins.
 *
 * Rounds never overlap; a failing job is reported and does not stop the others. The timer is
 * unref'd, so it never keeps the process alive.
 */
import { randomUUID } from 'node:crypto';
import type { SchedulerLeaseStore } from '../storage/lifecycle-stores.js';

export interface LifecycleJob {
  name: string;
  /** Does the job's work; what it resolves to is reported by runOnce (counts, ids). */
  run(): Promise<unknown>;
}

export interface JobReport {
  job: string;
  /** False when another replica holds the job's lease (the job did not run here). */
  ran: boolean;
  result?: unknown;
  error?: string;
  /** Who holds the lease now (this replica when ran). */
  holder?: string;
}

export interface LifecycleScheduler {
  /** This replica's random lease holder id. */
  readonly holder: string;
  start(): void;
  /** One round now: each job whose lease this replica holds or can take. */
  runOnce(): Promise<JobReport[]>;
  /** Stops the timer, waits for a running round, releases this replica's leases. */
  stop(): Promise<void>;
}

export interface LifecycleSchedulerOptions {
  leases: SchedulerLeaseStore;
  jobs: readonly LifecycleJob[];
  /** Period of the rounds; 0 runs only on runOnce. */
  intervalMs: number;
  /** How long a taken lease lasts without renewal; default max(3 × interval, 60 s). */
  leaseMs?: number | undefined;
  now: () => Date;
  holder?: string | undefined;
  onError: (job: string, err: unknown) => void;
}

export function createLifecycleScheduler(options: LifecycleSchedulerOptions): LifecycleScheduler {
  const holder = options.holder ?? `replica-${randomUUID()}`;
  const leaseMs = options.leaseMs ?? Math.max(3 * options.intervalMs, 60_000);
  const held = new Set<string>();
  let running: Promise<JobReport[]> | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  async function runJob(job: LifecycleJob): Promise<JobReport> {
    const at = options.now();
    let mine: boolean;
    try {
      mine = await options.leases.acquire(
        job.name,
        holder,
        at.toISOString(),
        new Date(at.getTime() + leaseMs).toISOString(),
      );
    } catch (err) {
      options.onError(job.name, err);
      return { job: job.name, ran: false, error: String(err) };
    }
    if (!mine) {
      held.delete(job.name);
      const lease = await options.leases.get(job.name).catch(() => undefined);
      return { job: job.name, ran: false, ...(lease ? { holder: lease.holder } : {}) };
    }
    held.add(job.name);
    try {
      return { job: job.name, ran: true, holder, result: await job.run() };
    } catch (err) {
      options.onError(job.name, err);
      return { job: job.name, ran: true, holder, error: err instanceof Error ? err.message : String(err) };
    }
  }

  async function round(): Promise<JobReport[]> {
    const reports: JobReport[] = [];
    for (const job of options.jobs) {
      if (stopped) break;
      reports.push(await runJob(job));
    }
    return reports;
  }

  function runOnce(): Promise<JobReport[]> {
    running ??= round().finally(() => {
      running = undefined;
    });
    return running;
  }

  return {
    holder,
    start() {
      if (timer || stopped || options.intervalMs <= 0) return;
      timer = setInterval(() => void runOnce(), options.intervalMs);
      timer.unref();
    },
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await running?.catch(() => {});
      for (const job of held) {
        await options.leases.release(job, holder).catch((err) => options.onError(job, err));
      }
      held.clear();
    },
  };
}
