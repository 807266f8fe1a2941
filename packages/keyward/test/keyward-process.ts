/**
 * Starts `keyward serve` as a real child process (built CLI when present, else the TypeScript
 * source through tsx) and waits until it listens; for the replica test and the token benchmark.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const BUILT = path.resolve(import.meta.dirname, '../dist/cli/main.js');
const SOURCE = path.resolve(import.meta.dirname, '../src/cli/main.ts');

export interface KeywardProcess {
  url: string;
  child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
}

export async function startKeywardProcess(
  args: string[],
  env: Record<string, string | undefined>,
  options: { source?: boolean } = {},
): Promise<KeywardProcess> {
  const entry = !options.source && existsSync(BUILT) ? [BUILT] : ['--import', 'tsx', SOURCE];
  const child = spawn(process.execPath, [...entry, 'serve', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const append = (d: unknown) => {
    output += String(d);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`keyward did not start:\n${output}`)), 60_000);
    child.stdout?.on('data', () => {
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m?.[1] && /API docs:/.test(output)) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`keyward exited with ${code}:\n${output}`)));
  });
  return { url, child, output: () => output };
}
