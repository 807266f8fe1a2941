/**
 * The rotation faces: over HTTP an admin sets a schedule and rotates an API key (the new secret
 * authenticates, the answer carries it once), an operator may not (403), bad input is problem+json
 * 400/404/409; and the `keyward rotation` commands in-process against the same server, table and --json.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../../src/cli/cli-io.js';
import { runCli } from '../../src/cli/program.js';
import type { Json } from '../task-fixtures.js';
import { apiCall, type TestServer } from '../test-server.js';
import { lifecycleServer, movableClock } from './lifecycle-fixtures.js';

describe('rotation API and CLI', () => {
  const clock = movableClock(Date.parse('2026-03-02T09:00:00Z'));
  let srv: TestServer;
  let operator: string;
  const call = (method: string, path: string, token: string, body?: unknown) =>
    apiCall<Json>(srv.url, method, path, token, body);
  async function cli(args: string[]) {
    const cap = captureIo({ KEYWARD_URL: srv.url, KEYWARD_TOKEN: srv.adminToken });
    const code = await runCli(args, cap.io);
    return { code, out: cap.out(), err: cap.err() };
  }

  beforeAll(async () => {
    srv = await lifecycleServer(clock);
    operator = (await srv.keyward.services.tokens.create('test', { name: 'operator', role: 'operator' }))
      .secret;
    await srv.keyward.services.tokens.create('test', { name: 'ci', role: 'operator' });
    await srv.keyward.services.tokens.create('test', { name: 'etl', role: 'auditor' });
  });
  afterAll(async () => {
    await srv.close();
  });

  it('sets schedules, rotates, lists, and guards roles and input over HTTP', async () => {
    const put = (token: string, body: unknown) =>
      call('PUT', '/v1/lifecycle/rotation-schedules', token, body);
    expect((await put(operator, { subject: 'kind:service_account', every: '90d' })).status).toBe(403);
    const bad = await put(srv.adminToken, { subject: 'kind:service_account', every: 'often' });
    expect(bad.status).toBe(400);
    expect(bad.type).toMatch(/problem\+json/);
    expect(
      (await put(srv.adminToken, { subject: 'kind:service_account', every: 'P90D' })).body,
    ).toMatchObject({
      subject: 'kind:service_account',
      periodDays: 90,
    });
    expect((await call('GET', '/v1/lifecycle/rotation-schedules', operator)).body.items).toHaveLength(1);

    expect((await call('POST', '/v1/lifecycle/rotations', operator, { target: 'api-key:ci' })).status).toBe(
      403,
    );
    expect(
      (await call('POST', '/v1/lifecycle/rotations', srv.adminToken, { target: 'api-key:nope' })).status,
    ).toBe(404);
    expect((await call('POST', '/v1/lifecycle/rotations', srv.adminToken, { target: 'db:x' })).status).toBe(
      400,
    );
    const ran = await call('POST', '/v1/lifecycle/rotations', srv.adminToken, {
      target: 'api-key:ci',
      overlapSeconds: 3600,
    });
    expect(ran.status).toBe(201);
    expect(ran.body.rotation).toMatchObject({ state: 'overlapping', target: 'api-key:ci' });
    const whoami = await srv.keyward.services.tokens.authenticate(ran.body.secret);
    expect(whoami).toMatchObject({ name: 'ci', role: 'operator' });
    expect(
      (await call('POST', '/v1/lifecycle/rotations', srv.adminToken, { target: 'api-key:ci' })).status,
    ).toBe(409);
    const list = await call('GET', '/v1/lifecycle/rotations', operator);
    expect(list.body.items.map((r: Json) => r.id)).toContain(ran.body.rotation.id);
    expect(
      (await call('GET', `/v1/lifecycle/rotations/${ran.body.rotation.id}`, operator)).body.secret,
    ).toBeUndefined();
    expect((await call('GET', '/v1/lifecycle/rotations/due', operator)).status).toBe(200);
  });

  it('runs the rotation commands, table and --json', async () => {
    const set = await cli(['rotation', 'schedule', 'set', '--kind', 'ai_agent', '--every', '30d']);
    expect(set.code).toBe(0);
    expect(set.out).toContain('kind:ai_agent');
    expect(
      (await cli(['rotation', 'schedule', 'set', 'signing-key', '--kind', 'x', '--every', '1d'])).code,
    ).not.toBe(0);

    const due = await cli(['rotation', 'due', '--json']);
    expect(due.code).toBe(0);
    expect(JSON.parse(due.out)).toHaveProperty('items');

    const proposed = await cli(['rotation', 'run', 'api-key:etl', '--proposal', '{"grants":[]}', '--json']);
    expect(proposed.code).toBe(0);
    const waiting = JSON.parse(proposed.out).rotation as Json;
    expect(waiting).toMatchObject({ state: 'waiting', proposalState: 'pending' });
    expect((await cli(['rotation', 'run', 'api-key:etl'])).code).not.toBe(0);
    expect((await cli(['rotation', 'dismiss', waiting.id])).out).toContain('dismissed');

    const run = await cli(['rotation', 'run', 'api-key:etl', '--overlap', '2h']);
    expect(run.code).toBe(0);
    expect(run.out).toContain('new API key (shown once');
    expect(run.out).toMatch(/\nkw_[\w-]{40,}\n/);
    const key = await cli(['rotation', 'run', 'signing-key', '--json']);
    expect(JSON.parse(key.out).rotation).toMatchObject({ state: 'done', target: 'signing-key' });

    const list = await cli(['rotation', 'list']);
    expect(list.code).toBe(0);
    expect(list.out).toContain('api-key:etl');
    expect(list.out).toContain('signing-key');
  });
});
