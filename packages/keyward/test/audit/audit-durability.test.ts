/**
 * Durability of acknowledged audit events: a real `keyward serve` child process appends a burst of
 * events through the AuditWriter (the test-only burst route streams each acknowledged seq), is killed
 * with SIGKILL mid-burst, and is restarted: every acknowledged event must be there and the chain must
 * verify. On SQLite and, when configured, PostgreSQL.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { AuditEventPage, VerifyResult } from '../../src/audit/audit-types.js';
import { TEST_BACKENDS, TEST_DATABASE_URL } from '../test-server.js';

const MAIN = path.resolve(import.meta.dirname, '../../src/cli/main.ts');
const children: ChildProcess[] = [];
const dirs: string[] = [];
const schemas: string[] = [];

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  if (TEST_DATABASE_URL && schemas.length > 0) {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    for (const s of schemas) await client.query(`drop schema if exists "${s}" cascade`);
    await client.end();
  }
});

async function serve(args: string[]): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve', '--port', '0', ...args], {
    env: { ...process.env, KEYWARD_TOKEN: '', KEYWARD_URL: '', KEYWARD_AUDIT_TEST_ROUTES: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (d) => (output += String(d)));
  child.stderr?.on('data', (d) => (output += String(d)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000);
    child.stdout?.on('data', () => {
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m?.[1] && /API docs:/.test(output)) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  return { child, url, output: () => output };
}

describe.each(TEST_BACKENDS)('audit durability under kill -9 [%s]', (backend) => {
  it('every acknowledged event survives SIGKILL mid-burst and the chain verifies after restart', async () => {
    let args: string[];
    if (backend === 'sqlite') {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'keyward-durability-'));
      dirs.push(dir);
      args = ['--data-dir', dir];
    } else {
      const schema = `kw_dur_${randomBytes(5).toString('hex')}`;
      schemas.push(schema);
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      await client.query(`create schema "${schema}"`);
      await client.end();
      const url = new URL(TEST_DATABASE_URL!);
      url.searchParams.set('options', `-c search_path=${schema}`);
      args = ['--database-url', url.toString()];
    }
    const first = await serve(args);
    const token = /export KEYWARD_TOKEN=(kw_\S+)/.exec(first.output())?.[1];
    expect(token, first.output()).toBeDefined();
    const auth = { authorization: `Bearer ${token}` };

    const res = await fetch(`${first.url}/v1/audit/_burst`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ count: 1_000_000, concurrency: 64 }),
    });
    const acked: number[] = [];
    let text = '';
    const reader = res.body!.getReader();
    try {
      while (acked.length < 3000) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
        const lines = text.split('\n');
        text = lines.pop()!;
        for (const l of lines) acked.push(Number(l));
      }
      first.child.kill('SIGKILL');
      // Acks already on the wire when the process died count too.
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
        const lines = text.split('\n');
        text = lines.pop()!;
        for (const l of lines) acked.push(Number(l));
      }
    } catch {
      // The connection dies with the process.
    }
    await new Promise((resolve) =>
      first.child.exitCode !== null ? resolve(null) : first.child.once('exit', resolve),
    );
    expect(acked.length).toBeGreaterThanOrEqual(3000);

    const second = await serve(args);
    try {
      const verify = (await (
        await fetch(`${second.url}/v1/audit/verify`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: '{}',
        })
      ).json()) as VerifyResult;
      expect(verify.ok, JSON.stringify(verify)).toBe(true);
      const maxAcked = Math.max(...acked);
      if (verify.ok) expect(verify.lastSeq!).toBeGreaterThanOrEqual(maxAcked);
      // Gap-free seq from 1 and a valid chain mean every seq up to lastSeq is present; spot-check
      // that the acknowledged ones are the burst's events.
      const sample = acked.filter((_, i) => i % 500 === 0);
      for (const seq of sample) {
        const page = (await (
          await fetch(`${second.url}/v1/audit/events?cursor=${seq - 1}&limit=1`, { headers: auth })
        ).json()) as AuditEventPage;
        expect(page.items[0]).toMatchObject({ seq, type: 'decision.evaluated' });
      }
    } finally {
      second.child.kill('SIGTERM');
    }
  }, 120_000);
});
