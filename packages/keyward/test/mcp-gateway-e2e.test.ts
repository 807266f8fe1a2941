/**
 * The end-to-end test, against the REAL decision engine (no test double): an agent opens a
 * task (sponsor consent), gets a token, calls tools through the MCP gateway (streamable HTTP) in
 * front of the real filesystem MCP server; one call is denied by policy, one waits for approval
 * and is approved by the sponsor, and the audit trail shows all of it (decisions, the approval
 * steps, the tool calls) under the task with the delegation chain.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KeywardClient } from '@keyward/sdk';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningGateway, startGateway } from '../src/mcp-gateway/mcp-gateway.js';
import { type AgentOnTask, agentOnTask, GATEWAY_AUDIENCE, gatewayConfig } from './mcp-fixtures.js';
import { startTestIssuer, type TestIssuer } from './oidc-test-issuer.js';
import { sponsorToken } from './task-fixtures.js';
import { startTestServer, type TestServer } from './test-server.js';

const POLICIES = `
@id("task-scoped-access")
permit (principal, action, resource) when { context has task && context.task.in_scope };

@id("no-moving-files")
forbid (principal, action == Keyward::Action::"call_tool", resource is Keyward::Tool)
when { resource.name == "move_file" };

@id("writes-need-approval")
@approval("required")
forbid (principal, action == Keyward::Action::"call_tool", resource is Keyward::Tool)
when { resource.name == "write_file" };
`;

describe('MCP gateway end to end against the real /v1/authorize', () => {
  let srv: TestServer;
  let idp: TestIssuer;
  let gateway: RunningGateway;
  let client: Client;
  let a: AgentOnTask;
  let dir: string;
  let operator: KeywardClient;

  beforeAll(async () => {
    srv = await startTestServer({ config: { tokenAudiences: [GATEWAY_AUDIENCE] } });
    idp = await startTestIssuer();
    const admin = new KeywardClient({ url: srv.url, token: srv.adminToken });
    const applied = await fetch(`${srv.url}/v1/policies`, {
      method: 'POST',
      headers: { authorization: `Bearer ${srv.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ files: [{ name: 'e2e.cedar', text: POLICIES }], reason: 'mcp gateway e2e' }),
    });
    expect(applied.status).toBe(201);
    const token = (await admin.apiTokens.create({ name: 'gateway', role: 'operator' })).secret;
    operator = new KeywardClient({ url: srv.url, token });
    dir = mkdtempSync(path.join(os.tmpdir(), 'keyward-e2e-fs-'));
    writeFileSync(path.join(dir, 'notes.txt'), 'e2e notes\n');
    gateway = await startGateway({
      config: gatewayConfig(srv.url, dir),
      keywardUrl: srv.url,
      apiToken: token,
      front: { kind: 'http', port: 0 },
      log: () => {},
    });
    a = await agentOnTask(srv, idp, 'e2e-agent');
    client = new Client({ name: 'e2e-agent', version: '1' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(gateway.url!), {
        requestInit: { headers: { authorization: `Bearer ${a.token}` } },
      }),
    );
  }, 60_000);
  afterAll(async () => {
    await client?.close();
    await gateway?.close();
    await idp?.close();
    await srv?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('allows, denies, holds for the sponsor, and audits all of it', async () => {
    const tools = (await client.listTools()).tools.map((t) => t.name);
    expect(tools).toContain('read_text_file');
    expect(tools).toContain('write_file');
    expect(tools).not.toContain('move_file');

    const read = (await client.callTool({
      name: 'read_text_file',
      arguments: { path: path.join(dir, 'notes.txt') },
    })) as CallToolResult;
    expect(read.isError).toBeFalsy();

    const moved = (await client.callTool({
      name: 'move_file',
      arguments: { source: path.join(dir, 'notes.txt'), destination: path.join(dir, 'x.txt') },
    })) as CallToolResult;
    expect(moved.isError).toBe(true);

    const file = path.join(dir, 'approved.txt');
    const write = client.callTool({ name: 'write_file', arguments: { path: file, content: 'approved' } });
    let pendingId: string | undefined;
    for (let i = 0; i < 200 && !pendingId; i++) {
      pendingId = (await operator.listApprovals({ status: 'pending', approver: a.sponsor.id })).items[0]?.id;
      if (!pendingId) await new Promise((r) => setTimeout(r, 50));
    }
    expect(pendingId).toBeDefined();
    await operator.approve(pendingId!, await sponsorToken(idp, a.sponsor), 'go ahead');
    expect(((await write) as CallToolResult).isError).toBeFalsy();
    expect(readFileSync(file, 'utf8')).toBe('approved');

    const trail = (await srv.keyward.services.auditTrail.list({ taskId: a.taskId }, { limit: 1000 })).items;
    const calls = trail.filter((e) => e.type === 'mcp.tool_call').map((e) => [e.action, e.outcome]);
    expect(calls).toEqual([
      ['read_text_file', 'success'],
      ['move_file', 'denied'],
      ['write_file', 'success'],
    ]);
    const types = new Set(trail.map((e) => e.type));
    expect(types).toContain('approval.requested');
    expect(types).toContain('approval.approved');
    // The decisions themselves are audited by /v1/authorize, with the tool name as the action.
    const decisions = trail.filter((e) => e.action === 'move_file' && e.type !== 'mcp.tool_call');
    expect(decisions.some((e) => e.outcome === 'denied')).toBe(true);
    for (const e of trail.filter((x) => x.type === 'mcp.tool_call')) {
      expect(e.delegationChain).toEqual([a.agent.identity.id]);
    }
  }, 60_000);
});
