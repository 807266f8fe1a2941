/**
 * A periodic loop for housekeeping that must happen without a request: picking up another
 * replica's key rotation, scheduled rotation, dropping retired keys, forgetting expired jtis. Tasks
 * run one after another, never overlapping with the previous round; a failing task is reported and
 * does not stop the others. The timer is unref'd, so it never keeps the process alive.
 */

export interface MaintenanceTask {
  name: string;
  run(): Promise<unknown>;
  /**
   * Timer rounds skip the task until this long after its last run (e.g. the full posture
   * evaluation, which changes are already re-evaluated for and which blocks a big estate for
   * seconds). `runOnce()` always runs it.
   */
  everyMs?: number;
}

export interface MaintenanceLoop {
  /** Runs every task once now; each tick does the same, minus tasks not yet due (`everyMs`). */
  runOnce(): Promise<void>;
  stop(): Promise<void>;
}

export function startMaintenanceLoop(
  tasks: readonly MaintenanceTask[],
  options: { intervalMs: number; onError: (task: string, err: unknown) => void },
): MaintenanceLoop {
  let running: Promise<void> | undefined;
  let stopped = false;

  const lastRun = new Map<string, number>();

  async function round(all: boolean): Promise<void> {
    for (const task of tasks) {
      if (stopped) return;
      const last = lastRun.get(task.name);
      if (!all && task.everyMs && last !== undefined && Date.now() - last < task.everyMs) continue;
      const started = Date.now();
      try {
        await task.run();
        // Only a run that succeeded counts: a failed one is retried on the next tick.
        lastRun.set(task.name, started);
      } catch (err) {
        options.onError(task.name, err);
      }
    }
  }

  function start(all: boolean): Promise<void> {
    running ??= round(all).finally(() => {
      running = undefined;
    });
    return running;
  }
  const runOnce = () => start(true);

  const timer = options.intervalMs > 0 ? setInterval(() => void start(false), options.intervalMs) : undefined;
  timer?.unref();

  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
