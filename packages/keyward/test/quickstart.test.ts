/**
 * The README's quick start as a user meets it: `keyward serve --demo` in a real child process on an
 * empty data directory prints a working admin token once, serves the demo estate, and keeps its data
 * (and issues no second token) across a restart.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EstateSummary } from '@keyward/sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { captureIo } from '../src/cli/cli-io.js';
import { runCli } from '../src/cli/program.js';

const MAIN = path.resolve(import.meta.dirname, '../src/cli/main.ts');
const ROOT = path.resolve(import.meta.dirname, '../../..');

/** The `npx keyward …` client commands of a Markdown file's sh blocks, tokenised like a shell would. */
function documentedCommands(file: string): string[][] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const blocks = [...text.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  const lines = blocks.flatMap((b) => b.replaceAll('\\\n', ' ').split('\n'));
  return lines
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter(
      (l) =>
        l.startsWith('npx keyward ') && !l.includes('<') && !/ (serve|migrate|demo|admin-token)\b/.test(l),
    )
    .map((l) =>
      [...l.slice('npx keyward '.length).matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? ''),
    );
}
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'keyward-quickstart-'));
const children: ChildProcess[] = [];

afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

async function serve(): Promise<{ output: string; url: string; stop: () => Promise<void> }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', MAIN, 'serve', '--demo', '--port', '0', '--data-dir', dataDir],
    {
      env: { ...process.env, KEYWARD_TOKEN: '', KEYWARD_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  let output = '';
  child.stdout?.on('data', (d) => {
    output += String(d);
  });
  child.stderr?.on('data', (d) => {
    output += String(d);
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000);
    const check = () => {
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m?.[1] && /API docs:/.test(output)) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout?.on('data', check);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  return {
    output,
    url,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

describe('the installed keyward executable', () => {
  it('npm links bin/keyward.js, which runs the compiled CLI (npm test builds it first)', () => {
    const bin = path.join(ROOT, 'node_modules/.bin/keyward');
    expect(realpathSync(bin)).toBe(path.join(ROOT, 'packages/keyward/bin/keyward.js'));
    const built = existsSync(path.join(ROOT, 'packages/keyward/dist/cli/main.js'));
    const run = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    if (built) {
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    } else {
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/not built yet/);
    }
  });
});

describe('quick start: keyward serve --demo', () => {
  it('prints a working admin token once, serves the demo estate, and survives a restart', async () => {
    const first = await serve();
    const token = /export KEYWARD_TOKEN=(kw_\S+)/.exec(first.output)?.[1];
    expect(token, first.output).toBeDefined();
    expect(first.output).toMatch(/Estate: \d{3} non-human identities/);
    expect(first.output).toMatch(/Widest blast radius: \S+ reaches \d+ nodes/);
    const auth = { authorization: `Bearer ${token}` };
    const summary = (await (
      await fetch(`${first.url}/v1/summary`, { headers: auth })
    ).json()) as EstateSummary;
    expect(summary.identities.total).toBeGreaterThanOrEqual(250);
    expect(summary.humans.inactive).toBeGreaterThan(0);
    expect(summary.hygiene.ownerLeft).toBeGreaterThan(0);
    expect(summary.hygiene.rotationOverdue).toBeGreaterThan(0);
    expect((await fetch(`${first.url}/v1/summary`)).status).toBe(401);

    // Every client command the README and the CLI guide show runs against this server as written.
    const commands = [...documentedCommands('README.md'), ...documentedCommands('docs/cli.md')];
    expect(commands.length).toBeGreaterThan(10);
    for (const args of commands) {
      const cap = captureIo({ KEYWARD_URL: first.url, KEYWARD_TOKEN: token });
      const code = await runCli(args, cap.io);
      expect(code, `keyward ${args.join(' ')}\n${cap.err()}`).toBe(0);
      expect(cap.out().length).toBeGreaterThan(0);
    }
    const countIdentities = async (url: string) =>
      (
        (await (await fetch(`${url}/v1/identities?limit=1000`, { headers: auth })).json()) as {
          items: unknown[];
        }
      ).items.length;
    const before = await countIdentities(first.url);
    await first.stop();

    const second = await serve();
    expect(second.output).not.toMatch(/KEYWARD_TOKEN=/);
    expect(await countIdentities(second.url)).toBe(before);
    await second.stop();
  }, 120_000);
});
