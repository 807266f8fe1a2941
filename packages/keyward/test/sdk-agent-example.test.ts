/**
 * examples/agent end to end against a real Keyward: the support agent (SDK KeywardAgent, its own
 * ES256 key, no shared secret) opens a task with its sponsor's ID token from a trusted OIDC issuer,
 * gets a task-bound token from /oauth2/token, and reads the example tickets API, which verifies the
 * token offline with the SDK middleware and follows Keyward's revocation feed: once the task ends,
 * the same token is refused within a second.
 */
import type { Human, Identity } from '@keyward/sdk';
import type { FastifyInstance } from 'fastify';
import { type CryptoKey, exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTicketsServer } from '../../../examples/agent/resource-server.js';
import { runSupportAgent, type SupportAgentConfig } from '../../../examples/agent/support-agent.js';
import { startTestIssuer, type TestIssuer } from './oidc-test-issuer.js';
import { createSponsor, SPONSOR_AUD, setUpSponsors, sponsorToken } from './task-fixtures.js';
import { startTestServer, type TestServer } from './test-server.js';

let srv: TestServer;
let idp: TestIssuer;
let agent: Identity;
let sponsor: Human;
let privateKey: CryptoKey;
let tickets: FastifyInstance;
let ticketsUrl: string;

async function config(over: Partial<SupportAgentConfig> = {}): Promise<SupportAgentConfig> {
  return {
    issuer: srv.url,
    identityId: agent.id,
    privateKey,
    alg: 'ES256',
    kid: 'support-key-1',
    sponsorId: sponsor.id,
    sponsorToken: await sponsorToken(idp, sponsor),
    ticketsUrl,
    ticketsAudience: 'tickets',
    environment: 'dev',
    ...over,
  };
}

beforeAll(async () => {
  srv = await startTestServer({ maintenanceIntervalMs: 0, feedHeartbeatMs: 500 });
  idp = await startTestIssuer();
  await setUpSponsors(srv, idp);
  sponsor = await createSponsor(srv, 'dana');
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
  ({ app: tickets } = await createTicketsServer({
    issuer: srv.keyward.issuer(),
    audience: 'tickets',
    apiToken: srv.adminToken,
  }));
  ticketsUrl = await tickets.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await tickets?.close();
  await idp?.close();
  await srv?.close();
});

describe('examples/agent against a real Keyward', () => {
  it('opens a task with sponsor proof, reads tickets for the sponsor, completes the task', async () => {
    const result = await runSupportAgent(await config());
    expect(result.onBehalfOf).toBe(sponsor.id);
    expect(result.tickets.map((t) => t.id)).toEqual(['T-1001', 'T-1002']);
    const task = await srv.keyward.store.tasks.get(result.taskId);
    expect(task?.status).toBe('completed');
    const issued = await srv.keyward.store.audit.list(
      { type: 'oauth.token.issued', targetId: result.taskId },
      10,
    );
    expect(issued).toHaveLength(1);
    expect(SPONSOR_AUD).toBe('keyward-sponsors');
  });

  it('a token for another audience is refused by the tickets API and the task is cancelled', async () => {
    await expect(runSupportAgent(await config({ ticketsAudience: 'billing' }))).rejects.toThrow(/HTTP 401/);
    const cancelled = await srv.keyward.store.tasks.list({ agentId: agent.id, status: 'cancelled' }, {});
    expect(cancelled.items.length).toBeGreaterThanOrEqual(1);
  });

  it('without a sponsor token the SDK refuses to open a task', async () => {
    await expect(runSupportAgent(await config({ sponsorToken: '' }))).rejects.toThrow(/sponsorToken/);
  });

  it('a token stops working at the tickets API within a second of its task being cancelled', async () => {
    const { KeywardAgent } = await import('@keyward/sdk');
    const a = new KeywardAgent({
      issuer: srv.url,
      identityId: agent.id,
      privateKey,
      alg: 'ES256',
      kid: 'support-key-1',
    });
    const { task } = await a.openTask({
      sponsorId: sponsor.id,
      sponsorToken: await sponsorToken(idp, sponsor),
      intent: 'check revocation',
      scopes: ['read:tickets', 'write:tickets'],
      environment: 'dev',
      ttlSeconds: 300,
    });
    const { accessToken } = await a.getToken({
      taskId: task.id,
      resource: 'tickets',
      scopes: ['read:tickets'],
    });
    const call = () =>
      fetch(`${ticketsUrl}/tickets`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect((await call()).status).toBe(200);
    const close = await fetch(`${ticketsUrl}/tickets/T-1001/close`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(close.status).toBe(403);
    const cancelledAt = Date.now();
    await a.cancelTask(task.id);
    let status = 200;
    while (status === 200 && Date.now() - cancelledAt < 3000) {
      await new Promise((r) => setTimeout(r, 50));
      status = (await call()).status;
    }
    expect(status).toBe(401);
    expect(Date.now() - cancelledAt).toBeLessThan(1000);
  });
});
