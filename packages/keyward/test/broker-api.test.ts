/**
 * End to end over real HTTP: brokered database configuration (admin only, password never echoed),
 * credential leases listed and revoked by operators, and the broker's Prometheus metrics. The
 * target is a scratch PostgreSQL database; Keyward's own store is SQLite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrokerTarget, createBrokerTarget } from './broker-target.js';
import { startTestServer, TEST_DATABASE_URL, type TestServer } from './test-server.js';

describe.skipIf(!TEST_DATABASE_URL)('broker HTTP API', () => {
  let srv: TestServer;
  let target: BrokerTarget;
  let operator: string;
  let auditor: string;

  async function call(method: string, path: string, body?: unknown, token: string = srv.adminToken) {
    const res = await fetch(srv.url + path, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return {
      status: res.status,
      text,
      body: text && /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : text,
    };
  }
  const config = () => ({
    name: 'analytics',
    adminUrl: target.adminUrl,
    rolePrefix: target.rolePrefix,
    grants: ['GRANT SELECT ON ALL TABLES IN SCHEMA public TO {{role}}'],
    maxTtlSeconds: 900,
  });

  beforeAll(async () => {
    target = await createBrokerTarget(TEST_DATABASE_URL!);
    srv = await startTestServer({ revocationIntervalMs: 60_000 });
    operator = (await call('POST', '/v1/api-tokens', { name: 'ops', role: 'operator' })).body.secret;
    auditor = (await call('POST', '/v1/api-tokens', { name: 'aud', role: 'auditor' })).body.secret;
  });
  afterAll(async () => {
    await srv?.close();
    await target?.cleanup();
  });

  it('configures a brokered database; only admins may, and the password never comes back', async () => {
    expect((await call('POST', '/v1/brokers/postgres', config(), operator)).status).toBe(403);
    const created = await call('POST', '/v1/brokers/postgres', config());
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'analytics',
      rolePrefix: target.rolePrefix,
      maxTtlSeconds: 900,
    });
    expect(created.body.adminUrl).toMatch(/^postgres:\/\/postgres:\*\*\*\*@127\.0\.0\.1:5432\//);
    expect((await call('POST', '/v1/brokers/postgres', config())).body).toMatchObject({
      code: 'already_exists',
    });
    const bad = await call('POST', '/v1/brokers/postgres', {
      ...config(),
      name: 'x',
      grants: ['GRANT ALL ON items TO {{role}}; DROP TABLE items'],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ path: '/grants/0', message: 'one statement per entry (no ";")' }]);
    const list = await call('GET', '/v1/brokers/postgres');
    expect(list.body.items.map((d: { name: string }) => d.name)).toEqual(['analytics']);
    const one = await call('GET', '/v1/brokers/postgres/analytics');
    expect(one.status).toBe(200);
    const { name: _n, ...replacement } = { ...config(), maxTtlSeconds: 1200 };
    expect((await call('PUT', '/v1/brokers/postgres/analytics', replacement)).body.maxTtlSeconds).toBe(1200);
    for (const text of [created.text, list.text, one.text]) expect(text).not.toContain(target.adminPassword);
    const events = await srv.keyward.store.audit.list({ type: 'broker.database.configured' }, 10);
    expect(JSON.stringify(events)).not.toContain(target.adminPassword);
  });

  it('lists and revokes leases (operators yes, auditors no); reports them in /metrics', async () => {
    const broker = srv.keyward.services.broker;
    const c = await broker.issue({
      database: 'analytics',
      ownerRef: 'task-42',
      ttlSeconds: 300,
      actor: 'system',
    });
    expect((await call('GET', '/v1/brokers/leases', undefined, auditor)).status).toBe(403);
    const active = await call('GET', '/v1/brokers/leases?status=active', undefined, operator);
    expect(active.status).toBe(200);
    expect(active.body.items).toEqual([c.lease]);
    expect(active.text).not.toContain(c.password);
    expect((await call('GET', '/v1/brokers/leases?status=bogus', undefined, operator)).status).toBe(400);
    expect(
      (await call('GET', '/v1/brokers/leases?ownerRef=task-42', undefined, operator)).body.items,
    ).toHaveLength(1);
    expect((await call('DELETE', '/v1/brokers/postgres/analytics')).body).toMatchObject({
      code: 'policy_violation',
    });

    const metrics = await call('GET', '/metrics');
    expect(metrics.text).toMatch(/keyward_broker_leases\{status="active"\} 1/);
    expect(metrics.text).toMatch(/keyward_broker_revocations_failed_pending 0/);

    const revoked = await call('POST', `/v1/brokers/leases/${c.leaseId}/revoke`, undefined, operator);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: c.leaseId, status: 'revoked', attempts: 1 });
    expect(await target.rolesWithPrefix()).not.toContain(c.username);
    expect((await call('GET', `/v1/brokers/leases/${c.leaseId}`, undefined, operator)).body.status).toBe(
      'revoked',
    );
    expect(
      (await call('GET', '/v1/brokers/leases?status=revoked', undefined, operator)).body.items,
    ).toHaveLength(1);
    expect((await call('GET', '/metrics')).text).toMatch(
      /keyward_broker_revocation_attempts_total\{outcome="revoked"\} 1/,
    );
    expect(
      (
        await call(
          'POST',
          '/v1/brokers/leases/lea_0190a0b0c0d0e0f00000000000000001/revoke',
          undefined,
          operator,
        )
      ).status,
    ).toBe(404);

    expect((await call('DELETE', '/v1/brokers/postgres/analytics')).status).toBe(204);
    expect((await call('GET', '/v1/brokers/postgres/analytics')).status).toBe(404);
  });
});
