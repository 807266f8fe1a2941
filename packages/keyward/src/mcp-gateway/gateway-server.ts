/**
 * The MCP server face the agent talks to, one per agent session: `tools/list` answers with the
 * upstream tools the agent may call, `tools/call` is authorized and then forwarded. A refused call
 * is a tool result with `isError: true` and a plain sentence saying why (the decision and approval
 * ids in `_meta["keyward/decision"]`), so the agent's model can read it. Each call's outcome is
 * recorded as an `mcp.tool_call` audit event with the token's delegation chain and task.
 */
import type { KeywardClient, VerifiedAccessToken } from '@keyward/sdk';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  type CallToolResult,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
} from '@modelcontextprotocol/sdk/types.js';
import { KEYWARD_VERSION } from '../version.js';
import type { CallVerdict, ToolAuthorizer } from './tool-authorizer.js';
import type { RoutedTool, UpstreamPool } from './upstream-pool.js';

/** The agent behind a request: its raw access token and the verified view of it. */
export interface AgentToken {
  raw: string;
  verified: VerifiedAccessToken;
}

/** Where the current agent token comes from: the session (HTTP) or the process (stdio). */
export type AgentTokenSource = (
  authInfo: { token: string; extra?: Record<string, unknown> } | undefined,
) => Promise<AgentToken>;

export interface GatewayServerDeps {
  upstreams: UpstreamPool;
  authorizer: ToolAuthorizer;
  keyward: Pick<KeywardClient, 'recordMcpEvent'>;
  log: (line: string) => void;
  /** How often a held call sends a progress notification (keeps client timeouts alive); default 10 s. */
  progressEveryMs?: number;
}

export function createGatewayServer(deps: GatewayServerDeps, tokenOf: AgentTokenSource): Server {
  const server = new Server(
    { name: 'keyward-mcp-gateway', version: KEYWARD_VERSION },
    { capabilities: { tools: {} } },
  );

  async function agent(authInfo: Parameters<AgentTokenSource>[0]): Promise<AgentToken> {
    try {
      return await tokenOf(authInfo);
    } catch (err) {
      throw new McpError(ErrorCode.InvalidRequest, `Keyward token refused: ${(err as Error).message}`);
    }
  }

  async function record(
    token: AgentToken,
    route: RoutedTool,
    outcome: 'success' | 'failure' | 'denied',
    details: Record<string, unknown>,
  ): Promise<void> {
    const v = token.verified;
    try {
      await deps.keyward.recordMcpEvent({
        type: 'mcp.tool_call',
        actor: v.clientId,
        action: route.tool.name,
        targetId: `${route.server}/${route.tool.name}`,
        ...(v.taskId ? { taskId: v.taskId } : {}),
        delegationChain: v.delegationChain,
        outcome,
        details: { server: route.server, tool: route.tool.name, jti: v.jti, ...details },
      });
    } catch (err) {
      deps.log(
        `could not record the audit event of ${route.server}/${route.tool.name}: ${(err as Error).message}`,
      );
    }
  }

  server.setRequestHandler(ListToolsRequestSchema, async (_request, extra) => {
    const token = await agent(extra.authInfo);
    const visible = await deps.authorizer.visibleTools(token.raw, await deps.upstreams.listTools());
    return { tools: visible.map((r) => ({ ...r.tool, name: r.exposed })) };
  });

  server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const token = await agent(extra.authInfo);
    const route = await deps.upstreams.resolve(request.params.name);
    if (!route) throw new McpError(ErrorCode.InvalidParams, `unknown tool ${request.params.name}`);
    const args = request.params.arguments;
    const progressToken = extra._meta?.progressToken;
    let ticker: NodeJS.Timeout | undefined;
    let verdict: CallVerdict;
    try {
      verdict = await deps.authorizer.authorizeCall(token.raw, route, args, {
        signal: extra.signal,
        onWaiting: (approvalId) => {
          deps.log(`holding ${route.server}/${route.tool.name} for approval ${approvalId}`);
          if (progressToken === undefined) return;
          let progress = 0;
          const tick = () =>
            void extra
              .sendNotification({
                method: 'notifications/progress',
                params: {
                  progressToken,
                  progress: ++progress,
                  message: `waiting for approval ${approvalId}`,
                },
              })
              .catch(() => {});
          tick();
          ticker = setInterval(tick, deps.progressEveryMs ?? 10_000);
        },
      });
    } catch (err) {
      deps.log(`authorization failed for ${route.server}/${route.tool.name}: ${(err as Error).message}`);
      verdict = {
        ok: false,
        message: 'Keyward could not authorize this call; refused',
        decision: undefined,
        approvalId: undefined,
      };
    } finally {
      if (ticker) clearInterval(ticker);
    }
    const meta = {
      'keyward/decision': {
        outcome: verdict.decision?.context.outcome ?? 'deny',
        decisionId: verdict.decision?.context.decision_id ?? null,
        approvalId: verdict.approvalId ?? null,
      },
    };
    if (!verdict.ok) {
      await record(token, route, 'denied', { reason: verdict.message, ...meta['keyward/decision'] });
      return { isError: true, content: [{ type: 'text', text: verdict.message }], _meta: meta };
    }
    try {
      const result = await deps.upstreams.call(route, args, extra.signal);
      await record(token, route, result.isError ? 'failure' : 'success', meta['keyward/decision']);
      return result;
    } catch (err) {
      await record(token, route, 'failure', { ...meta['keyward/decision'], error: (err as Error).message });
      throw err;
    }
  });

  return server;
}
