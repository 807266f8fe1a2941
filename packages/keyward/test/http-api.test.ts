/**
 * The HTTP API end to end over real HTTP and a real SQLite store: authentication and roles, every
 * kind of bad input (each a problem+json with a stable code and nothing changed), optimistic
 * concurrency, and graph queries following live changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TEST_BACKENDS, type TestServer } from './test-server.js';

let srv: TestServer;

async function call(
  method: string,
  path: string,
  body?: unknown,
  init: { token?: string | null; headers?: Record<string, string>; raw?: string } = {},
) {
  const headers: Record<string, string> = { ...init.headers };
  const token = init.token === undefined ? srv.adminToken : init.token;
  if (token) headers['authorization'] = `Bearer ${token}`;
  let payload: string | undefined;
  if (init.raw !== undefined) payload = init.raw;
  else if (body !== undefined) payload = JSON.stringify(body);
  if (payload !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
  const res = await fetch(srv.url + path, {
    method,
    headers,
    ...(payload !== undefined ? { body: payload } : {}),
  });
  const text = await res.text();
  const json = /json/.test(res.headers.get('content-type') ?? '');
  return {
    status: res.status,
    headers: res.headers,
    body: text && json ? JSON.parse(text) : text || undefined,
  };
}

async function identityCount(): Promise<number> {
  return await srv.keyward.store.identities.count();
}

async function auditCount(): Promise<number> {
  return (await srv.keyward.store.audit.list({}, 10_000)).length;
}

function expectProblem(
  res: { status: number; headers: Headers; body: unknown },
  status: number,
  code: string,
) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, code });
  expect(typeof (res.body as { title: string }).title).toBe('string');
}

describe.each(TEST_BACKENDS)('HTTP API [%s]', (backend) => {
  let owner: { id: string };
  const future = new Date(Date.now() + 90 * 86_400_000).toISOString();

  beforeAll(async () => {
    srv = await startTestServer({ backend });
    owner = (await call('POST', '/v1/humans', { email: 'Ada@Example.com', name: 'Ada Lovelace' })).body;
  });
  afterAll(async () => {
    await srv?.close();
  });

  describe('authentication and roles', () => {
    it('answers health, readiness and the OpenAPI document without a token', async () => {
      expect((await call('GET', '/healthz', undefined, { token: null })).status).toBe(200);
      expect((await call('GET', '/readyz', undefined, { token: null })).body).toMatchObject({
        status: 'ready',
      });
      const doc = await call('GET', '/openapi.json', undefined, { token: null });
      expect(doc.status).toBe(200);
      expect(doc.body.openapi).toBe('3.1.0');
      expect(Object.keys(doc.body.paths)).toEqual(
        expect.arrayContaining([
          '/v1/identities',
          '/v1/identities/{id}/blast-radius',
          '/v1/graph/path',
          '/v1/edges',
        ]),
      );
    });

    it('refuses every API route without a valid token (401)', async () => {
      for (const path of [
        '/v1/identities',
        '/v1/humans',
        '/v1/resources',
        '/v1/edges',
        '/v1/summary',
        '/metrics',
      ]) {
        expectProblem(await call('GET', path, undefined, { token: null }), 401, 'unauthenticated');
      }
      expectProblem(
        await call('GET', '/v1/identities', undefined, { token: 'kw_not-a-real-token' }),
        401,
        'unauthenticated',
      );
      expectProblem(
        await call('GET', '/v1/identities', undefined, {
          token: null,
          headers: { authorization: 'Basic abc' },
        }),
        401,
        'unauthenticated',
      );
    });

    it('enforces roles: auditor reads only, operator cannot manage tokens (403), revoked tokens stop working', async () => {
      const auditor = (await call('POST', '/v1/api-tokens', { name: 'auditor', role: 'auditor' })).body;
      const operator = (await call('POST', '/v1/api-tokens', { name: 'op', role: 'operator' })).body;
      expect(auditor.secret).toMatch(/^kw_/);
      expect(auditor.token.prefix).toBe(auditor.secret.slice(0, 10));
      expect((await call('GET', '/v1/identities', undefined, { token: auditor.secret })).status).toBe(200);
      const before = await identityCount();
      expectProblem(
        await call(
          'POST',
          '/v1/identities',
          { name: 'x', kind: 'bot', environment: 'dev' },
          { token: auditor.secret },
        ),
        403,
        'forbidden',
      );
      expect(await identityCount()).toBe(before);
      expectProblem(
        await call('POST', '/v1/api-tokens', { name: 'sneaky', role: 'admin' }, { token: operator.secret }),
        403,
        'forbidden',
      );
      expect((await call('GET', '/metrics', undefined, { token: operator.secret })).status).toBe(200);
      const listed = await call('GET', '/v1/api-tokens');
      expect(JSON.stringify(listed.body)).not.toContain(auditor.secret);
      expect((await call('DELETE', `/v1/api-tokens/${auditor.token.id}`)).body.revokedAt).toBeTruthy();
      expectProblem(
        await call('GET', '/v1/identities', undefined, { token: auditor.secret }),
        401,
        'unauthenticated',
      );
    });
  });

  describe('bad input is refused with a clear problem and changes nothing', () => {
    it('malformed JSON', async () => {
      const before = await identityCount();
      expectProblem(
        await call('POST', '/v1/identities', undefined, { raw: '{"name": "a", ' }),
        400,
        'invalid_json',
      );
      expect(await identityCount()).toBe(before);
    });

    it('wrong types and unknown enum values', async () => {
      const res = await call('POST', '/v1/identities', { name: 42, kind: 'robot', environment: 'dev' });
      expectProblem(res, 400, 'validation_failed');
      expect(res.body.errors.length).toBeGreaterThan(0);
      expectProblem(
        await call('POST', '/v1/identities', {
          name: 'x',
          kind: 'bot',
          environment: 'dev',
          labels: { a: 1 },
        }),
        400,
        'validation_failed',
      );
      expectProblem(await call('GET', '/v1/identities?limit=abc'), 400, 'validation_failed');
    });

    it('unknown fields, naming the field', async () => {
      const res = await call('POST', '/v1/identities', {
        name: 'x',
        kind: 'bot',
        environment: 'dev',
        colour: 'red',
      });
      expectProblem(res, 400, 'validation_failed');
      expect(res.body.errors).toEqual([{ path: '/colour', message: 'unknown field' }]);
      expectProblem(await call('GET', '/v1/identities?colour=red'), 400, 'validation_failed');
    });

    it('oversized bodies', async () => {
      const before = await identityCount();
      const huge = { name: 'big', kind: 'bot', environment: 'dev', purpose: 'x'.repeat(2 * 1024 * 1024) };
      expectProblem(await call('POST', '/v1/identities', huge), 413, 'body_too_large');
      expect(await identityCount()).toBe(before);
    });

    it('unknown and malformed ids', async () => {
      expectProblem(await call('GET', `/v1/identities/nhi_${'0'.repeat(32)}`), 404, 'not_found');
      expectProblem(await call('GET', '/v1/identities/not-an-id'), 400, 'validation_failed');
      expectProblem(await call('GET', `/v1/identities/nhi_${'0'.repeat(32)}/blast-radius`), 404, 'not_found');
      expectProblem(await call('DELETE', `/v1/edges/edg_${'0'.repeat(32)}`), 404, 'not_found');
      expectProblem(await call('GET', '/v1/nope'), 404, 'route_not_found');
    });

    it('duplicate names', async () => {
      const input = { name: 'dup-bot', kind: 'bot', environment: 'dev' };
      expect((await call('POST', '/v1/identities', input)).status).toBe(201);
      const before = await identityCount();
      const audits = await auditCount();
      expectProblem(await call('POST', '/v1/identities', input), 409, 'already_exists');
      expect(await identityCount()).toBe(before);
      expect(await auditCount()).toBe(audits);
      expectProblem(
        await call('POST', '/v1/humans', { email: 'ada@example.com', name: 'Ada again' }),
        409,
        'already_exists',
      );
    });

    it('an active production identity without owner, purpose and an end', async () => {
      const before = await identityCount();
      const res = await call('POST', '/v1/identities', {
        name: 'prod-orphan',
        kind: 'service_account',
        environment: 'prod',
      });
      expectProblem(res, 422, 'policy_violation');
      expect(res.body.detail).toMatch(/owner, a purpose and an end/);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual([
        '/ownerId',
        '/purpose',
        '/reviewDate',
      ]);
      expect(await identityCount()).toBe(before);
      const ok = await call('POST', '/v1/identities', {
        name: 'prod-ok',
        kind: 'service_account',
        environment: 'prod',
        ownerId: owner.id,
        purpose: 'nightly billing export',
        credential: { expiresAt: future, rotationPeriodDays: 30 },
      });
      expect(ok.status).toBe(201);
      expect(ok.headers.get('etag')).toBe('"1"');
    });

    it('references to unknown records', async () => {
      expectProblem(
        await call('POST', '/v1/identities', {
          name: 'ghost-owned',
          kind: 'bot',
          environment: 'dev',
          ownerId: `hum_${'1'.repeat(32)}`,
        }),
        422,
        'invalid_reference',
      );
      const bot = (
        await call('POST', '/v1/identities', { name: 'edge-bot', kind: 'bot', environment: 'dev' })
      ).body;
      const edges = (await call('GET', '/v1/edges')).body.items.length;
      expectProblem(
        await call('POST', '/v1/edges', {
          kind: 'can_assume',
          fromId: bot.id,
          toId: `nhi_${'2'.repeat(32)}`,
        }),
        422,
        'invalid_reference',
      );
      expectProblem(
        await call('POST', '/v1/edges', { kind: 'owns', fromId: bot.id, toId: bot.id }),
        400,
        'validation_failed',
      );
      expect((await call('GET', '/v1/edges')).body.items.length).toBe(edges);
    });

    it('stale version on update, and updates that name no version', async () => {
      const created = (
        await call('POST', '/v1/identities', { name: 'versioned', kind: 'bot', environment: 'dev' })
      ).body;
      const first = await call('PATCH', `/v1/identities/${created.id}`, { purpose: 'first', version: 1 });
      expect(first.status).toBe(200);
      expect(first.body.version).toBe(2);
      const stale = await call('PATCH', `/v1/identities/${created.id}`, { purpose: 'second', version: 1 });
      expectProblem(stale, 412, 'version_conflict');
      expectProblem(
        await call('PATCH', `/v1/identities/${created.id}`, { purpose: 'third' }),
        428,
        'precondition_required',
      );
      const viaIfMatch = await call(
        'PATCH',
        `/v1/identities/${created.id}`,
        { purpose: 'fourth' },
        { headers: { 'if-match': '"2"' } },
      );
      expect(viaIfMatch.body).toMatchObject({ purpose: 'fourth', version: 3 });
      expect((await call('GET', `/v1/identities/${created.id}`)).body.purpose).toBe('fourth');
    });
  });

  describe('inventory and graph over HTTP', () => {
    it('lists with filters, search and cursor pagination', async () => {
      for (let i = 0; i < 5; i++) {
        await call('POST', '/v1/identities', {
          name: `page-${i}`,
          kind: 'api_key',
          environment: 'staging',
          labels: { team: i % 2 ? 'odd' : 'even' },
        });
      }
      const first = await call('GET', '/v1/identities?kind=api_key&environment=staging&limit=2');
      expect(first.body.items).toHaveLength(2);
      const second = await call(
        'GET',
        `/v1/identities?kind=api_key&environment=staging&limit=2&cursor=${first.body.nextCursor}`,
      );
      const third = await call(
        'GET',
        `/v1/identities?kind=api_key&environment=staging&limit=2&cursor=${second.body.nextCursor}`,
      );
      const names = [...first.body.items, ...second.body.items, ...third.body.items].map(
        (i: { name: string }) => i.name,
      );
      expect(names).toEqual(['page-0', 'page-1', 'page-2', 'page-3', 'page-4']);
      expect(third.body.nextCursor).toBeNull();
      expect(
        (await call('GET', '/v1/identities?label=team%3Dodd')).body.items.map(
          (i: { name: string }) => i.name,
        ),
      ).toEqual(['page-1', 'page-3']);
      expect((await call('GET', '/v1/identities?q=PAGE-4')).body.items).toHaveLength(1);
    });

    it('answers blast radius, lineage and path from live changes', async () => {
      const mk = async (path: string, body: unknown) => (await call('POST', path, body)).body;
      const sys = await mk('/v1/systems', { name: 'billing', sensitivity: 'critical' });
      const db = await mk('/v1/resources', {
        name: 'billing-db',
        kind: 'database',
        systemId: sys.id,
        sensitivity: 'critical',
      });
      const vault = await mk('/v1/resources', {
        name: 'vault-billing',
        kind: 'secret_store',
        sensitivity: 'high',
      });
      const ci = await mk('/v1/identities', {
        name: 'g-ci',
        kind: 'workload',
        environment: 'dev',
        ownerId: owner.id,
      });
      const role = await mk('/v1/identities', {
        name: 'g-role',
        kind: 'service_account',
        environment: 'dev',
      });
      const dbKey = await mk('/v1/identities', { name: 'g-db-key', kind: 'api_key', environment: 'dev' });
      const edge = async (kind: string, fromId: string, toId: string, actions?: string[]) =>
        (await call('POST', '/v1/edges', { kind, fromId, toId, ...(actions ? { actions } : {}) })).body;
      await edge('can_assume', ci.id, role.id);
      await edge('has_permission', role.id, vault.id, ['read']);
      await edge('stored_in', dbKey.id, vault.id);
      await edge('has_permission', dbKey.id, db.id, ['read', 'write']);
      await edge('created', ci.id, dbKey.id);
      await edge('owns', owner.id, ci.id);

      const blast = (await call('GET', `/v1/identities/${ci.id}/blast-radius`)).body;
      expect(blast.subject.name).toBe('g-ci');
      expect(blast.entries[0].node.name).toBe('billing-db');
      expect(blast.entries[0].actions).toEqual(['read', 'write']);
      expect(blast.entries[0].path.map((s: { kind: string }) => s.kind)).toEqual([
        'can_assume',
        'has_permission',
        'stored_in',
        'has_permission',
      ]);
      expect(blast.totals.bySensitivity.critical).toBe(1);

      const path = (await call('GET', `/v1/graph/path?from=${ci.id}&to=${db.id}`)).body;
      expect(path.reachable).toBe(true);
      expect(path.nodes.map((n: { name: string }) => n.name)).toEqual([
        'g-ci',
        'g-role',
        'vault-billing',
        'g-db-key',
        'billing-db',
      ]);

      const lineage = (await call('GET', `/v1/identities/${dbKey.id}/lineage`)).body;
      expect(lineage.ancestors.map((e: { node: { name: string } }) => e.node.name)).toEqual([
        'g-ci',
        'Ada Lovelace',
      ]);

      // Disabling the assumed role cuts every path through it, at once.
      await call('POST', `/v1/identities/${role.id}/disable`, { reason: 'unused' });
      const after = (await call('GET', `/v1/graph/path?from=${ci.id}&to=${db.id}`)).body;
      expect(after.reachable).toBe(false);
      expect((await call('GET', `/v1/identities/${ci.id}/blast-radius`)).body.totals.reachable).toBe(0);
    });

    it('reports metrics in Prometheus text and writes an audit event per change', async () => {
      const res = await fetch(`${srv.url}/metrics`, {
        headers: { authorization: `Bearer ${srv.adminToken}` },
      });
      const text = await res.text();
      expect(text).toContain('keyward_http_requests_total');
      expect(text).toMatch(/keyward_graph_edges \d+/);
      const events = await srv.keyward.store.audit.list({ type: 'identity.disabled' }, 10);
      expect(events).toHaveLength(1);
      expect(events[0]?.details['reason']).toBe('unused');
    });
  });
});
