/**
 * Right-sizing against a real server (SQLite, and PostgreSQL when KEYWARD_TEST_DATABASE_URL is
 * set): grants made over the API, use made by real `POST /v1/authorize` decisions, then
 * `GET /v1/posture/right-size/:id` (auditor or better, problem+json errors) and
 * `keyward posture right-size`. The proposed Cedar is applied back as a policy set, so the server's
 * own parser and schema validation accept it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../../src/cli/cli-io.js';
import { runCli } from '../../src/cli/program.js';
import type { RightSizeProposal } from '../../src/posture/right-sizing.js';
import { apiCall, startTestServer, TEST_BACKENDS, type TestServer } from '../test-server.js';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field.
type Json = any;

const call = (srv: TestServer, method: string, path: string, body?: unknown, token = srv.adminToken) =>
  apiCall<Json>(srv.url, method, path, token, body);

const POLICY = `
@id("active-reads")
permit (principal, action == Keyward::Action::"read", resource is Keyward::Resource)
when { principal has status && principal.status == "active" };
`;

describe.each(TEST_BACKENDS)('GET /v1/posture/right-size (%s)', (backend) => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer({ backend });
  });
  afterAll(async () => {
    await srv?.close();
  });

  it('proposes from real decisions, for auditors, with problem+json errors, and over the CLI', async () => {
    const worker = await call(srv, 'POST', '/v1/identities', {
      name: 'report-runner',
      kind: 'service_account',
      environment: 'dev',
    });
    expect(worker.status, JSON.stringify(worker.body)).toBe(201);
    const res: Record<string, Json> = {};
    for (const [name, sensitivity] of [
      ['orders-db', 'high'],
      ['payroll-db', 'critical'],
    ] as const) {
      const r = await call(srv, 'POST', '/v1/resources', {
        name,
        kind: 'database',
        environment: 'dev',
        sensitivity,
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      res[name] = r.body;
    }
    for (const [to, actions] of [
      ['orders-db', ['read', 'write']],
      ['payroll-db', ['read']],
    ] as const) {
      const e = await call(srv, 'POST', '/v1/edges', {
        kind: 'has_permission',
        fromId: worker.body.id,
        toId: res[to].id,
        actions,
      });
      expect(e.status, JSON.stringify(e.body)).toBe(201);
    }
    const applied = await call(srv, 'POST', '/v1/policies', {
      files: [{ name: 'reads.cedar', text: POLICY }],
      reason: 'right-size test',
    });
    expect(applied.status, JSON.stringify(applied.body)).toBe(201);
    const decision = await call(srv, 'POST', '/v1/authorize', {
      subject: { type: 'identity', id: worker.body.id },
      action: { name: 'read' },
      resource: { type: 'resource', id: res['orders-db'].id },
    });
    expect(decision.body.decision, JSON.stringify(decision.body)).toBe(true);

    const auditor = await call(srv, 'POST', '/v1/api-tokens', { name: 'aud', role: 'auditor' });
    const got = await call(
      srv,
      'GET',
      `/v1/posture/right-size/${worker.body.id}?window_days=7`,
      undefined,
      auditor.body.secret,
    );
    expect(got.status, JSON.stringify(got.body)).toBe(200);
    const p = got.body as RightSizeProposal;
    expect(p.windowDays).toBe(7);
    expect(p.unused).toEqual(
      expect.arrayContaining([
        { resourceId: res['orders-db'].id, actions: ['write'], removed: false },
        { resourceId: res['payroll-db'].id, actions: ['read'], removed: true },
      ]),
    );
    expect(p.blastRadius).toEqual({
      before: { reachable: 2, sensitive: 2, critical: 1, high: 1 },
      after: { reachable: 1, sensitive: 1, critical: 0, high: 1 },
    });
    // The proposal is a policy the server itself accepts (parse and schema validation).
    const reapplied = await call(srv, 'POST', '/v1/policies', {
      files: [
        { name: 'reads.cedar', text: POLICY },
        { name: 'right-size.cedar', text: p.cedar },
      ],
      reason: 'right-sized',
    });
    expect(reapplied.status, JSON.stringify(reapplied.body)).toBe(201);

    const unknown = await call(srv, 'GET', '/v1/posture/right-size/idn_0190a0b0c0d0e0f00000000000000099');
    expect(unknown.status).toBe(404);
    expect(unknown.type).toContain('application/problem+json');
    expect(unknown.body.code).toBe('not_found');
    const bad = await call(srv, 'GET', `/v1/posture/right-size/${worker.body.id}?window_days=0`);
    expect(bad.status).toBe(400);

    const env = { KEYWARD_URL: srv.url, KEYWARD_TOKEN: srv.adminToken };
    const text = captureIo(env);
    expect(
      await runCli(['posture', 'right-size', 'report-runner', '--window', '7'], text.io),
      text.err(),
    ).toBe(0);
    expect(text.out()).toContain('blast radius: 2 → 1 reachable, 2 → 1 sensitive');
    expect(text.out()).toContain(`principal == Keyward::ServiceAccount::"${worker.body.id}"`);
    const json = captureIo(env);
    expect(await runCli(['posture', 'right-size', 'report-runner', '--json'], json.io), json.err()).toBe(0);
    expect(JSON.parse(json.out())).toMatchObject({ windowDays: 30, format: 'cedar', iam: null });
    const iam = captureIo(env);
    expect(
      await runCli(['posture', 'right-size', 'report-runner', '--format', 'iam'], iam.io),
      iam.err(),
    ).toBe(0);
    expect(iam.out()).toContain('not an AWS-imported identity');
  });

  it('reduce first, then rotate: the rotation waits for the right-sized grant, and accepting removes the unused grants', async () => {
    const env = { KEYWARD_URL: srv.url, KEYWARD_TOKEN: srv.adminToken };
    const worker = (await call(srv, 'GET', '/v1/identities?q=report-runner')).body.items[0] as Json;
    const grantsOf = async () =>
      (
        (await call(srv, 'GET', `/v1/edges?fromId=${worker.id}&kind=has_permission`)).body.items as Json[]
      ).map((e) => e.toId as string);
    const before = await grantsOf();
    expect(before).toHaveLength(2);
    const run = captureIo(env);
    expect(
      await runCli(
        ['rotation', 'run', 'signing-key', '--right-size', 'report-runner', '--window', '7', '--json'],
        run.io,
      ),
      run.err(),
    ).toBe(0);
    const waiting = JSON.parse(run.out()).rotation as Json;
    expect(waiting).toMatchObject({ state: 'waiting', proposalState: 'pending' });
    expect(waiting.proposal.identity.id).toBe(worker.id);
    // Nothing is removed until the proposal is accepted.
    expect(await grantsOf()).toEqual(before);
    const accepted = await call(srv, 'POST', `/v1/lifecycle/rotations/${waiting.id}/proposal`, {
      decision: 'accept',
    });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    const after = await grantsOf();
    const removed = (waiting.proposal.unused as Json[]).filter((u) => u.removed).map((u) => u.resourceId);
    expect(removed).toHaveLength(1);
    expect(after).toEqual(before.filter((id) => !removed.includes(id)));
    const events = (await call(srv, 'GET', `/v1/audit/events?type=rotation.proposal_accepted`)).body;
    expect(JSON.stringify(events)).toContain('"removedGrants":1');
    // Accepting again changes nothing.
    const again = await call(srv, 'POST', `/v1/lifecycle/rotations/${waiting.id}/proposal`, {
      decision: 'accept',
    });
    expect(again.status).toBe(409);
    expect(await grantsOf()).toEqual(after);
  });
});
