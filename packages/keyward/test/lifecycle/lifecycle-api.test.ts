/**
 * The lifecycle API over HTTP: offboarding cases are readable with any role (list with filters,
 * one case, 404 for an unknown one), running the jobs needs an admin token and reports each job.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Json } from '../task-fixtures.js';
import type { TestServer } from '../test-server.js';
import { deactivate, lifecycleServer, movableClock, ownedIdentity } from './lifecycle-fixtures.js';

describe('lifecycle API', () => {
  let srv: TestServer;
  let auditor: string;
  const get = async (path: string, token = srv.adminToken) => {
    const res = await fetch(srv.url + path, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: (await res.json()) as Json };
  };
  const run = async (token: string) => {
    const res = await fetch(`${srv.url}/v1/lifecycle/run`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    return { status: res.status, body: (await res.json()) as Json };
  };

  beforeAll(async () => {
    srv = await lifecycleServer(movableClock());
    auditor = (await srv.keyward.services.tokens.create('test', { name: 'auditor', role: 'auditor' })).secret;
    const leaver = await srv.keyward.services.humans.create('test', {
      email: 'gone@example.com',
      name: 'Gone',
    });
    await ownedIdentity(srv, leaver, 'gone-bot');
    await deactivate(srv, leaver);
  });
  afterAll(async () => {
    await srv.close();
  });

  it('lists and shows cases to any role', async () => {
    const list = await get('/v1/lifecycle/offboarding', auditor);
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({
      state: 'awaiting_reassignment',
      details: { email: 'gone@example.com' },
    });
    const one = await get(`/v1/lifecycle/offboarding/${list.body.items[0].id}`, auditor);
    expect(one.body).toEqual(list.body.items[0]);
    expect((await get('/v1/lifecycle/offboarding?state=closed')).body.items).toEqual([]);
    expect((await get('/v1/lifecycle/offboarding/off_0190f0c2a1b27c3d8e9f0a1b2c3d4e5f')).status).toBe(404);
    expect((await get('/v1/lifecycle/offboarding?state=bogus')).status).toBe(400);
  });

  it('runs the jobs for an admin only, reporting each', async () => {
    expect((await run(auditor)).status).toBe(403);
    const res = await run(srv.adminToken);
    expect(res.status).toBe(200);
    expect(res.body.jobs.map((j: Json) => [j.job, j.ran])).toEqual([
      ['lifecycle: offboarding', true],
      ['lifecycle: expiry', true],
      ['access reviews: deadlines', true],
      ['rotation: overlaps and schedules', true],
    ]);
  });
});
