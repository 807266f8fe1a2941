/**
 * The MCP gateway end to end with real parts: a real Keyward (tokens, JWKS, approvals, audit), the
 * real @modelcontextprotocol/sdk Client, the real @modelcontextprotocol/server-filesystem spawned
 * over stdio in a temp dir, and the gateway over streamable HTTP (in-process) and over stdio (the
 * built `keyward mcp-gateway --stdio`). /v1/authorize is FixedRuleAuthorizeDouble (test/mcp-fixtures.ts)
 * until the decision engine is merged; mcp-gateway-e2e.test.ts runs against the real engine.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KeywardClient } from '@keyward/sdk';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningGateway, startGateway } from '../src/mcp-gateway/mcp-gateway.js';
import {
  type AgentOnTask,
  type AuthorizeDouble,
  agentOnTask,
  GATEWAY_AUDIENCE,
  gatewayConfig,
  startFixedRuleAuthorizeDouble,
} from './mcp-fixtures.js';
import { startTestIssuer, type TestIssuer } from './oidc-test-issuer.js';
import { sponsorToken } from './task-fixtures.js';
import { startTestServer, type TestServer } from './test-server.js';

const CLI = path.resolve(import.meta.dirname, '../dist/cli/main.js');
const RULES = {
  'fs/read_text_file': 'allow',
  'fs/list_directory': 'allow',
  'fs/write_file': 'approval_required',
  'fs/move_file': 'deny',
} as const;

let srv: TestServer;
let idp: TestIssuer;
let double: AuthorizeDouble;
let operatorToken: string;
let dir: string;
let configFile: string;

beforeAll(async () => {
  srv = await startTestServer({ config: { tokenAudiences: [GATEWAY_AUDIENCE] } });
  idp = await startTestIssuer();
  operatorToken = (await srv.keyward.services.tokens.create('test', { name: 'gateway', role: 'operator' }))
    .secret;
  double = await startFixedRuleAuthorizeDouble(srv, operatorToken, RULES);
  dir = mkdtempSync(path.join(os.tmpdir(), 'keyward-mcp-fs-'));
  writeFileSync(path.join(dir, 'notes.txt'), 'hello from the filesystem server\n');
  writeFileSync(path.join(dir, 'keep.txt'), 'do not move me\n');
  configFile = path.join(dir, '..', `${path.basename(dir)}-gateway.json`);
  writeFileSync(
    configFile,
    JSON.stringify({
      ...gatewayConfig(double.url, dir),
      keyward: { url: double.url, issuer: srv.url, audience: GATEWAY_AUDIENCE },
    }),
  );
}, 60_000);

afterAll(async () => {
  await double?.close();
  await idp?.close();
  await srv?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (configFile) rmSync(configFile, { force: true });
});

const text = (r: CallToolResult) => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('');

interface Front {
  connect(token: string): Promise<Client>;
  close(): Promise<void>;
}

async function httpFront(): Promise<Front> {
  const gateway: RunningGateway = await startGateway({
    config: {
      ...gatewayConfig(double.url, dir),
      keyward: { url: double.url, issuer: srv.url, audience: GATEWAY_AUDIENCE },
    },
    keywardUrl: double.url,
    apiToken: operatorToken,
    front: { kind: 'http', port: 0 },
    log: () => {},
  });
  const clients: Client[] = [];
  return {
    async connect(token) {
      const client = new Client({ name: 'test-agent', version: '1' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(gateway.url!), {
          requestInit: { headers: token ? { authorization: `Bearer ${token}` } : {} },
        }),
      );
      clients.push(client);
      return client;
    },
    async close() {
      await Promise.allSettled(clients.map((c) => c.close()));
      await gateway.close();
    },
  };
}

async function stdioFront(): Promise<Front> {
  const clients: Client[] = [];
  return {
    async connect(token) {
      const client = new Client({ name: 'test-agent', version: '1' });
      await client.connect(
        new StdioClientTransport({
          command: process.execPath,
          args: [CLI, 'mcp-gateway', '--config', configFile, '--stdio'],
          env: { PATH: process.env['PATH'] ?? '', KEYWARD_TOKEN: operatorToken, KEYWARD_AGENT_TOKEN: token },
          stderr: 'pipe',
        }),
      );
      clients.push(client);
      return client;
    },
    async close() {
      await Promise.allSettled(clients.map((c) => c.close()));
    },
  };
}

async function forgedToken(a: AgentOnTask): Promise<string> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = (await exportJWK(publicKey)).x!.slice(0, 8);
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    client_id: a.agent.identity.id,
    task_id: a.taskId,
    scope: 'call_tool:fs/*',
    jti: 'forged',
  })
    .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid })
    .setIssuer(srv.url)
    .setSubject(a.sponsor.id)
    .setAudience(GATEWAY_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + 300)
    .sign(privateKey);
}

describe.each([
  ['streamable HTTP', httpFront],
  ['stdio', stdioFront],
] as const)('MCP gateway over %s', (label, makeFront) => {
  let front: Front;
  let a: AgentOnTask;
  let client: Client;

  beforeAll(async () => {
    a = await agentOnTask(srv, idp, `agent-${label === 'stdio' ? 'stdio' : 'http'}`);
    front = await makeFront();
    client = await front.connect(a.token);
  }, 60_000);
  afterAll(async () => {
    await front?.close();
  });

  it('refuses an agent without a token or with a forged one before anything else', async () => {
    await expect(front.connect('')).rejects.toThrow();
    await expect(front.connect(await forgedToken(a))).rejects.toThrow();
  });

  it('lists only the tools the agent may call (approval-gated ones stay listed)', async () => {
    const names = (await client.listTools()).tools.map((t) => t.name).sort();
    expect(names).toEqual(['list_directory', 'read_text_file', 'write_file']);
    const listed = double.decided.filter((d) => d.listing).map((d) => d.resource);
    expect(listed).toContain('fs/move_file');
    expect(listed).toContain('fs/directory_tree');
  });

  it('forwards an allowed call to the upstream server and audits it with the chain', async () => {
    const result = (await client.callTool({
      name: 'read_text_file',
      arguments: { path: path.join(dir, 'notes.txt') },
    })) as CallToolResult;
    expect(result.isError).toBeFalsy();
    expect(text(result)).toContain('hello from the filesystem server');
    const events = await srv.keyward.services.auditTrail.list(
      { taskId: a.taskId, type: 'mcp.tool_call' },
      {},
    );
    expect(events.items.at(-1)).toMatchObject({
      actor: a.agent.identity.id,
      action: 'read_text_file',
      targetId: 'fs/read_text_file',
      outcome: 'success',
      taskId: a.taskId,
      // client_credentials: the agent acts for itself on the task; the chain is just the agent.
      delegationChain: [a.agent.identity.id],
    });
  });

  it('refuses a denied call with a clear message, and the file is untouched', async () => {
    const result = (await client.callTool({
      name: 'move_file',
      arguments: { source: path.join(dir, 'keep.txt'), destination: path.join(dir, 'moved.txt') },
    })) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/^Keyward denied fs\/move_file: /);
    expect(readFileSync(path.join(dir, 'keep.txt'), 'utf8')).toBe('do not move me\n');
    const events = await srv.keyward.services.auditTrail.list({ taskId: a.taskId, outcome: 'denied' }, {});
    expect(events.items.at(-1)).toMatchObject({ type: 'mcp.tool_call', action: 'move_file' });
  });

  it('holds a call that needs approval and forwards it once the sponsor approves', async () => {
    const file = path.join(dir, `approved-${label.replace(/\W/g, '')}.txt`);
    const call = client.callTool({
      name: 'write_file',
      arguments: { path: file, content: 'approved write' },
    });
    const keyward = new KeywardClient({ url: srv.url, token: operatorToken });
    let pending: Awaited<ReturnType<KeywardClient['listApprovals']>>['items'] = [];
    for (let i = 0; i < 100 && pending.length === 0; i++) {
      pending = (await keyward.listApprovals({ status: 'pending', requester: a.agent.identity.id })).items;
      if (pending.length === 0) await new Promise((r) => setTimeout(r, 50));
    }
    expect(pending).toHaveLength(1);
    expect(pending[0]!.approverIds).toEqual([a.sponsor.id]);
    // The call is still waiting: nothing was written.
    expect(() => readFileSync(file)).toThrow();
    await keyward.approve(pending[0]!.id, await sponsorToken(idp, a.sponsor), 'fine');
    const result = (await call) as CallToolResult;
    expect(result.isError).toBeFalsy();
    expect(readFileSync(file, 'utf8')).toBe('approved write');
  }, 30_000);

  it('refuses a held call when the sponsor denies it', async () => {
    const file = path.join(dir, `denied-${label.replace(/\W/g, '')}.txt`);
    const call = client.callTool({ name: 'write_file', arguments: { path: file, content: 'no' } });
    const keyward = new KeywardClient({ url: srv.url, token: operatorToken });
    let id: string | undefined;
    for (let i = 0; i < 100 && !id; i++) {
      id = (await keyward.listApprovals({ status: 'pending', requester: a.agent.identity.id })).items[0]?.id;
      if (!id) await new Promise((r) => setTimeout(r, 50));
    }
    await keyward.deny(id!, await sponsorToken(idp, a.sponsor));
    const result = (await call) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(text(result)).toContain(`was not approved (approval ${id}): the approval was denied`);
    expect(() => readFileSync(file)).toThrow();
  }, 30_000);
});
