/**
 * The HTTP contender: a real Keyward (SQLite in a temp dir, every decision audited through the
 * group-commit writer) holding the bench estate and policy set, loaded by autocannon with
 * 10 connections posting `/v1/authorize` bodies from the request stream. autocannon runs in a
 * child process (load-child.mjs): in this process it would take the server's event loop.
 * With `processes` > 1 the estate is seeded in process, then `keyward serve --workers N` (the built
 * CLI) serves it as a separate process tree, as an operator would run it.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { createKeyward } from '../../packages/keyward/src/app.js';
import type { PolicyFile } from '../../packages/keyward/src/authz/policy-set.js';
import { loadConfig } from '../../packages/keyward/src/config.js';
import { startKeywardProcess } from '../../packages/keyward/test/keyward-process.js';
import type { BenchRequest, estate } from './authz-workload.js';

function body(r: BenchRequest): string {
  const res = r.resource;
  return JSON.stringify({
    subject: { type: 'identity', id: r.agent.name },
    action: { name: r.action },
    resource:
      res.type === 'tool'
        ? {
            type: 'tool',
            id: `${res.item.server}/${res.item.name}`,
            properties: {
              server: res.item.server,
              name: res.item.name,
              annotations: res.item.readOnly ? { readOnlyHint: true } : { destructiveHint: true },
            },
          }
        : { type: 'resource', id: res.item.name },
    context: { ...(r.arguments ? { arguments: r.arguments } : {}), source: { ip: '10.0.0.1' } },
  });
}

export async function httpLoad(opts: {
  estate: ReturnType<typeof estate>;
  files: PolicyFile[];
  stream: readonly BenchRequest[];
  workers: number;
  seconds: number;
  /** PostgreSQL instead of SQLite (a fresh schema, dropped afterwards). */
  databaseUrl?: string | undefined;
  /** HTTP worker processes (`keyward serve --workers N`); default 1: this process serves. */
  processes?: number;
}) {
  const processes = opts.processes ?? 1;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'keyward-bench-authz-'));
  const pgSchema = opts.databaseUrl ? `kw_authz_bench_${randomBytes(4).toString('hex')}` : undefined;
  const config = loadConfig(
    { dataDir, port: 0, logLevel: 'silent', ...(opts.databaseUrl ? { databaseUrl: opts.databaseUrl } : {}) },
    {},
  );
  const keyward = await createKeyward(config, {
    maintenanceIntervalMs: 0,
    authz: { workers: opts.workers },
    ...(pgSchema ? { pgSchema } : {}),
  });
  let cluster: Awaited<ReturnType<typeof startKeywardProcess>> | undefined;
  let open = true;
  try {
    let url = await keyward.http.listen({ host: '127.0.0.1', port: 0 });
    const s = keyward.services;
    for (const a of opts.estate.agents) {
      await s.identities.create('bench', {
        name: a.name,
        kind: 'agent',
        environment: a.environment,
        labels: { team: a.team },
      });
    }
    for (const r of opts.estate.resources) {
      await s.resources.resources.create('bench', {
        name: r.name,
        kind: r.kind,
        environment: r.environment,
        sensitivity: r.sensitivity,
        labels: { team: r.team },
      });
    }
    await s.authz.policies.apply('bench', opts.files, 'authz bench');
    if (processes > 1) {
      open = false;
      await keyward.close();
      cluster = await startKeywardProcess(
        ['--workers', String(processes), '--port', '0', '--data-dir', dataDir],
        {
          KEYWARD_AUTHZ_WORKERS: String(opts.workers),
          KEYWARD_LOG_LEVEL: 'silent',
          KEYWARD_TOKEN: '',
          KEYWARD_URL: '',
          KEYWARD_ISSUER: '',
          ...(opts.databaseUrl
            ? { KEYWARD_DATABASE_URL: opts.databaseUrl, KEYWARD_DATABASE_SCHEMA: pgSchema }
            : { KEYWARD_DATABASE_URL: '', DATABASE_URL: '' }),
        },
      );
      url = cluster.url;
    }
    const bodiesFile = path.join(dataDir, 'bodies.json');
    writeFileSync(bodiesFile, JSON.stringify(opts.stream.map(body)));
    const child = new URL('./load-child.mjs', import.meta.url).pathname;
    const run = async (seconds: number) => {
      const args = [
        child,
        `${url}/v1/authorize`,
        keyward.bootstrapToken ?? '',
        bodiesFile,
        String(seconds),
        '10',
      ];
      const { stdout } = await promisify(execFile)(process.execPath, args, { maxBuffer: 1 << 20 });
      return JSON.parse(stdout) as {
        total: number;
        duration: number;
        p99: number;
        non2xx: number;
        errors: number;
      };
    };
    await run(4); // warm-up: JIT, entity slices, first cache fills
    const result = await run(opts.seconds);
    // The cluster's engines are in other processes: their hit ratio is not read here.
    const stats = cluster ? undefined : s.authz.engine.stats();
    return {
      perSecond: result.total / (result.duration || opts.seconds),
      p99Ms: result.p99,
      non2xx: result.non2xx,
      errors: result.errors,
      cacheHitRatio: stats ? stats.hits / Math.max(1, stats.hits + stats.misses) : undefined,
    };
  } finally {
    if (cluster) {
      const exited = new Promise((resolve) => cluster?.child.once('exit', resolve));
      cluster.child.kill('SIGTERM');
      await exited;
    }
    if (open) await keyward.close();
    rmSync(dataDir, { recursive: true, force: true });
    if (pgSchema && opts.databaseUrl) {
      const client = new pg.Client({ connectionString: opts.databaseUrl });
      await client.connect();
      await client.query(`drop schema if exists "${pgSchema}" cascade`);
      await client.end();
    }
  }
}
