/**
 * Progress bars for long CLI work (reading import files, scanning trees and git history), drawn on
 * stderr with cli-progress, only on a terminal and never under --json, so piped output stays clean.
 */
import cliProgress from 'cli-progress';
import type { CliContext } from './cli-context.js';

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

const NONE: Progress = { update: () => {}, stop: () => {} };

export function progressBar(ctx: CliContext, label: string, unit: 'bytes' | 'blobs' | 'files'): Progress {
  if (ctx.json || !ctx.io.isTTY || !process.stderr.isTTY) return NONE;
  const format =
    unit === 'bytes'
      ? `${label} [{bar}] {percentage}% | {doneMb}/{totalMb} MB | {eta_formatted} left`
      : `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {eta_formatted} left`;
  const bar = new cliProgress.SingleBar(
    { format, stream: process.stderr, hideCursor: true, clearOnComplete: true, etaBuffer: 50 },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  const mb = (n: number) => (n / 1_048_576).toFixed(1);
  return {
    update(done, total) {
      if (!started) {
        bar.start(Math.max(total, 1), 0, { doneMb: '0.0', totalMb: mb(total) });
        started = true;
      }
      bar.setTotal(Math.max(total, 1));
      bar.update(done, { doneMb: mb(done), totalMb: mb(total) });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
