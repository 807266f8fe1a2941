/**
 * The streamable HTTP front end (`POST|GET|DELETE /mcp`). Every request must carry the agent's
 * Keyward access token as `Authorization: Bearer`, verified offline against Keyward's JWKS before
 * anything else happens (401 otherwise). A session belongs to the agent and task that opened it:
 * later requests must present a token of the same agent and task (a refreshed token is fine and
 * is what the session's next decisions use).
 */
import { randomUUID } from 'node:crypto';
import {
  createServer,
  type Server as HttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { authenticateBearer, type KeywardVerifier, type VerifiedAccessToken } from '@keyward/sdk';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { AgentTokenSource } from './gateway-server.js';

interface Session {
  transport: StreamableHTTPServerTransport;
  server: Server;
  clientId: string;
  taskId: string | null;
}

export interface HttpFront {
  url: string;
  close(): Promise<void>;
}

/** The MCP session's agent token, as the HTTP front put it in `authInfo`. */
export const tokenFromAuthInfo: AgentTokenSource = async (authInfo) => {
  const verified = authInfo?.extra?.['verified'] as VerifiedAccessToken | undefined;
  if (!authInfo || !verified) throw new Error('no verified token on this request');
  return { raw: authInfo.token, verified };
};

function jsonError(
  res: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message }, id: null }));
}

export async function startHttpFront(o: {
  verifier: KeywardVerifier;
  newServer: () => Server;
  host: string;
  port: number;
  log: (line: string) => void;
}): Promise<HttpFront> {
  const sessions = new Map<string, Session>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if ((req.url ?? '').split('?')[0] !== '/mcp')
      return jsonError(res, 404, 'not found: the MCP endpoint is /mcp');
    const auth = await authenticateBearer(o.verifier, req.headers.authorization, {
      realm: 'keyward-mcp-gateway',
    });
    if (!auth.ok) {
      const { refusal } = auth;
      return jsonError(
        res,
        refusal.status,
        `${refusal.body.error}: ${refusal.body.error_description}`,
        refusal.challenge ? { 'www-authenticate': refusal.challenge } : {},
      );
    }
    const verified = auth.token;
    const raw = /^Bearer +(\S+)/i.exec(req.headers.authorization as string)![1]!;
    (req as IncomingMessage & { auth?: unknown }).auth = {
      token: raw,
      clientId: verified.clientId,
      scopes: verified.scopes,
      expiresAt: Math.floor(verified.expiresAt.getTime() / 1000),
      extra: { verified },
    };
    const sessionId = req.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      const session = sessions.get(sessionId);
      if (!session) return jsonError(res, 404, 'unknown or closed MCP session');
      if (session.clientId !== verified.clientId || session.taskId !== verified.taskId) {
        return jsonError(res, 403, 'this session belongs to another agent or task');
      }
      return session.transport.handleRequest(req, res);
    }
    const server = o.newServer();
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, { transport, server, clientId: verified.clientId, taskId: verified.taskId });
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await server.connect(transport);
    await transport.handleRequest(req, res);
    if (!transport.sessionId) await server.close();
  }

  const http: HttpServer = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      o.log(`request failed: ${(err as Error).message}`);
      if (!res.headersSent) jsonError(res, 500, 'internal error');
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(o.port, o.host, () => resolve());
  });
  const { port } = http.address() as AddressInfo;
  const host = o.host.includes(':') ? `[${o.host}]` : o.host;
  return {
    url: `http://${host}:${port}/mcp`,
    async close() {
      await Promise.allSettled([...sessions.values()].map((s) => s.server.close()));
      sessions.clear();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
