/**
 * examples/agent end to end, as far as the server side exists today: the support agent signs its
 * client assertions with a key registered on a REAL Keyward, and a STAND-IN for /v1/tasks and
 * /oauth2/token (a Fastify stub written for this test only, until the real endpoints land) checks
 * them with Keyward's own assertion validator and mints access tokens with Keyward's signing key.
 * The example tickets API verifies those tokens with the SDK middleware.
 */
import { randomUUID } from 'node:crypto';
import type { Identity } from '@keyward/sdk';
import Fastify, { type FastifyInstance } from 'fastify';
import { type CryptoKey, exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTicketsServer } from '../../../examples/agent/resource-server.js';
import { runSupportAgent } from '../../../examples/agent/support-agent.js';
import { startTestServer, type TestServer } from './test-server.js';

const AUDIENCE = 'https://tickets.example.com';
const SPONSOR = 'hum_01SPONSOR';

let srv: TestServer;
let agent: Identity;
let privateKey: CryptoKey;
let stub: FastifyInstance;
let stubUrl: string;
let tickets: FastifyInstance;
let ticketsUrl: string;
const calls: string[] = [];

beforeAll(async () => {
  srv = await startTestServer({ maintenanceIntervalMs: 0 });
  const issuer = srv.keyward.issuer();
  agent = await srv.keyward.services.identities.create('test', {
    name: 'support-agent',
    kind: 'agent',
    environment: 'dev',
  });
  const pair = await generateKeyPair('ES256', { extractable: true });
  privateKey = pair.privateKey;
  const res = await fetch(`${srv.url}/v1/identities/${agent.id}/keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${srv.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ ...(await exportJWK(pair.publicKey)), kid: 'support-key-1' }),
  });
  expect(res.status).toBe(201);

  // STAND-IN for Keyward's task and token endpoints (this test only).
  stub = Fastify();
  stub.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_r, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );
  const authenticate = (assertion: string) =>
    srv.keyward.services.workloadAuth.authenticateClientAssertion(assertion, {
      audience: [`${stubUrl}/oauth2/token`],
    });
  stub.post<{ Body: Record<string, string> }>('/v1/tasks', async (req, reply) => {
    const identity = await authenticate(req.body['client_assertion']!);
    calls.push('open');
    return reply.code(201).send({
      id: `task_${randomUUID()}`,
      agentId: identity.id,
      sponsorId: req.body['sponsorProof'],
      intent: req.body['intent'],
      status: 'active',
    });
  });
  stub.post<{ Params: { id: string; action: string }; Body: Record<string, string> }>(
    '/v1/tasks/:id/:action',
    async (req) => {
      await authenticate(req.body['client_assertion']!);
      calls.push(req.params.action);
      return { id: req.params.id, status: req.params.action === 'complete' ? 'completed' : 'cancelled' };
    },
  );
  stub.post<{ Body: Record<string, string> }>('/oauth2/token', async (req) => {
    const identity = await authenticate(req.body['client_assertion']!);
    calls.push('token');
    const access_token = srv.keyward.services.signingKeys.signJwt(
      {
        iss: issuer,
        sub: SPONSOR,
        aud: req.body['resource'],
        jti: randomUUID(),
        client_id: identity.id,
        scope: req.body['scope'],
        task_id: req.body['task_id'],
        env: 'prod',
        act: { sub: identity.id },
      },
      { typ: 'at+jwt', expiresInSeconds: 300 },
    );
    return { access_token, token_type: 'Bearer', expires_in: 300, scope: req.body['scope'] };
  });
  stubUrl = await stub.listen({ host: '127.0.0.1', port: 0 });

  ({ app: tickets } = await createTicketsServer({ issuer, audience: AUDIENCE }));
  ticketsUrl = await tickets.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await tickets?.close();
  await stub?.close();
  await srv?.close();
});

describe('examples/agent', () => {
  it('support agent: opens a task, gets a token, reads tickets as its sponsor, completes the task', async () => {
    calls.length = 0;
    const result = await runSupportAgent({
      issuer: stubUrl,
      identityId: agent.id,
      privateKey,
      alg: 'ES256',
      kid: 'support-key-1',
      sponsorProof: SPONSOR,
      ticketsUrl,
      ticketsAudience: AUDIENCE,
    });
    expect(result.onBehalfOf).toBe(SPONSOR);
    expect(result.tickets.map((t) => t.id)).toEqual(['T-1001', 'T-1002']);
    expect(calls).toEqual(['open', 'token', 'complete']);
  });

  it('support agent: a token for the wrong audience is refused and the task is cancelled', async () => {
    calls.length = 0;
    await expect(
      runSupportAgent({
        issuer: stubUrl,
        identityId: agent.id,
        privateKey,
        alg: 'ES256',
        kid: 'support-key-1',
        sponsorProof: SPONSOR,
        ticketsUrl,
        ticketsAudience: 'https://billing.example.com',
      }),
    ).rejects.toThrow(/HTTP 401/);
    expect(calls).toEqual(['open', 'token', 'cancel']);
  });

  it('tickets API: 403 without tickets:write', async () => {
    const token = srv.keyward.services.signingKeys.signJwt(
      {
        iss: srv.keyward.issuer(),
        sub: SPONSOR,
        aud: AUDIENCE,
        jti: randomUUID(),
        client_id: agent.id,
        scope: 'tickets:read',
      },
      { typ: 'at+jwt', expiresInSeconds: 60 },
    );
    const res = await fetch(`${ticketsUrl}/tickets/T-1001/close`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(403);
  });
});
