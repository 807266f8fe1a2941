/** The maintenance loop: rounds run every task in order; a task with `everyMs` waits between timer rounds. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startMaintenanceLoop } from './maintenance-loop.js';

describe('maintenance loop', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('skips a task on timer rounds until its everyMs has passed; runOnce always runs it', async () => {
    const runs: string[] = [];
    const loop = startMaintenanceLoop(
      [
        { name: 'quick', run: async () => runs.push('quick') },
        { name: 'full', run: async () => runs.push('full'), everyMs: 10_000 },
      ],
      { intervalMs: 1_000, onError: () => {} },
    );
    await loop.runOnce();
    expect(runs).toEqual(['quick', 'full']);
    runs.length = 0;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(runs).toEqual(['quick', 'quick', 'quick', 'quick', 'quick']);
    runs.length = 0;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(runs.filter((r) => r === 'full')).toEqual(['full']);
    runs.length = 0;
    await loop.runOnce();
    expect(runs).toEqual(['quick', 'full']);
    await loop.stop();
  });

  it('reports a failing task and still runs the others', async () => {
    const errors: string[] = [];
    const runs: string[] = [];
    const loop = startMaintenanceLoop(
      [
        {
          name: 'broken',
          run: async () => {
            throw new Error('boom');
          },
        },
        { name: 'after', run: async () => runs.push('after') },
      ],
      { intervalMs: 0, onError: (task) => errors.push(task) },
    );
    await loop.runOnce();
    expect(errors).toEqual(['broken']);
    expect(runs).toEqual(['after']);
    await loop.stop();
  });

  it('retries a task with everyMs on the next tick when its run failed', async () => {
    let calls = 0;
    const loop = startMaintenanceLoop(
      [
        {
          name: 'flaky',
          everyMs: 60_000,
          run: async () => {
            calls++;
            if (calls === 1) throw new Error('database busy');
          },
        },
      ],
      { intervalMs: 1_000, onError: () => {} },
    );
    await loop.runOnce();
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toBe(2);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(calls).toBe(2);
    await loop.stop();
  });
});
