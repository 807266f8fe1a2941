/**
 * The console's read endpoints against a real server (SQLite, and PostgreSQL when
 * KEYWARD_TEST_DATABASE_URL is set): `GET /v1/overview` (shape, every NHI code, counts of what was
 * made over the API and in the store, day points) and `GET /v1/findings/counts` (every asked id,
 * worst severity, problem+json on bad input), auditors allowed, anonymous callers refused, both in
 * the OpenAPI document.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/discovery/discovery-types.js';
import { newId } from '../../src/ids.js';
import { apiCall, startTestServer, TEST_BACKENDS, type TestServer } from '../test-server.js';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field.
type Json = any;

const CODES = ['NHI1', 'NHI2', 'NHI3', 'NHI4', 'NHI5', 'NHI6', 'NHI7', 'NHI8', 'NHI9', 'NHI10'];
const SERIES = [
  'identitiesCreated',
  'findingsOpened',
  'findingsResolved',
  'alertsRaised',
  'credentialsIssued',
];

const aFinding = (over: Partial<Finding>): Finding => {
  const at = new Date().toISOString();
  return {
    id: newId('finding'),
    code: 'NHI5',
    rule: 'test-rule',
    severity: 'high',
    status: 'open',
    dedupKey: `test:${newId('finding')}`,
    title: 'test finding',
    identityId: null,
    credentialId: null,
    evidence: {},
    remedy: 'fix it',
    firstSeenAt: at,
    lastSeenAt: at,
    resolvedAt: null,
    resolution: null,
    acceptedUntil: null,
    note: null,
    createdAt: at,
    updatedAt: at,
    version: 1,
    ...over,
  };
};

describe.each(TEST_BACKENDS)('console overview endpoints (%s)', (backend) => {
  let srv: TestServer;
  let auditor: string;
  let worker: string;
  let quiet: string;
  const call = (path: string, token = auditor) => apiCall<Json>(srv.url, 'GET', path, token);

  beforeAll(async () => {
    srv = await startTestServer({ backend });
    const admin = (method: string, path: string, body?: unknown) =>
      apiCall<Json>(srv.url, method, path, srv.adminToken, body);
    auditor = (await admin('POST', '/v1/api-tokens', { name: 'aud', role: 'auditor' })).body.secret;
    const made = [];
    for (const name of ['ov-worker', 'ov-quiet', 'ov-gone']) {
      const r = await admin('POST', '/v1/identities', { name, kind: 'service_account', environment: 'dev' });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      made.push(r.body);
    }
    [worker, quiet] = [made[0].id, made[1].id];
    const gone = made[2];
    const off = await apiCall<Json>(srv.url, 'PATCH', `/v1/identities/${gone.id}`, srv.adminToken, {
      status: 'disabled',
      version: gone.version,
    });
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    // Posture rules may raise findings of their own; these are the ones the test counts on.
    const findings = srv.keyward.store.findings;
    await findings.create(aFinding({ code: 'NHI5', severity: 'critical', identityId: worker }));
    await findings.create(aFinding({ code: 'NHI5', severity: 'low', identityId: worker }));
    await findings.create(
      aFinding({ code: 'NHI10', severity: 'medium', identityId: worker, status: 'accepted' }),
    );
  });
  afterAll(async () => {
    await srv?.close();
  });

  it('GET /v1/overview answers the documented shape for auditors', async () => {
    const r = await call('/v1/overview?days=3');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const o = r.body;
    expect(Object.keys(o).sort()).toEqual([
      'alertsBySeverity',
      'findingsByCode',
      'generatedAt',
      'live',
      'trends',
    ]);
    expect(Number.isNaN(Date.parse(o.generatedAt))).toBe(false);
    expect(o.live).toMatchObject({
      identities: 2,
      activeTasks: 0,
      activeLeases: 0,
      liveAccessTokens: 0,
      pendingApprovals: 0,
      openAlerts: 0,
    });
    expect(o.findingsByCode.map((c: Json) => c.code)).toEqual(CODES);
    for (const c of o.findingsByCode) {
      expect(Object.keys(c).sort()).toEqual(['code', 'critical', 'high', 'low', 'medium', 'total']);
      expect(c.total).toBe(c.critical + c.high + c.medium + c.low);
    }
    const nhi5 = o.findingsByCode.find((c: Json) => c.code === 'NHI5');
    expect(nhi5.critical).toBeGreaterThanOrEqual(1);
    expect(nhi5.low).toBeGreaterThanOrEqual(1);
    expect(o.live.openFindings).toBe(o.findingsByCode.reduce((n: number, c: Json) => n + c.total, 0));
    expect(o.alertsBySeverity).toEqual([
      { severity: 'critical', open: 0 },
      { severity: 'high', open: 0 },
      { severity: 'medium', open: 0 },
      { severity: 'low', open: 0 },
    ]);

    expect(o.trends.days).toBe(3);
    expect(o.trends.series.map((s: Json) => s.name)).toEqual(SERIES);
    const today = o.generatedAt.slice(0, 10);
    const day = (offset: number) =>
      new Date(Date.parse(today) - offset * 86_400_000).toISOString().slice(0, 10);
    for (const s of o.trends.series) expect(s.points.map((p: Json) => p.t)).toEqual([day(2), day(1), day(0)]);
    const series = (name: string) => o.trends.series.find((s: Json) => s.name === name).points;
    // Summed, not read off today's point: a run across UTC midnight puts some on yesterday.
    const sum = (name: string) => series(name).reduce((n: number, p: Json) => n + p.v, 0);
    expect(sum('identitiesCreated')).toBe(3);
    expect(series('identitiesCreated')[0].v).toBe(0);
    expect(sum('findingsOpened')).toBeGreaterThanOrEqual(3);
    expect(series('credentialsIssued').map((p: Json) => p.v)).toEqual([0, 0, 0]);

    const wide = await call('/v1/overview');
    expect(wide.body.trends.days).toBe(30);
    expect(wide.body.trends.series[0].points).toHaveLength(30);
  });

  it('GET /v1/overview checks days and refuses anonymous callers', async () => {
    expect((await call('/v1/overview?days=365')).body.trends.series[4].points).toHaveLength(365);
    for (const days of ['0', '366', 'x']) {
      const r = await call(`/v1/overview?days=${days}`);
      expect(r.status).toBe(400);
      expect(r.type).toMatch(/^application\/problem\+json/);
      expect(r.body.code).toBe('validation_failed');
    }
    const anon = await fetch(`${srv.url}/v1/overview`);
    expect(anon.status).toBe(401);
    expect(((await anon.json()) as Json).code).toBe('unauthenticated');
    expect((await fetch(`${srv.url}/v1/findings/counts?identityIds=${worker}`)).status).toBe(401);
  });

  it('GET /v1/findings/counts answers every asked id with its open count and worst severity', async () => {
    const unknown = newId('identity');
    const r = await call(`/v1/findings/counts?identityIds=${worker},${quiet},${unknown},${worker}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(Object.keys(r.body.counts).sort()).toEqual([worker, quiet, unknown].sort());
    expect(r.body.counts[worker].worst).toBe('critical');
    expect(r.body.counts[worker].open).toBeGreaterThanOrEqual(2);
    expect(r.body.counts[unknown]).toEqual({ open: 0, worst: null });
    // The route is not taken for a finding id.
    expect((await call(`/v1/findings/${newId('finding')}`)).status).toBe(404);
  });

  it('GET /v1/findings/counts refuses bad and too many ids as problem+json', async () => {
    const many = Array.from({ length: 201 }, () => newId('identity')).join(',');
    for (const ids of ['', 'nope', newId('finding'), `${worker},,${quiet}`, many]) {
      const r = await call(`/v1/findings/counts?identityIds=${ids}`);
      expect(r.status, ids.slice(0, 60)).toBe(400);
      expect(r.type).toMatch(/^application\/problem\+json/);
      expect(r.body.code).toBe('validation_failed');
    }
    const missing = await call('/v1/findings/counts');
    expect(missing.status).toBe(400);
    const atLimit = Array.from({ length: 200 }, () => newId('identity'));
    const ok = await call(`/v1/findings/counts?identityIds=${atLimit.join(',')}`);
    expect(ok.status).toBe(200);
    expect(Object.keys(ok.body.counts)).toHaveLength(200);
  });

  it('documents both endpoints in the OpenAPI document', async () => {
    const doc = (await apiCall<Json>(srv.url, 'GET', '/openapi.json', auditor)).body;
    const overview = doc.paths['/v1/overview'].get;
    expect(
      overview.responses['200'].content['application/json'].schema.properties.findingsByCode,
    ).toBeDefined();
    expect(doc.paths['/v1/findings/counts'].get.parameters.map((p: Json) => p.name)).toContain('identityIds');
  });
});
