/**
 * Step-up approvals on a real server, on every test backend: the ApprovalGate's binding exactness
 * and grant window, the human side over real HTTP (approver proven by an ID token from a trusted
 * issuer), self-approval, non-approvers and double decisions refused with nothing changed, expiry
 * (lazy and swept), every step audited, the signed webhook, and the narrow mcp.* audit route.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KeywardApiError, KeywardClient } from '@keyward/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApprovalBinding, ApprovalRequestInfo } from '../src/approvals/approval-types.js';
import { argumentsHash } from '../src/approvals/arguments-hash.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, webhookSignature } from '../src/audit/sinks/webhook-sink.js';
import { startTestIssuer, type TestIssuer } from './oidc-test-issuer.js';
import { createSponsor, type Json, post, setUpSponsors, sponsorToken } from './task-fixtures.js';
import { startTestServer, TEST_BACKENDS, type TestServer } from './test-server.js';

const binding = (args: unknown): ApprovalBinding => ({
  principal: 'Keyward::Agent::"nhi_0190a0b0c0d0e0f00000000000000001"',
  action: 'Keyward::Action::"call_tool"',
  resource: 'Keyward::Tool::"fs/write_file"',
  argumentsHash: argumentsHash(args),
});

async function refused(promise: Promise<unknown>): Promise<{ status: number; code: string }> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof KeywardApiError)) throw new Error(`expected a refusal, got ${String(err)}`);
  return { status: err.status, code: err.code };
}

describe.each(TEST_BACKENDS)('approvals [%s]', (backend) => {
  let srv: TestServer;
  let idp: TestIssuer;
  let clock = Date.now();
  let api: KeywardClient;
  const received: Array<{ headers: Json; body: string }> = [];
  const receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.end('ok');
    });
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    idp = await startTestIssuer();
    srv = await startTestServer({
      backend,
      now: () => new Date(clock),
      config: {
        approvalTtlSeconds: 60,
        approvalGrantTtlSeconds: 120,
        approvalWebhookUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
        approvalWebhookSecret: 'webhook-secret',
      },
    });
    await setUpSponsors(srv, idp);
    api = new KeywardClient({ url: srv.url, token: srv.adminToken });
  }, 60_000);
  afterAll(async () => {
    await srv?.close();
    await idp?.close();
    receiver.close();
  });

  async function openOne(args: unknown, over: Partial<ApprovalRequestInfo> = {}) {
    const approver = await createSponsor(srv, `approver-${Math.random().toString(36).slice(2, 8)}`);
    const info: ApprovalRequestInfo = {
      requesterId: 'nhi_0190a0b0c0d0e0f00000000000000001',
      taskId: 'tsk_0190a0b0c0d0e0f00000000000000001',
      approverIds: [approver.id],
      policyIds: ['prod-writes-need-approval'],
      reason: 'agent wants to write a file',
      delegationChain: ['nhi_0190a0b0c0d0e0f00000000000000001'],
      ...over,
    };
    const approval = await srv.keyward.services.approvals.open(binding(args), info);
    return { approval, approver };
  }

  it('binds to the exact request: same arguments reuse the pending one; other arguments are not granted', async () => {
    const args = { path: '/prod/x', content: `v${Math.random()}` };
    const { approval, approver } = await openOne(args);
    const again = await srv.keyward.services.approvals.open(
      binding({ content: args.content, path: args.path }),
      {
        requesterId: approval.requesterId,
        taskId: approval.taskId,
        approverIds: approval.approverIds,
        policyIds: [],
        reason: 'retry',
        delegationChain: [],
      },
    );
    expect(again.id).toBe(approval.id);
    const gate = srv.keyward.services.approvals;
    expect(await gate.findGranted(binding(args), new Date(clock))).toBeUndefined();
    const decided = await api.approve(approval.id, await sponsorToken(idp, approver), 'ok');
    expect(decided).toMatchObject({ status: 'approved', decidedBy: approver.id, comment: 'ok' });
    expect((await gate.findGranted(binding(args), new Date(clock)))?.id).toBe(approval.id);
    expect(await gate.findGranted(binding({ ...args, content: 'other' }), new Date(clock))).toBeUndefined();
    expect(await gate.findGranted(binding(undefined), new Date(clock))).toBeUndefined();
    // The grant lifts for approvalGrantTtlSeconds only.
    expect(await gate.findGranted(binding(args), new Date(clock + 121_000))).toBeUndefined();
  });

  it('refuses the requester, non-approvers and tokenless calls; nothing changes', async () => {
    const requester = await createSponsor(srv, `requester-${backend}`);
    const other = await createSponsor(srv, `bystander-${backend}`);
    const { approval, approver } = await openOne({ n: 1 }, { requesterId: requester.id });
    // A human requester is never an approver of its own request, even when listed.
    const listed = await srv.keyward.services.approvals.open(binding({ n: 2 }), {
      requesterId: requester.id,
      taskId: null,
      approverIds: [requester.id, approver.id],
      policyIds: [],
      reason: 'x',
      delegationChain: [requester.id],
    });
    expect(listed.approverIds).toEqual([approver.id]);
    expect(await refused(api.approve(listed.id, await sponsorToken(idp, requester)))).toEqual({
      status: 403,
      code: 'forbidden',
    });
    expect(await refused(api.approve(approval.id, await sponsorToken(idp, other)))).toEqual({
      status: 403,
      code: 'forbidden',
    });
    const res = await post(srv, `/v1/approvals/${approval.id}/approve`, {});
    expect(res).toMatchObject({ status: 401, body: { code: 'unauthenticated' } });
    expect((await api.getApproval(approval.id)).status).toBe('pending');
    expect((await api.getApproval(listed.id)).status).toBe('pending');
  });

  it('decides once: a second decision is 409 approval_not_pending', async () => {
    const { approval, approver } = await openOne({ n: 3 });
    const token = await sponsorToken(idp, approver);
    await api.deny(approval.id, token, 'no');
    expect(await refused(api.approve(approval.id, token))).toEqual({
      status: 409,
      code: 'approval_not_pending',
    });
    expect(await refused(api.deny(approval.id, token))).toEqual({
      status: 409,
      code: 'approval_not_pending',
    });
    expect(await api.getApproval(approval.id)).toMatchObject({ status: 'denied', comment: 'no' });
  });

  it('expires pending approvals (lazily on read and by the sweep); expired ones cannot be decided', async () => {
    const { approval: lazy, approver } = await openOne({ n: 4 });
    const { approval: swept } = await openOne({ n: 5 });
    clock += 61_000;
    expect((await api.getApproval(lazy.id)).status).toBe('expired');
    expect(await refused(api.approve(lazy.id, await sponsorToken(idp, approver)))).toEqual({
      status: 409,
      code: 'approval_not_pending',
    });
    expect(await srv.keyward.services.approvals.expireDue()).toBeGreaterThanOrEqual(1);
    expect((await api.getApproval(swept.id)).status).toBe('expired');
    // A new request for the same binding opens a fresh approval.
    const fresh = await srv.keyward.services.approvals.open(binding({ n: 4 }), {
      ...lazy,
      approverIds: lazy.approverIds,
    });
    expect(fresh.id).not.toBe(lazy.id);
  });

  it('audits every step with the chain, task and policies; lists by approver and status', async () => {
    const { approval, approver } = await openOne({ n: 6 });
    await api.approve(approval.id, await sponsorToken(idp, approver));
    const events = (await srv.keyward.services.auditTrail.list({ targetId: approval.id }, {})).items;
    expect(events.map((e) => [e.type, e.actor])).toEqual([
      ['approval.requested', approval.requesterId],
      ['approval.approved', approver.id],
    ]);
    for (const e of events) {
      expect(e).toMatchObject({
        taskId: approval.taskId,
        delegationChain: approval.delegationChain,
        policyIds: approval.policyIds,
      });
    }
    const types = (await srv.keyward.services.auditTrail.list({ type: 'approval.expired' }, {})).items;
    expect(types.length).toBeGreaterThanOrEqual(2);
    const mine = await api.listApprovals({ approver: approver.id });
    expect(mine.items.map((a) => a.id)).toEqual([approval.id]);
    expect((await api.listApprovals({ approver: approver.id, status: 'pending' })).items).toEqual([]);
  });

  it('sends approval.requested to the webhook, signed with HMAC-SHA256', async () => {
    const { approval } = await openOne({ n: 7 });
    for (let i = 0; i < 100 && !received.some((r) => r.body.includes(approval.id)); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const delivery = received.find((r) => r.body.includes(approval.id));
    expect(delivery).toBeDefined();
    const ts = delivery!.headers[TIMESTAMP_HEADER] as string;
    expect(delivery!.headers[SIGNATURE_HEADER]).toBe(webhookSignature('webhook-secret', ts, delivery!.body));
    const events = JSON.parse(delivery!.body).events as Json[];
    expect(new Set(received.flatMap((r) => JSON.parse(r.body).events.map((e: Json) => e.type)))).toEqual(
      new Set(['approval.requested']),
    );
    expect(events.find((e) => e.targetId === approval.id)).toMatchObject({ type: 'approval.requested' });
  });

  it('POST /v1/audit/events records only mcp.* events, from operator tokens', async () => {
    const operator = (await api.apiTokens.create({ name: `gw-${backend}`, role: 'operator' })).secret;
    const auditor = (await api.apiTokens.create({ name: `aud-${backend}`, role: 'auditor' })).secret;
    const event = { type: 'mcp.tool_call', actor: 'nhi_x', action: 'read_file', outcome: 'success' } as const;
    const asOperator = new KeywardClient({ url: srv.url, token: operator });
    const stored = await asOperator.recordMcpEvent(event);
    expect(stored.seq).toBeGreaterThan(0);
    expect(
      await refused(asOperator.recordMcpEvent({ ...event, type: 'approval.approved' as 'mcp.x' })),
    ).toEqual({ status: 400, code: 'validation_failed' });
    expect(await refused(new KeywardClient({ url: srv.url, token: auditor }).recordMcpEvent(event))).toEqual({
      status: 403,
      code: 'forbidden',
    });
  });
});
