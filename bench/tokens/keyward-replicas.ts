/**
 * Two Keyward server processes on one PostgreSQL schema (as in test/replicas.test.ts), set up over
 * HTTP for the revocation benchmark: a sponsor proven through a local OIDC issuer, an agent with
 * an ES256 key, an open task. Revocations made on A reach B through LISTEN/NOTIFY.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import pg from 'pg';
import { type KeywardProcess, startKeywardProcess } from '../../packages/keyward/test/keyward-process.js';
import { startTestIssuer } from '../../packages/keyward/test/oidc-test-issuer.js';
import { clientAssertion } from './assertion-load.js';
import type { AgentTaskSetup } from './keyward-token-setup.js';

const SPONSOR_AUD = 'keyward-sponsors';

export interface Replicas extends AgentTaskSetup {
  issuer: string;
  a: string;
  b: string;
}

interface Replica extends KeywardProcess {
  dataDir: string;
}

async function startReplica(databaseUrl: string, schema: string, issuer: string): Promise<Replica> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'keyward-bench-replica-'));
  const started = await startKeywardProcess(['--port', '0', '--data-dir', dataDir], {
    KEYWARD_DATABASE_URL: databaseUrl,
    KEYWARD_DATABASE_SCHEMA: schema,
    KEYWARD_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
    KEYWARD_ISSUER: issuer,
    KEYWARD_TOKEN: '',
    KEYWARD_URL: '',
  });
  return { ...started, dataDir };
}

export async function startReplicas(databaseUrl: string): Promise<Replicas> {
  const schema = `kw_bench_${randomBytes(5).toString('hex')}`;
  const issuer = 'http://keyward.bench.replicas';
  const started: Replica[] = [];
  const idp = await startTestIssuer('ES256');
  const close = async () => {
    for (const r of started) {
      r.child.kill('SIGTERM');
      rmSync(r.dataDir, { recursive: true, force: true });
    }
    await idp.close();
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(`drop schema if exists "${schema}" cascade`);
    await client.end();
  };
  try {
    started.push(await startReplica(databaseUrl, schema, issuer));
    const a = started[0]!;
    const adminToken = /export KEYWARD_TOKEN=(kw_\S+)/.exec(a.output())?.[1];
    if (!adminToken) throw new Error(`no bootstrap token in replica A's output:\n${a.output()}`);
    started.push(await startReplica(databaseUrl, schema, issuer));
    const call = async (p: string, body: unknown, headers?: Record<string, string>) => {
      const res = await fetch(a.url + p, {
        method: 'POST',
        headers: headers ?? { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const json = (await res.json()) as { id: string; task?: { id: string } };
      if (!res.ok) throw new Error(`POST ${p}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    };
    const human = await call('/v1/humans', { email: 'bench-sponsor@example.com', name: 'Bench Sponsor' });
    await call('/v1/federation/issuers', {
      issuer: idp.issuer,
      audiences: [SPONSOR_AUD],
      rules: [{ subject: 'user:bench', humanId: human.id }],
    });
    const agent = await call('/v1/identities', { name: 'bench-agent', kind: 'agent', environment: 'dev' });
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const kid = 'bench-agent-key';
    await call(`/v1/identities/${agent.id}/keys`, { ...(await exportJWK(publicKey)), kid });
    const resource = 'bench-api';
    const scope = `read:${resource}`;
    const task = await call(
      '/v1/tasks',
      {
        agent: agent.id,
        sponsor: human.id,
        intent: 'benchmark revocation propagation',
        scopes: [scope],
        environment: 'dev',
        ttlSeconds: 3600,
      },
      {
        'content-type': 'application/json',
        'x-keyward-client-assertion': await clientAssertion({
          clientId: agent.id,
          privateKey,
          kid,
          audience: issuer,
        }),
        'x-keyward-sponsor-token': await idp.sign({ sub: 'user:bench', aud: SPONSOR_AUD }),
      },
    );
    return {
      issuer,
      a: a.url,
      b: started[1]!.url,
      adminToken,
      agentId: agent.id,
      agentKey: privateKey,
      kid,
      taskId: task.task?.id ?? task.id,
      resource,
      scope,
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
