/**
 * RevocationRetrier: the background loop that makes revocation reliable. Every interval it runs one
 * sweep (credential-broker processDue): leases past validUntil are revoked (belt and braces with the
 * role's VALID UNTIL), failed revocations whose back-off has elapsed are retried, stale claims are
 * taken over. Sweeps never overlap; stop() waits for the running one. A sweep that throws (store
 * down) is reported through onError and the loop carries on.
 */

export interface RevocationRetrierOptions {
  sweep: () => Promise<{ revoked: number; failed: number }>;
  intervalMs?: number;
  onError?: (err: unknown) => void;
}

export interface RevocationRetrier {
  start(): void;
  /** Stops the loop and waits for a running sweep to finish. */
  stop(): Promise<void>;
  /** One sweep now (tests, or an operator nudge); waits for a sweep already running instead of overlapping. */
  runOnce(): Promise<{ revoked: number; failed: number }>;
}

export function createRevocationRetrier(options: RevocationRetrierOptions): RevocationRetrier {
  const intervalMs = options.intervalMs ?? 5_000;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<{ revoked: number; failed: number }> | undefined;
  let stopped = true;

  function runOnce() {
    if (!running) {
      running = options.sweep().finally(() => {
        running = undefined;
      });
    }
    return running;
  }

  function schedule() {
    if (stopped) return;
    timer = setTimeout(() => {
      runOnce()
        .catch((err: unknown) => options.onError?.(err))
        .finally(schedule);
    }, intervalMs);
    timer.unref();
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      schedule();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running?.catch(() => {});
    },
    runOnce,
  };
}
