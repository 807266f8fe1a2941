/**
 * Posture over HTTP and the CLI against a real server: `POST /v1/posture/evaluate` (admin only,
 * whole estate or given identities, problem+json errors) and `keyward posture evaluate`; and the
 * demo estate, which must raise findings of most NHI codes after one evaluation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../../src/cli/cli-io.js';
import { runCli } from '../../src/cli/program.js';
import type { Finding } from '../../src/discovery/discovery-types.js';
import type { PostureCounts } from '../../src/posture/posture-reconcile.js';
import { apiCall, startTestServer, type TestServer } from '../test-server.js';

const call = (srv: TestServer, method: string, path: string, body?: unknown, token = srv.adminToken) =>
  apiCall<Record<string, unknown>>(srv.url, method, path, token, body);

describe('POST /v1/posture/evaluate', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer();
  });
  afterAll(async () => {
    await srv?.close();
  });

  it('evaluates as admin, incrementally by id, and refuses others', async () => {
    const human = await call(srv, 'POST', '/v1/humans', {
      email: 'gone@example.com',
      name: 'Gone',
      active: false,
    });
    expect(human.status).toBe(201);
    const made = await call(srv, 'POST', '/v1/identities', {
      name: 'left-behind',
      kind: 'service_account',
      environment: 'dev',
      ownerId: human.body['id'],
    });
    expect(made.status).toBe(201);
    const full = await call(srv, 'POST', '/v1/posture/evaluate', {});
    expect(full.status).toBe(200);
    // The posture watcher may have opened it already, on the identity's creation.
    expect(full.body).toMatchObject({ evaluated: 1, byCode: { NHI1: 1 } });
    const listed = await call(srv, 'GET', '/v1/findings?code=NHI1');
    expect((listed.body['items'] as Finding[]).map((f) => f.rule)).toEqual(['owner-gone']);

    const one = await call(srv, 'POST', '/v1/posture/evaluate', { identityIds: [made.body['id']] });
    expect(one.body).toMatchObject({ evaluated: 1, opened: 0, updated: 0 });
    const unknown = await call(srv, 'POST', '/v1/posture/evaluate', {
      identityIds: ['idn_0190a0b0c0d0e0f00000000000000099'],
    });
    expect(unknown.status).toBe(404);
    expect(unknown.type).toContain('application/problem+json');
    const bad = await call(srv, 'POST', '/v1/posture/evaluate', { identityIds: 'x' });
    expect(bad.status).toBe(400);

    const op = await call(srv, 'POST', '/v1/api-tokens', { name: 'op', role: 'operator' });
    const denied = await call(srv, 'POST', '/v1/posture/evaluate', {}, op.body['secret'] as string);
    expect(denied.status).toBe(403);
    expect(denied.body['code']).toBeDefined();
  });

  it('keyward posture evaluate prints the counts, by name, and --json', async () => {
    const env = { KEYWARD_URL: srv.url, KEYWARD_TOKEN: srv.adminToken };
    const table = captureIo(env);
    expect(await runCli(['posture', 'evaluate'], table.io), table.err()).toBe(0);
    expect(table.out()).toContain('evaluated');
    expect(table.out()).toContain('NHI1');
    const json = captureIo(env);
    expect(
      await runCli(['posture', 'evaluate', '--identity', 'left-behind', '--json'], json.io),
      json.err(),
    ).toBe(0);
    expect(JSON.parse(json.out())).toMatchObject({ evaluated: 1, opened: 0 });
  });
});

describe('the demo estate', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer({ demo: true });
  });
  afterAll(async () => {
    await srv?.close();
  });

  it('raises findings of most NHI codes after one evaluation', async () => {
    const counts = (await call(srv, 'POST', '/v1/posture/evaluate', {})).body as unknown as PostureCounts;
    const codes = Object.keys(counts.byCode).sort((a, b) => Number(a.slice(3)) - Number(b.slice(3)));
    // Shown in the test output: which NHI codes the demo estate covers, and the evaluation time.
    console.log(
      `demo posture: ${counts.evaluated} identities, ${counts.ms} ms, codes ${codes.join(' ')}`,
      counts.byCode,
    );
    for (const code of ['NHI1', 'NHI3', 'NHI4', 'NHI5', 'NHI6', 'NHI7', 'NHI8', 'NHI9'])
      expect(codes).toContain(code);
    const listed = await call(srv, 'GET', '/v1/findings?code=NHI5&limit=5');
    expect((listed.body['items'] as Finding[]).length).toBeGreaterThan(0);
  });

  it('shows every NHI code: the leaked key from its scan, and human use raised by detection', async () => {
    const open = async (code: string) =>
      (await call(srv, 'GET', `/v1/findings?code=${code}&status=open&limit=5`)).body['items'] as Finding[];
    const leaks = await open('NHI2');
    expect(leaks[0]?.title).toMatch(/AWS.*payments-api/i);
    // NHI10 arrives on its own: the reported browser use → detection alert → continuous evaluation.
    let human: Finding[] = [];
    for (let i = 0; i < 150 && human.length === 0; i++) {
      human = await open('NHI10');
      if (human.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(human[0]?.title).toMatch(/analytics-shared-key: used by a person/);
    for (let n = 1; n <= 10; n++) expect((await open(`NHI${n}`)).length, `NHI${n}`).toBeGreaterThan(0);
  });
});
