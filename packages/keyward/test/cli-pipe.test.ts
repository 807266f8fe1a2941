/**
 * The built CLI behind a pipe that closes early (`keyward … | head -1`): it must stop quietly with
 * success, not die with an EPIPE stack trace.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';

const CLI = path.resolve(import.meta.dirname, '../dist/cli/main.js');

it('stops quietly when stdout is closed early', async () => {
  // `--help` of the whole program prints far more than one pipe read; the reader leaves after it.
  const child = spawn('bash', [
    '-c',
    `node ${JSON.stringify(CLI)} --help | head -c 1 >/dev/null; echo "\${PIPESTATUS[0]}"`,
  ]);
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  await new Promise<void>((resolve) => child.on('close', () => resolve()));
  expect(err).not.toMatch(/EPIPE|Unhandled/);
  expect(out.trim()).toBe('0');
});
