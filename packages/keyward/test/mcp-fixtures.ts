/**
 * Fixtures for the MCP gateway tests: an agent on a task holding a Keyward access token for the
 * gateway's audience, the real @modelcontextprotocol/server-filesystem as the upstream, and
 * FixedRuleAuthorizeDouble — a TEST DOUBLE for `POST /v1/authorize(/batch)` (the decision engine is
 * built on another branch) that answers the contract's shape from a fixed table of tool → outcome.
 * It is a real HTTP server in front of a real Keyward: it verifies the subject token with Keyward's
 * own verifier, opens and finds approvals through Keyward's real approval service (the ApprovalGate),
 * and proxies every other request (JWKS, approvals, audit) to Keyward unchanged.
 */
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Human } from '@keyward/sdk';
import { argumentsHash } from '../src/approvals/arguments-hash.js';
import type { GatewayConfig } from '../src/mcp-gateway/gateway-config.js';
import type { TestIssuer } from './oidc-test-issuer.js';
import {
  type Agent,
  clientCredentials,
  createAgent,
  createSponsor,
  type Json,
  openTask,
  setUpSponsors,
} from './task-fixtures.js';
import type { TestServer } from './test-server.js';

export const GATEWAY_AUDIENCE = 'mcp-gateway';

export const FILESYSTEM_SERVER = createRequire(import.meta.url).resolve(
  '@modelcontextprotocol/server-filesystem/dist/index.js',
);

export interface AgentOnTask {
  agent: Agent;
  sponsor: Human;
  taskId: string;
  token: string;
}

/** An agent with a task sponsored by a human, and an access token for the gateway. */
export async function agentOnTask(srv: TestServer, idp: TestIssuer, name: string): Promise<AgentOnTask> {
  await setUpSponsors(srv, idp).catch(() => {});
  const sponsor = await createSponsor(srv, `${name}-sponsor`);
  const agent = await createAgent(srv, name);
  const task = await openTask(srv, agent, sponsor, idp, { scopes: ['call_tool:fs/*'] });
  if (task.status !== 201) throw new Error(`task: ${JSON.stringify(task.body)}`);
  const token = await clientCredentials(srv, agent, task.body.task.id, {
    resource: GATEWAY_AUDIENCE,
    scope: 'call_tool:fs/*',
  });
  if (token.status !== 200) throw new Error(`token: ${JSON.stringify(token.body)}`);
  return { agent, sponsor, taskId: task.body.task.id, token: token.body.access_token };
}

export function gatewayConfig(
  keywardUrl: string,
  dir: string,
  over: Partial<GatewayConfig> = {},
): GatewayConfig {
  return {
    keyward: { url: keywardUrl, audience: GATEWAY_AUDIENCE },
    servers: { fs: { command: process.execPath, args: [FILESYSTEM_SERVER, dir] } },
    approvals: { mode: 'hold', timeoutSeconds: 30, pollIntervalMs: 100 },
    ...over,
  };
}

export type RuleOutcome = 'allow' | 'deny' | 'approval_required';

export interface AuthorizeDouble {
  url: string;
  /** Requests it decided: resource id and whether it was a listing. */
  decided: Array<{ resource: string; listing: boolean; outcome: RuleOutcome }>;
  close(): Promise<void>;
}

/** TEST DOUBLE of /v1/authorize: resource id → outcome from `rules`; anything else is denied. */
export async function startFixedRuleAuthorizeDouble(
  srv: TestServer,
  operatorToken: string,
  rules: Record<string, RuleOutcome>,
): Promise<AuthorizeDouble> {
  const decided: AuthorizeDouble['decided'] = [];
  const { accessTokens, approvals, tasks } = srv.keyward.services;
  let n = 0;

  async function evaluate(req: Json): Promise<Json> {
    const answer = (outcome: RuleOutcome, reason: string, extra: Json = {}) => ({
      decision: outcome === 'allow',
      context: {
        outcome,
        decision_id: `double-${++n}`,
        policy_ids: ['fixed-rule'],
        obligations: [],
        reason,
        ...extra,
      },
    });
    if (req.subject?.type !== 'token' || !req.action?.name || !req.resource?.id) {
      return answer('deny', 'not a request by token');
    }
    const verified = await accessTokens.verifyActive(req.subject.id);
    if (!verified.ok) return answer('deny', `subject token: ${verified.reason}`);
    const listing = req.context?.listing === true;
    const outcome = rules[req.resource.id] ?? 'deny';
    decided.push({ resource: req.resource.id, listing, outcome });
    if (outcome !== 'approval_required' || listing) return answer(outcome, `rule for ${req.resource.id}`);
    const claims = verified.claims;
    const binding = {
      principal: `Keyward::Agent::"${claims.client_id}"`,
      action: `Keyward::Action::"${req.action.name}"`,
      resource: `Keyward::${req.resource.type === 'tool' ? 'Tool' : 'Resource'}::"${req.resource.id}"`,
      argumentsHash: argumentsHash(req.context?.arguments),
    };
    if (await approvals.findGranted(binding, new Date())) return answer('allow', 'approved by a human');
    const task = await tasks.get(claims.task_id!);
    const approval = await approvals.open(binding, {
      requesterId: claims.client_id,
      taskId: task.id,
      approverIds: [task.sponsorId],
      policyIds: ['fixed-rule'],
      reason: `${claims.client_id} wants to call ${req.resource.id}`,
      delegationChain: claims.sub === claims.client_id ? [claims.sub] : [claims.sub, claims.client_id],
    });
    return answer('approval_required', 'needs approval', { approval_id: approval.id });
  }

  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const path = (req.url ?? '').split('?')[0];
    try {
      if (req.method === 'POST' && (path === '/v1/authorize' || path === '/v1/authorize/batch')) {
        if (req.headers.authorization !== `Bearer ${operatorToken}`) {
          res.writeHead(401, { 'content-type': 'application/problem+json' });
          res.end(
            JSON.stringify({ status: 401, code: 'unauthenticated', detail: 'operator token required' }),
          );
          return;
        }
        const input = JSON.parse(body.toString('utf8')) as Json;
        const out =
          path === '/v1/authorize'
            ? await evaluate(input)
            : {
                evaluations: await Promise.all(
                  (input.evaluations as Json[]).map((e) =>
                    evaluate({
                      subject: e.subject ?? input.subject,
                      action: e.action ?? input.action,
                      resource: e.resource ?? input.resource,
                      context: e.context ?? input.context,
                    }),
                  ),
                ),
              };
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(out));
        return;
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) {
        if (typeof v === 'string' && k !== 'host' && k !== 'content-length' && k !== 'connection')
          headers[k] = v;
      }
      const upstream = await fetch(srv.url + req.url, {
        method: req.method ?? 'GET',
        headers,
        ...(body.length > 0 ? { body } : {}),
      });
      const text = Buffer.from(await upstream.arrayBuffer());
      res.writeHead(upstream.status, {
        'content-type': upstream.headers.get('content-type') ?? 'application/json',
      });
      res.end(text);
    } catch (err) {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: String(err) }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    decided,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
