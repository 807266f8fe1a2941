/**
 * A periodic loop for housekeeping that must happen without a request: picking up another
 * replica's key rotation, scheduled rotation, dropping retired keys, forgetting expired jtis. Tasks
 * run one after another, never overlapping with the previous round; a failing task is reported and
 * does not stop the others. The timer is unref'd, so it never keeps the process alive.
 */

export interface MaintenanceTask {
  name: string;
  run(): Promise<unknown>;
}

export interface MaintenanceLoop {
  /** Runs every task once now (also what each tick does). */
  runOnce(): Promise<void>;
  stop(): Promise<void>;
}

export function startMaintenanceLoop(
  tasks: readonly MaintenanceTask[],
  options: { intervalMs: number; onError: (task: string, err: unknown) => void },
): MaintenanceLoop {
  let running: Promise<void> | undefined;
  let stopped = false;

  async function round(): Promise<void> {
    for (const task of tasks) {
      if (stopped) return;
      try {
        await task.run();
      } catch (err) {
        options.onError(task.name, err);
      }
    }
  }

  function runOnce(): Promise<void> {
    running ??= round().finally(() => {
      running = undefined;
    });
    return running;
  }

  const timer = options.intervalMs > 0 ? setInterval(() => void runOnce(), options.intervalMs) : undefined;
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
