/**
 * KeywardAgent against a STAND-IN token endpoint: a local Fastify stub of /oauth2/token and
 * /v1/tasks written for this unit test only (the real endpoint is exercised end to end once the
 * server side lands). Checks the client assertion format, the form fields, caching, single-flight,
 * refresh before expiry, token exchange and OAuth error mapping.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, jwtVerify } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { KeywardAgent, KeywardApiError, KeywardOAuthError } from '../src/index.js';

const IDENTITY = 'nhi_01TESTAGENT';

describe('KeywardAgent (against a stand-in token endpoint)', () => {
  let stub: FastifyInstance;
  let issuer: string;
  let keys: Awaited<ReturnType<typeof generateKeyPair>>;
  let forms: Array<Record<string, string>> = [];
  let taskBodies: Array<{
    url: string;
    auth: string | undefined;
    headers: Record<string, string | undefined>;
    body: Record<string, unknown>;
  }> = [];
  let nextResponse: { status: number; body: unknown; delayMs?: number } | undefined;
  let issued = 0;

  beforeAll(async () => {
    keys = await generateKeyPair('ES256');
    stub = Fastify();
    stub.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
    );
    // STAND-IN for Keyward's /oauth2/token — only for this unit test.
    stub.post('/oauth2/token', async (req, reply) => {
      forms.push(req.body as Record<string, string>);
      const r = nextResponse ?? { status: 200, body: undefined };
      if (r.delayMs) await new Promise((res) => setTimeout(res, r.delayMs));
      if (r.status !== 200 || r.body !== undefined) return reply.code(r.status).send(r.body);
      issued++;
      return { access_token: `at-${issued}`, token_type: 'Bearer', expires_in: 300, scope: 'tickets:read' };
    });
    // STAND-IN for /v1/tasks — only for this unit test.
    stub.post('/v1/tasks*', async (req, reply) => {
      taskBodies.push({
        url: req.url,
        auth: req.headers.authorization,
        headers: req.headers as Record<string, string | undefined>,
        body: req.body as Record<string, unknown>,
      });
      return reply.code(req.url === '/v1/tasks' ? 201 : 200).send({ id: 'task_1', status: 'active' });
    });
    issuer = await stub.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await stub?.close();
  });
  beforeEach(() => {
    forms = [];
    taskBodies = [];
    nextResponse = undefined;
  });

  const agent = (o: { now?: () => number } = {}) =>
    new KeywardAgent({
      issuer,
      identityId: IDENTITY,
      privateKey: keys.privateKey,
      alg: 'ES256',
      kid: 'k1',
      ...o,
    });

  it('sends a fresh, well-formed private_key_jwt assertion with every token request', async () => {
    const a = agent();
    await a.getToken({ taskId: 'task_1', resource: 'https://tickets.example', scopes: ['b', 'a'] });
    await a.getToken({ taskId: 'task_2', resource: 'https://tickets.example' });
    expect(forms).toHaveLength(2);
    const [f1, f2] = forms as [Record<string, string>, Record<string, string>];
    expect(f1).toMatchObject({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      task_id: 'task_1',
      resource: 'https://tickets.example',
      scope: 'b a',
    });
    expect(f2.scope).toBeUndefined();
    const { payload, protectedHeader } = await jwtVerify(f1.client_assertion!, keys.publicKey, {
      audience: `${issuer}/oauth2/token`,
    });
    expect(protectedHeader).toMatchObject({ alg: 'ES256', kid: 'k1' });
    expect(payload.iss).toBe(IDENTITY);
    expect(payload.sub).toBe(IDENTITY);
    expect(payload.exp! - payload.iat!).toBe(60);
    expect(payload.jti).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(decodeJwt(f2.client_assertion!).jti).not.toBe(payload.jti);
  });

  it('signs with a private JWK too', async () => {
    const jwk = await exportJWK((await generateKeyPair('EdDSA', { extractable: true })).privateKey);
    const a = new KeywardAgent({ issuer, identityId: IDENTITY, privateKey: jwk, alg: 'EdDSA' });
    const assertion = await a.clientAssertion();
    expect(decodeProtectedHeader(assertion).alg).toBe('EdDSA');
  });

  it('caches per (task, resource, sorted scopes) and shares one request between concurrent calls', async () => {
    const a = agent();
    nextResponse = { status: 200, body: undefined, delayMs: 50 };
    const results = await Promise.all(
      Array.from({ length: 5 }, () => a.getToken({ taskId: 't', resource: 'r', scopes: ['x', 'y'] })),
    );
    expect(forms).toHaveLength(1);
    expect(new Set(results.map((r) => r.accessToken)).size).toBe(1);
    const again = await a.getToken({ taskId: 't', resource: 'r', scopes: ['y', 'x'] });
    expect(again.accessToken).toBe(results[0]!.accessToken);
    expect(forms).toHaveLength(1);
    await a.getToken({ taskId: 't', resource: 'other' });
    expect(forms).toHaveLength(2);
    expect(results[0]!.scopes).toEqual(['tickets:read']);
  });

  it('refreshes a cached token skew seconds before it expires', async () => {
    let now = 1_000_000;
    const a = agent({ now: () => now });
    const first = await a.getToken({ taskId: 't', resource: 'r' });
    now += (300 - 31) * 1000;
    expect((await a.getToken({ taskId: 't', resource: 'r' })).accessToken).toBe(first.accessToken);
    now += 2000; // 29 s left: inside the 30 s skew
    expect((await a.getToken({ taskId: 't', resource: 'r' })).accessToken).not.toBe(first.accessToken);
    expect(forms).toHaveLength(2);
  });

  it('maps OAuth errors to KeywardOAuthError without leaking the assertion; failures are not cached', async () => {
    const a = agent();
    nextResponse = {
      status: 401,
      body: { error: 'invalid_client', error_description: 'jti was already used' },
    };
    const err = await a.getToken({ taskId: 't', resource: 'r' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeywardOAuthError);
    expect(err).toMatchObject({ error: 'invalid_client', description: 'jti was already used', status: 401 });
    expect(String((err as Error).message)).not.toContain(forms[0]!.client_assertion!);
    nextResponse = { status: 502, body: 'bad gateway' };
    await expect(a.getToken({ taskId: 't', resource: 'r' })).rejects.toMatchObject({ error: 'http_502' });
    nextResponse = undefined;
    expect((await a.getToken({ taskId: 't', resource: 'r' })).accessToken).toMatch(/^at-/);
    const offline = new KeywardAgent({
      issuer: 'http://127.0.0.1:9',
      identityId: IDENTITY,
      privateKey: keys.privateKey,
      alg: 'ES256',
    });
    await expect(offline.getToken({ taskId: 't', resource: 'r' })).rejects.toMatchObject({
      error: 'network_error',
      status: 0,
    });
  });

  it('exchanges a token for a sub-agent (RFC 8693) with an actor assertion', async () => {
    const a = agent();
    const t = await a.exchange({ subjectToken: 'upstream.jwt.x', resource: 'r', scopes: ['s'], taskId: 't' });
    expect(t.accessToken).toMatch(/^at-/);
    expect(forms[0]).toMatchObject({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token: 'upstream.jwt.x',
      subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      actor_token_type: 'urn:ietf:params:oauth:token-type:jwt',
      task_id: 't',
      resource: 'r',
      scope: 's',
    });
    expect(decodeJwt(forms[0]!.actor_token!).sub).toBe(IDENTITY);
    expect(forms[0]!.client_assertion).toBeUndefined();
    await a.exchange({
      subjectToken: 'id.token.x',
      subjectTokenType: 'urn:ietf:params:oauth:token-type:id_token',
      resource: 'r',
      taskId: 't',
      actorAuth: 'client_assertion',
    });
    expect(forms[1]!.client_assertion).toBeDefined();
    expect(forms[1]!.actor_token).toBeUndefined();
  });

  it('opens and completes tasks with configurable credentials; completing drops cached tokens', async () => {
    const a = agent();
    await expect(
      a.openTask({ intent: 'triage', scopes: ['s'], environment: 'prod', ttlSeconds: 600 }),
    ).rejects.toBeInstanceOf(TypeError);
    await a.openTask({
      sponsorId: 'hum_1',
      sponsorToken: 'sponsor.id.token',
      intent: 'triage',
      scopes: ['s'],
      environment: 'prod',
      ttlSeconds: 600,
    });
    expect(taskBodies[0]!.body).toMatchObject({ agent: IDENTITY, sponsor: 'hum_1', ttlSeconds: 600 });
    expect(taskBodies[0]!.headers['x-keyward-sponsor-token']).toBe('sponsor.id.token');
    expect(decodeJwt(taskBodies[0]!.headers['x-keyward-client-assertion']!).iss).toBe(IDENTITY);
    await a.getToken({ taskId: 'task_1', resource: 'r' });
    await a.completeTask('task_1', { apiToken: 'kw_test' });
    expect(taskBodies[1]).toMatchObject({ url: '/v1/tasks/task_1/complete', auth: 'Bearer kw_test' });
    expect(taskBodies[1]!.headers['x-keyward-client-assertion']).toBeUndefined();
    await a.getToken({ taskId: 'task_1', resource: 'r' });
    expect(forms).toHaveLength(2);
    const offline = new KeywardAgent({
      issuer: 'http://127.0.0.1:9',
      identityId: IDENTITY,
      federatedToken: async () => 'fed',
    });
    await expect(offline.cancelTask('x')).rejects.toBeInstanceOf(KeywardApiError);
  });

  it('presents the federated token as the client assertion', async () => {
    const a = new KeywardAgent({
      issuer,
      identityId: IDENTITY,
      federatedToken: async () => ' k8s.sa.token\n',
    });
    await a.getToken({ taskId: 't', resource: 'r' });
    expect(forms[0]!.client_assertion).toBe('k8s.sa.token');
  });
});
