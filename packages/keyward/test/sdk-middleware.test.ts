/**
 * The SDK's resource-server middleware on real frameworks, with tokens minted by a real Keyward:
 * keywardFastify on a Fastify app and keywardExpress on a plain node:http server (Express's
 * request/response are the same objects). 401 with an RFC 6750 challenge, 403 insufficient_scope,
 * 200 with the verified token on the request.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createVerifier,
  type KeywardExpressRequest,
  type KeywardVerifier,
  keywardExpress,
} from '@keyward/sdk';
import { keywardFastify } from '@keyward/sdk/fastify';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCE, tokenMinter } from './sdk-token-fixtures.js';
import { startTestServer, type TestServer } from './test-server.js';

let srv: TestServer;
let verifier: KeywardVerifier;
let t: ReturnType<typeof tokenMinter>;

beforeAll(async () => {
  srv = await startTestServer({ maintenanceIntervalMs: 0 });
  t = tokenMinter(srv);
  verifier = createVerifier({ issuer: t.issuer, audience: RESOURCE });
});
afterAll(async () => {
  await srv?.close();
});

/** The shared expectations, run against both adapters. */
function suite(name: string, base: () => string) {
  const get = (path: string, authorization?: string) =>
    fetch(base() + path, { headers: authorization ? { authorization } : {} });

  describe(name, () => {
    it('200 with the verified token on the request', async () => {
      const res = await get('/tickets', `Bearer ${t.mint({ act: { sub: 'nhi_SUB' } })}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        subject: 'hum_01SPONSOR',
        actor: 'nhi_SUB',
        taskId: 'task_01TRIAGE',
      });
    });

    it('401 without a challenge error when no token is sent; invalid_request when malformed', async () => {
      const res = await get('/tickets');
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="tickets"');
      const malformed = await get('/tickets', 'Basic dXNlcjpwYXNz');
      expect(malformed.status).toBe(401);
      expect(malformed.headers.get('www-authenticate')).toMatch(
        /^Bearer realm="tickets", error="invalid_request"/,
      );
    });

    it('401 invalid_token for a bad token, without echoing it', async () => {
      const expired = t.mint({
        iat: Math.floor(Date.now() / 1000) - 600,
        exp: Math.floor(Date.now() / 1000) - 300,
      });
      const res = await get('/tickets', `Bearer ${expired}`);
      expect(res.status).toBe(401);
      const challenge = res.headers.get('www-authenticate')!;
      expect(challenge).toMatch(
        /^Bearer realm="tickets", error="invalid_token", error_description="token has expired"$/,
      );
      const body = await res.text();
      expect(JSON.parse(body)).toEqual({ error: 'invalid_token', error_description: 'token has expired' });
      expect(body + challenge).not.toContain(expired.split('.')[1]!);
      expect((await get('/tickets', `Bearer ${t.mint({ aud: 'https://elsewhere' })}`)).status).toBe(401);
    });

    it('403 insufficient_scope naming the required scope', async () => {
      const res = await get('/tickets/admin', `Bearer ${t.mint()}`);
      expect(res.status).toBe(403);
      expect(res.headers.get('www-authenticate')).toBe(
        'Bearer realm="tickets", error="insufficient_scope", error_description="requires scope tickets:admin", scope="tickets:read tickets:admin"',
      );
      expect(
        (await get('/tickets/admin', `Bearer ${t.mint({ scope: 'tickets:read tickets:admin' })}`)).status,
      ).toBe(200);
    });
  });
}

let app: FastifyInstance;
let fastifyUrl = '';
beforeAll(async () => {
  app = Fastify();
  app.addHook('onRequest', keywardFastify(verifier, { realm: 'tickets', requiredScopes: ['tickets:read'] }));
  app.get('/tickets', async (request) => ({
    subject: request.keyward?.subject,
    actor: request.keyward?.actor,
    taskId: request.keyward?.taskId,
  }));
  app.get(
    '/tickets/admin',
    {
      preHandler: keywardFastify(verifier, {
        realm: 'tickets',
        requiredScopes: ['tickets:read', 'tickets:admin'],
      }),
    },
    async () => ({ ok: true }),
  );
  fastifyUrl = await app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await app?.close();
});
suite('keywardFastify', () => fastifyUrl);

let server: http.Server;
let expressUrl = '';
beforeAll(async () => {
  const read = keywardExpress(verifier, { realm: 'tickets', requiredScopes: ['tickets:read'] });
  const admin = keywardExpress(verifier, {
    realm: 'tickets',
    requiredScopes: ['tickets:read', 'tickets:admin'],
  });
  server = http.createServer((req, res) => {
    const r = req as http.IncomingMessage & KeywardExpressRequest;
    (req.url === '/tickets/admin' ? admin : read)(r, res, (err) => {
      if (err) {
        res.statusCode = 500;
        res.end();
        return;
      }
      res.setHeader('content-type', 'application/json');
      const k = r.keyward!;
      res.end(
        JSON.stringify(
          req.url === '/tickets/admin'
            ? { ok: true }
            : { subject: k.subject, actor: k.actor, taskId: k.taskId },
        ),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  expressUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
});
suite('keywardExpress', () => expressUrl);
