/**
 * POST /v1/authorize and /v1/authorize/batch end to end on both backends: a task's access token as
 * the subject, requests outside the task's scopes (escalation), invalid subject tokens, the approval
 * flow through a real in-memory gate, bad input, and the audit events every decision leaves.
 */
import type { Human } from '@keyward/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestIssuer, type TestIssuer } from '../oidc-test-issuer.js';
import {
  type Agent,
  clientCredentials,
  createAgent,
  createSponsor,
  type Json,
  openTask,
  post,
  setUpSponsors,
} from '../task-fixtures.js';
import { startTestServer, TEST_BACKENDS, type TestServer } from '../test-server.js';
import { createInMemoryApprovalGate } from './in-memory-approval-gate.js';

describe.each(TEST_BACKENDS)('decision API [%s]', (backend) => {
  let srv: TestServer;
  let idp: TestIssuer;
  let sponsor: Human;
  let agent: Agent;
  let prodAgent: Agent;
  let token: string;
  let prodToken: string;
  const approvals = createInMemoryApprovalGate();

  const authorize = (body: unknown, auth = srv.adminToken) =>
    post(srv, '/v1/authorize', body, { authorization: `Bearer ${auth}` });
  const tokenFor = async (a: Agent, env: string, scopes: string[]) => {
    const task = await openTask(srv, a, sponsor, idp, { environment: env, scopes });
    expect(task.status, JSON.stringify(task.body)).toBe(201);
    const res = await clientCredentials(srv, a, task.body.task.id, {
      scope: scopes.join(' '),
      resource: scopes[0]!.split(':')[1]!,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.access_token as string;
  };

  beforeAll(async () => {
    srv = await startTestServer({
      backend,
      maintenanceIntervalMs: 0,
      approvals: approvals.gate,
      authz: { workers: 1 },
    });
    idp = await startTestIssuer();
    await setUpSponsors(srv, idp);
    sponsor = await createSponsor(srv, 'erin');
    agent = await createAgent(srv, 'billing-agent', 'dev');
    prodAgent = await createAgent(srv, 'release-agent', 'prod', {
      ownerId: sponsor.id,
      purpose: 'releases',
      reviewDate: new Date(Date.now() + 86_400_000 * 30).toISOString(),
    });
    const { resources } = srv.keyward.services.resources;
    await resources.create('test', {
      name: 'payments-db',
      kind: 'database',
      environment: 'dev',
      sensitivity: 'high',
    });
    await resources.create('test', {
      name: 'orders-prod',
      kind: 'database',
      environment: 'prod',
      sensitivity: 'critical',
    });
    token = await tokenFor(agent, 'dev', ['read:payments-db']);
    prodToken = await tokenFor(prodAgent, 'prod', ['write:orders-prod', 'read:orders-prod']);
  });
  afterAll(async () => {
    await srv?.close();
    await idp?.close();
  });

  const req = (subject: Json, action: string, resource: Json, context: Json = {}) => ({
    subject,
    action: { name: action },
    resource,
    context,
  });

  it('allows what the task token covers, under the built-in policy set, and audits it', async () => {
    const res = await authorize(
      req(
        { type: 'token', id: token },
        'read',
        { type: 'resource', id: 'payments-db' },
        { source: { ip: '10.1.2.3' } },
      ),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      decision: true,
      context: { outcome: 'allow', policy_ids: ['task-scoped-access'], obligations: [] },
    });
    await srv.keyward.services.auditTrail.writer.flush();
    const [event] = await srv.keyward.store.audit
      .list({ type: 'authz.decision', targetId: undefined }, 100)
      .then((all) => all.filter((e) => e.id === res.body.context.decision_id));
    expect(event).toMatchObject({
      actor: agent.identity.id,
      outcome: 'success',
      policyIds: ['task-scoped-access'],
      action: 'read',
      source: { ip: '10.1.2.3' },
    });
    expect(event?.taskId).toMatch(/^tsk_/);
    expect(JSON.stringify(event)).not.toContain(token);
    expect(event?.details.request).toMatchObject({ subjectType: 'token', action: 'read' });
  });

  it('denies a request outside the task scopes as an escalation attempt', async () => {
    const res = await authorize(
      req({ type: 'token', id: token }, 'write', { type: 'resource', id: 'payments-db' }),
    );
    expect(res.body).toMatchObject({ decision: false, context: { outcome: 'deny', escalation: true } });
    expect(res.body.context.reason).toContain('outside the task');
    await srv.keyward.services.auditTrail.writer.flush();
    const escalations = await srv.keyward.store.audit.list({ type: 'authz.escalation' }, 100);
    expect(escalations.map((e) => e.id)).toContain(res.body.context.decision_id);
    expect(escalations.at(-1)).toMatchObject({ actor: agent.identity.id, outcome: 'denied' });
  });

  it('answers an invalid subject token with a deny, not a 401', async () => {
    const res = await authorize(
      req({ type: 'token', id: 'not.a.token' }, 'read', { type: 'resource', id: 'payments-db' }),
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ decision: false, context: { outcome: 'deny' } });
    expect(res.body.context.reason).toContain('subject token rejected');
  });

  it('requires approval for a production write; the sponsor approves; the retry is allowed', async () => {
    const write = req(
      { type: 'token', id: prodToken },
      'write',
      { type: 'resource', id: 'orders-prod' },
      {
        arguments: { rows: 3 },
      },
    );
    const first = await authorize(write);
    expect(first.body).toMatchObject({
      decision: false,
      context: { outcome: 'approval_required', policy_ids: ['prod-writes-need-approval'] },
    });
    const approvalId = first.body.context.approval_id as string;
    const record = approvals.records.find((r) => r.id === approvalId);
    expect(record).toMatchObject({ requesterId: prodAgent.identity.id, approverIds: [sponsor.id] });
    expect(record?.binding.principal).toBe(`Keyward::Agent::"${prodAgent.identity.id}"`);
    expect(record?.binding.argumentsHash).toMatch(/^[0-9a-f]{64}$/);
    // A retry before the decision finds the same pending approval.
    expect((await authorize(write)).body.context.approval_id).toBe(approvalId);
    expect(() => approvals.decide(approvalId, prodAgent.identity.id, 'approved')).toThrow();
    approvals.decide(approvalId, sponsor.id, 'approved');
    const retried = await authorize(write);
    expect(retried.body).toMatchObject({ decision: true, context: { outcome: 'allow' } });
    expect(retried.body.context.reason).toContain(approvalId);
    // The approval is bound to the arguments: other arguments need their own.
    const other = await authorize({ ...write, context: { arguments: { rows: 4 } } });
    expect(other.body.context.outcome).toBe('approval_required');
    expect(other.body.context.approval_id).not.toBe(approvalId);
  });

  it('decides a batch, with top-level defaults', async () => {
    const res = await post(
      srv,
      '/v1/authorize/batch',
      {
        subject: { type: 'token', id: token },
        resource: { type: 'resource', id: 'payments-db' },
        evaluations: [
          { action: { name: 'read' } },
          { action: { name: 'delete' } },
          { resource: { type: 'resource', id: 'nope' }, action: { name: 'read' } },
        ],
      },
      { authorization: `Bearer ${srv.adminToken}` },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.evaluations.map((e: Json) => e.context.outcome)).toEqual(['allow', 'deny', 'deny']);
    expect(res.body.evaluations[2].context.reason).toContain('unknown resource');
  });

  it('refuses bad input as problem+json and changes nothing', async () => {
    const missing = await authorize({
      subject: { type: 'identity', id: 'x' },
      resource: { type: 'resource', id: 'y' },
    });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ code: 'validation_failed' });
    const badType = await authorize(req({ type: 'robot', id: 'x' }, 'read', { type: 'resource', id: 'y' }));
    expect(badType.status).toBe(400);
    const batch = await post(
      srv,
      '/v1/authorize/batch',
      { evaluations: [{ action: { name: 'read' } }] },
      {
        authorization: `Bearer ${srv.adminToken}`,
      },
    );
    expect(batch.status).toBe(400);
    expect(batch.body.code).toBe('validation_failed');
    const anonymous = await post(
      srv,
      '/v1/authorize',
      req({ type: 'identity', id: 'x' }, 'read', { type: 'resource', id: 'y' }),
    );
    expect(anonymous.status).toBe(401);
  });
});
