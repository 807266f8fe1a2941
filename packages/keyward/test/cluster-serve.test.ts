/**
 * `keyward serve --workers 2` as a real process tree, on SQLite (and PostgreSQL when configured):
 * both workers answer on one port, and what one worker changes the other acts on — a policy
 * applied, an identity disabled, an edge added, decisions counted by a rate rule — while every
 * process writes the one hash chain, which verifies. A killed worker is replaced; SIGTERM stops all.
 */
import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startKeywardProcess } from './keyward-process.js';
import type { Json } from './task-fixtures.js';
import { TEST_BACKENDS, TEST_DATABASE_URL } from './test-server.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An HTTP client on one kept-alive connection, so all its requests reach the same worker. */
interface Pinned {
  worker: string;
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }>;
  close(): void;
}

function request(
  agent: http.Agent,
  base: string,
  token: string,
  method: string,
  p: string,
  body?: unknown,
): Promise<{ status: number; body: Json; worker: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      new URL(p, base),
      {
        method,
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (d) => {
          text += d;
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: text ? (JSON.parse(text) as Json) : {},
            worker: String(res.headers['x-keyward-worker']),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** Opens connections until one lands on a worker other than those in `not` (round-robin: soon). */
async function pin(base: string, token: string, not: string[]): Promise<Pinned> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const probe = await request(agent, base, token, 'GET', '/healthz');
    if (!not.includes(probe.worker)) {
      return {
        worker: probe.worker,
        async call(method, p, body) {
          const r = await request(agent, base, token, method, p, body);
          expect(r.worker).toBe(probe.worker);
          return r;
        },
        close: () => agent.destroy(),
      };
    }
    agent.destroy();
  }
  throw new Error('could not reach a second worker');
}

async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 3000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > until) return v;
    await sleep(25);
  }
}

const POLICY = `
@id("active-reads")
permit (principal, action == Keyward::Action::"read", resource is Keyward::Resource)
when { principal has status && principal.status == "active" };

@id("read-rate")
forbid (principal, action == Keyward::Action::"read", resource)
when { context.history.same_resource_10m >= 4 };
`;

const children: ChildProcess[] = [];
const dirs: string[] = [];
const schemas: string[] = [];

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  if (TEST_DATABASE_URL && schemas.length > 0) {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    for (const s of schemas) await client.query(`drop schema if exists "${s}" cascade`);
    await client.end();
  }
});

describe.each(TEST_BACKENDS)('serve --workers 2 [%s]', (backend) => {
  it('shares one state across worker processes and keeps one audit chain', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'keyward-cluster-'));
    dirs.push(dataDir);
    const schema = `kw_cluster_${randomBytes(5).toString('hex')}`;
    if (backend === 'postgres') schemas.push(schema);
    const server = await startKeywardProcess(['--workers', '2', '--port', '0', '--data-dir', dataDir], {
      KEYWARD_MASTER_KEY: Buffer.alloc(32, 9).toString('base64'),
      KEYWARD_TOKEN: '',
      KEYWARD_URL: '',
      KEYWARD_ISSUER: '',
      ...(backend === 'postgres'
        ? { KEYWARD_DATABASE_URL: TEST_DATABASE_URL, KEYWARD_DATABASE_SCHEMA: schema }
        : { KEYWARD_DATABASE_URL: '', DATABASE_URL: '' }),
    });
    children.push(server.child);
    expect(server.output()).toContain('2 worker processes');
    const token = /export KEYWARD_TOKEN=(kw_\S+)/.exec(server.output())?.[1];
    expect(token).toBeDefined();
    const a = await pin(server.url, token!, []);
    const b = await pin(server.url, token!, [a.worker]);
    expect(b.worker).not.toBe(a.worker);

    // Inventory and a policy, written through A.
    const agent = await a.call('POST', '/v1/identities', {
      name: 'etl-agent',
      kind: 'agent',
      environment: 'dev',
    });
    expect(agent.status, JSON.stringify(agent.body)).toBe(201);
    const resources: Json[] = [];
    for (const name of ['orders-db', 'ledger-db', 'events-db']) {
      const r = await a.call('POST', '/v1/resources', {
        name,
        kind: 'database',
        environment: 'dev',
        sensitivity: 'low',
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      resources.push(r.body);
    }
    const applied = await a.call('POST', '/v1/policies', {
      files: [{ name: 'cluster.cedar', text: POLICY }],
      reason: 'cluster test',
    });
    expect(applied.status, JSON.stringify(applied.body)).toBe(201);
    const read = (c: Pinned, resource: Json) =>
      c.call('POST', '/v1/authorize', {
        subject: { type: 'identity', id: agent.body.id },
        action: { name: 'read' },
        resource: { type: 'resource', id: resource.id },
      });

    // B decides with the policy A applied (its cache of the previous, empty set is dropped).
    const first = await eventually(
      () => read(b, resources[0]!),
      (r) => r.body.decision === true,
    );
    expect(first.body.context.policy_ids).toContain('active-reads');

    // The rate rule counts decisions made by both workers: 4 allowed reads in all, alternating,
    // then the 5th is refused wherever it lands.
    for (const c of [a, b, a]) {
      await sleep(50); // the other worker hears of the previous decision through the primary
      expect((await read(c, resources[0]!)).body.decision).toBe(true);
    }
    await sleep(50);
    const limited = await read(b, resources[0]!);
    expect(limited.body.decision).toBe(false);
    expect(limited.body.context.policy_ids).toContain('read-rate');

    // Disabling on A takes effect on B, whose entity slice and cached decision were warm.
    expect((await read(b, resources[1]!)).body.decision).toBe(true);
    const disabled = await a.call('POST', `/v1/identities/${agent.body.id}/disable`, { reason: 'test' });
    expect(disabled.status, JSON.stringify(disabled.body)).toBe(200);
    const afterDisable = await eventually(
      () => read(b, resources[1]!),
      (r) => r.body.decision === false,
      1000,
    );
    expect(afterDisable.body.decision).toBe(false);

    // The lineage graph: an edge added through A is in B's blast radius.
    const owner = await a.call('POST', '/v1/identities', {
      name: 'owner-agent',
      kind: 'agent',
      environment: 'dev',
    });
    const edge = await a.call('POST', '/v1/edges', {
      kind: 'has_permission',
      fromId: owner.body.id,
      toId: resources[2]!.id,
      actions: ['read'],
    });
    expect(edge.status, JSON.stringify(edge.body)).toBe(201);
    const radius = await eventually(
      () => b.call('GET', `/v1/identities/${owner.body.id}/blast-radius`),
      (r) => JSON.stringify(r.body).includes(resources[2]!.id),
      1000,
    );
    expect(JSON.stringify(radius.body)).toContain(resources[2]!.id);

    // A burst through both workers at once, then one chain over all of it.
    await Promise.all(Array.from({ length: 60 }, (_, i) => read(i % 2 ? a : b, resources[2]!)));
    const verify = await b.call('POST', '/v1/audit/verify', {});
    expect(verify.status, JSON.stringify(verify.body)).toBe(200);
    expect(verify.body.ok, JSON.stringify(verify.body)).toBe(true);
    const decisions = await a.call('GET', '/v1/audit/events?type=authz.decision&limit=1000');
    expect(decisions.body.items.length).toBeGreaterThanOrEqual(60 + 7);

    // A worker killed outright is replaced; the server keeps answering.
    const workerPids = execFileSync('pgrep', ['-P', String(server.child.pid)], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map(Number);
    expect(workerPids).toHaveLength(2);
    a.close();
    b.close();
    process.kill(workerPids[0]!, 'SIGKILL');
    const replaced = await eventually(
      async () =>
        execFileSync('pgrep', ['-P', String(server.child.pid)], { encoding: 'utf8' })
          .trim()
          .split('\n'),
      (pids) => pids.length === 2 && !pids.includes(String(workerPids[0])),
      10_000,
    );
    expect(replaced).toHaveLength(2);
    const health = await eventually(
      () => fetch(`${server.url}/healthz`).then((r) => r.status),
      (s) => s === 200,
    );
    expect(health).toBe(200);

    // SIGTERM: workers and primary exit cleanly.
    const exited = new Promise<number | null>((resolve) =>
      server.child.once('exit', (code) => resolve(code)),
    );
    server.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await sleep(200);
    for (const pid of replaced) expect(() => process.kill(Number(pid), 0)).toThrow();
  }, 120_000);
});
