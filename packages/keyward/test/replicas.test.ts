/**
 * Two Keyward processes on one PostgreSQL schema: a revocation on replica A is seen at once by
 * replica B — B's introspection says inactive right after, and B's SSE feed pushes the SET (via
 * LISTEN/NOTIFY) within a second; a policy applied and an identity disabled on A are acted on by B
 * within a second (keyward_changes, cluster/replica-sync.ts), though B's caches were warm; so is an
 * API token revoked on A, though B had it in its token cache. Real
 * child processes, like the quick start test.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeJwt, exportJWK, generateKeyPair, SignJWT } from 'jose';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startKeywardProcess } from './keyward-process.js';
import { startTestIssuer, type TestIssuer } from './oidc-test-issuer.js';
import { openSse } from './sse-client.js';
import { ASSERTION_TYPE, type Json, SPONSOR_AUD } from './task-fixtures.js';
import { TEST_DATABASE_URL } from './test-server.js';

const ISSUER = 'http://keyward.replicas.test';
const schema = `kw_replicas_${randomBytes(5).toString('hex')}`;
const children: ChildProcess[] = [];
const dirs: string[] = [];
let idp: TestIssuer | undefined;
/** The two replicas and the admin token, from the first test. */
let pair: { a: string; b: string; token: string } | undefined;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function replica(): Promise<{ url: string; output: () => string }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'keyward-replica-'));
  dirs.push(dataDir);
  const started = await startKeywardProcess(
    ['--port', '0', '--data-dir', dataDir],
    {
      KEYWARD_DATABASE_URL: TEST_DATABASE_URL,
      KEYWARD_DATABASE_SCHEMA: schema,
      KEYWARD_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
      KEYWARD_ISSUER: ISSUER,
      KEYWARD_TOKEN: '',
      KEYWARD_URL: '',
    },
    { source: true },
  );
  children.push(started.child);
  return started;
}

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  await idp?.close();
  if (TEST_DATABASE_URL) {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    await client.query(`drop schema if exists "${schema}" cascade`);
    await client.end();
  }
});

describe.skipIf(!TEST_DATABASE_URL)('two replicas on one PostgreSQL', () => {
  it('a revocation on A is inactive on B at once and pushed on B’s feed within 1 s', async () => {
    const a = await replica();
    const token = /export KEYWARD_TOKEN=(kw_\S+)/.exec(a.output())?.[1];
    expect(token, a.output()).toBeDefined();
    const b = await replica();
    pair = { a: a.url, b: b.url, token: token! };
    idp = await startTestIssuer();
    const admin = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const call = async (base: string, p: string, body: unknown, headers: Record<string, string> = admin) => {
      const res = await fetch(base + p, { method: 'POST', headers, body: JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as Json };
    };
    const human = (await call(a.url, '/v1/humans', { email: 'rita@example.com', name: 'Rita' })).body;
    const agent = (
      await call(a.url, '/v1/identities', { name: 'replica-agent', kind: 'agent', environment: 'dev' })
    ).body;
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    expect(
      (await call(a.url, `/v1/identities/${agent.id}/keys`, { ...(await exportJWK(publicKey)), kid: 'k1' }))
        .status,
    ).toBe(201);
    const fed = await call(a.url, '/v1/federation/issuers', {
      issuer: idp.issuer,
      audiences: [SPONSOR_AUD],
      rules: [{ subject: 'user:rita', humanId: human.id }],
    });
    expect(fed.status).toBe(201);
    const assertion = () =>
      new SignJWT({ iss: agent.id, sub: agent.id, aud: ISSUER, jti: randomBytes(8).toString('hex') })
        .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
        .setIssuedAt()
        .setExpirationTime('1m')
        .sign(privateKey);
    const task = await call(
      a.url,
      '/v1/tasks',
      {
        agent: agent.id,
        sponsor: human.id,
        intent: 'replica test',
        scopes: ['read:ledger'],
        environment: 'dev',
        ttlSeconds: 600,
      },
      {
        'content-type': 'application/json',
        'x-keyward-client-assertion': await assertion(),
        'x-keyward-sponsor-token': await idp.sign({ sub: 'user:rita', aud: SPONSOR_AUD }),
      },
    );
    expect(task.status, JSON.stringify(task.body)).toBe(201);
    const form = async (base: string, p: string, params: Record<string, string>) => {
      const res = await fetch(base + p, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${token}` },
        body: new URLSearchParams(params),
      });
      return { status: res.status, body: (await res.json()) as Json };
    };
    const issued = await form(a.url, '/oauth2/token', {
      grant_type: 'client_credentials',
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: await assertion(),
      task_id: task.body.task.id,
    });
    expect(issued.status, JSON.stringify(issued.body)).toBe(200);
    const accessToken = issued.body.access_token as string;
    expect((await form(b.url, '/oauth2/introspect', { token: accessToken })).body).toMatchObject({
      active: true,
      iss: ISSUER,
    });

    const feed = await openSse(`${b.url}/v1/revocations/feed`, { authorization: `Bearer ${token}` });
    expect(feed.status).toBe(200);
    const started = Date.now();
    const revoked = await call(a.url, '/v1/revocations', {
      kind: 'task',
      id: task.body.task.id,
      reason: 'replica test',
    });
    expect(revoked.status).toBe(200);
    expect((await form(b.url, '/oauth2/introspect', { token: accessToken })).body).toEqual({ active: false });
    const [frame] = await feed.waitFor(1, 1000);
    expect(Date.now() - started).toBeLessThan(1000);
    feed.close();
    expect(decodeJwt(frame!.data)['keyward_revocation']).toEqual({ kind: 'task', id: task.body.task.id });
  }, 120_000);

  it('a policy applied and an identity disabled on A are acted on by B within 1 s', async () => {
    expect(pair).toBeDefined();
    const { a, b, token } = pair!;
    const call = async (base: string, p: string, body: unknown) => {
      const res = await fetch(base + p, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as Json };
    };
    const agent = await call(a, '/v1/identities', { name: 'sync-agent', kind: 'agent', environment: 'dev' });
    const db = await call(a, '/v1/resources', {
      name: 'sync-db',
      kind: 'database',
      environment: 'dev',
      sensitivity: 'low',
    });
    expect([agent.status, db.status]).toEqual([201, 201]);
    const read = () =>
      call(b, '/v1/authorize', {
        subject: { type: 'identity', id: agent.body.id },
        action: { name: 'read' },
        resource: { type: 'resource', id: db.body.id },
      });
    // B warms its caches under the policy set it has now: no read rule, so deny.
    expect((await read()).body.decision).toBe(false);
    const within = async (ms: number, want: boolean) => {
      const until = Date.now() + ms;
      for (;;) {
        const r = await read();
        if (r.body.decision === want || Date.now() > until) return r.body.decision;
        await sleep(20);
      }
    };
    const applied = await call(a, '/v1/policies', {
      files: [
        {
          name: 'replicas.cedar',
          text: `@id("active-reads")
permit (principal, action == Keyward::Action::"read", resource is Keyward::Resource)
when { principal has status && principal.status == "active" };`,
        },
      ],
      reason: 'replica sync test',
    });
    expect(applied.status, JSON.stringify(applied.body)).toBe(201);
    expect(await within(1000, true)).toBe(true);
    expect((await read()).body.decision).toBe(true); // now cached on B
    const disabled = await call(a, `/v1/identities/${agent.body.id}/disable`, { reason: 'replica test' });
    expect(disabled.status, JSON.stringify(disabled.body)).toBe(200);
    expect(await within(1000, false)).toBe(false);
  }, 60_000);

  it('an API token revoked on A is refused by B within 1 s, though B had it cached', async () => {
    expect(pair).toBeDefined();
    const { a, b, token } = pair!;
    const created = await fetch(`${a}/v1/api-tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'replica-operator', role: 'operator' }),
    });
    expect(created.status).toBe(201);
    const { token: meta, secret } = (await created.json()) as { token: { id: string }; secret: string };
    const useOnB = async () =>
      (await fetch(`${b}/v1/identities`, { headers: { authorization: `Bearer ${secret}` } })).status;
    expect(await useOnB()).toBe(200); // now in B's token cache
    const revoked = await fetch(`${a}/v1/api-tokens/${meta.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(revoked.status).toBe(200);
    const until = Date.now() + 1000;
    let status = await useOnB();
    while (status === 200 && Date.now() < until) {
      await sleep(20);
      status = await useOnB();
    }
    expect(status).toBe(401);
  }, 30_000);
});
