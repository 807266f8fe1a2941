/**
 * The SDK verifier middleware's per-request authorization (Fastify hook and Express-style
 * middleware): a real Keyward token, the SDK's KeywardClient asking /v1/authorize (the
 * FixedRuleAuthorizeDouble until the decision engine is merged), 403 on deny, 202 with the
 * approval id when approval is required, and the same request allowed once the sponsor approves.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createVerifier, KeywardClient, keywardExpress } from '@keyward/sdk';
import { keywardFastify } from '@keyward/sdk/fastify';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AgentOnTask,
  type AuthorizeDouble,
  agentOnTask,
  GATEWAY_AUDIENCE,
  startFixedRuleAuthorizeDouble,
} from './mcp-fixtures.js';
import { startTestIssuer, type TestIssuer } from './oidc-test-issuer.js';
import { type Json, sponsorToken } from './task-fixtures.js';
import { startTestServer, type TestServer } from './test-server.js';

let srv: TestServer;
let idp: TestIssuer;
let double: AuthorizeDouble;
let a: AgentOnTask;
let operator: KeywardClient;

beforeAll(async () => {
  srv = await startTestServer({ config: { tokenAudiences: [GATEWAY_AUDIENCE] } });
  idp = await startTestIssuer();
  const token = (await srv.keyward.services.tokens.create('test', { name: 'rs', role: 'operator' })).secret;
  double = await startFixedRuleAuthorizeDouble(srv, token, {
    'fs/reports': 'allow',
    'fs/secrets': 'deny',
    'fs/payroll': 'approval_required',
  });
  a = await agentOnTask(srv, idp, 'mw-agent');
  operator = new KeywardClient({ url: double.url, token });
}, 60_000);
afterAll(async () => {
  await double?.close();
  await idp?.close();
  await srv?.close();
});

const map = (url: string, method: string) => ({
  action: method === 'GET' ? 'read' : 'write',
  resource: { type: 'tool' as const, id: `fs${url}` },
  context: { arguments: { url } },
});

async function exercise(base: string) {
  const call = (p: string, method = 'GET') =>
    fetch(base + p, { method, headers: { authorization: `Bearer ${a.token}` } }).then(async (r) => ({
      status: r.status,
      body: (await r.json()) as Json,
    }));
  expect(await call('/reports')).toMatchObject({ status: 200, body: { ok: true } });
  expect(await call('/secrets')).toMatchObject({ status: 403, body: { error: 'access_denied' } });
  const held = await call('/payroll', 'POST');
  expect(held).toMatchObject({ status: 202, body: { error: 'approval_required' } });
  await operator.approve(held.body.approval_id, await sponsorToken(idp, a.sponsor));
  expect(await call('/payroll', 'POST')).toMatchObject({ status: 200, body: { ok: true } });
  expect((await fetch(`${base}/reports`)).status).toBe(401);
}

describe('SDK middleware authorize option', () => {
  it('Fastify hook: allow, 403, 202 + approval id, then allowed after approval', async () => {
    const verifier = createVerifier({ issuer: srv.url, audience: GATEWAY_AUDIENCE });
    const app = Fastify();
    app.addHook(
      'onRequest',
      keywardFastify(verifier, { authorize: { client: operator, map: (r) => map(r.url, r.method) } }),
    );
    app.all('/*', async () => ({ ok: true }));
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      await exercise(url);
    } finally {
      await app.close();
      verifier.close();
    }
  });

  it('Express-style middleware answers the same way', async () => {
    const verifier = createVerifier({ issuer: srv.url, audience: GATEWAY_AUDIENCE });
    type Req = { url: string; method: string; headers: Record<string, string> };
    const mw = keywardExpress(verifier, {
      authorize: {
        client: operator,
        map: (r) => map((r as unknown as Req).url, (r as unknown as Req).method),
      },
    });
    const server = createServer((req, res) => {
      mw(req as never, res, () => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ ok: true }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      // A second approval for the same binding would be reused, so use another agent here.
      a = await agentOnTask(srv, idp, 'mw-agent-2');
      await exercise(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    } finally {
      server.close();
      verifier.close();
    }
  });
});
