/**
 * The access review API over HTTP: an admin starts a campaign, an operator attests, any role
 * reads the campaign with its progress; an auditor may not attest (403) and a decision outside
 * keep|reduce|retire is refused (400).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Json } from '../task-fixtures.js';
import { apiCall, type TestServer } from '../test-server.js';
import { DAY, lifecycleServer, movableClock, ownedIdentity, status } from './lifecycle-fixtures.js';

describe('access review API', () => {
  const clock = movableClock();
  let srv: TestServer;
  let auditor: string;
  let operator: string;
  let identityId: string;
  const call = (method: string, path: string, token: string, body?: unknown) =>
    apiCall<Json>(srv.url, method, path, token, body);

  beforeAll(async () => {
    srv = await lifecycleServer(clock);
    const tokens = srv.keyward.services.tokens;
    auditor = (await tokens.create('test', { name: 'auditor', role: 'auditor' })).secret;
    operator = (await tokens.create('test', { name: 'operator', role: 'operator' })).secret;
    const owner = await srv.keyward.services.humans.create('test', { email: 'o@example.com', name: 'Owner' });
    identityId = (await ownedIdentity(srv, owner, 'reviewed-bot')).id;
  });
  afterAll(async () => {
    await srv.close();
  });

  it('starts, attests, shows progress, and guards roles and input', async () => {
    const deadline = new Date(clock.now().getTime() + 14 * DAY).toISOString();
    expect((await call('POST', '/v1/lifecycle/reviews', operator, { name: 'q1', deadline })).status).toBe(
      403,
    );
    const started = await call('POST', '/v1/lifecycle/reviews', srv.adminToken, {
      name: 'q1',
      deadline,
      environment: 'dev',
    });
    expect(started.status).toBe(201);
    const id = started.body.id as string;
    expect(id).toMatch(/^rev_/);

    const attest = (token: string, body: unknown) =>
      call('POST', `/v1/lifecycle/reviews/${id}/attest`, token, body);
    expect((await attest(auditor, { identityId, decision: 'keep' })).status).toBe(403);
    expect((await attest(operator, { identityId, decision: 'maybe' })).status).toBe(400);
    const done = await attest(operator, { identityId, decision: 'retire', note: 'unused' });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ decision: 'retire', outcome: 'retired', note: 'unused' });
    expect(await status(srv, identityId)).toBe('disabled');
    expect((await attest(operator, { identityId, decision: 'keep' })).status).toBe(409);

    const shown = await call('GET', `/v1/lifecycle/reviews/${id}`, auditor);
    expect(shown.status).toBe(200);
    expect(shown.body.progress).toMatchObject({ total: 1, retire: 1, pending: 0 });
    const list = await call('GET', '/v1/lifecycle/reviews?state=open', auditor);
    expect(list.body.items.map((c: Json) => c.id)).toEqual([id]);
    expect(
      (await call('GET', '/v1/lifecycle/reviews/rev_0190f0c2a1b27c3d8e9f0a1b2c3d4e5f', auditor)).status,
    ).toBe(404);
  });
});
