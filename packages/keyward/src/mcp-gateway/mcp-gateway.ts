/**
 * Starts the MCP gateway: connects the upstream servers, builds the Keyward client (operator API
 * token) and the offline token verifier (Keyward's JWKS), then serves agents over stdio or
 * streamable HTTP. The gateway talks to Keyward only through @keyward/sdk.
 */
import { createVerifier, KeywardClient } from '@keyward/sdk';
import type { GatewayConfig } from './gateway-config.js';
import { createGatewayServer } from './gateway-server.js';
import { startHttpFront, tokenFromAuthInfo } from './http-front.js';
import { processTokenSource, type RawTokenSource, startStdioFront } from './stdio-front.js';
import { createToolAuthorizer } from './tool-authorizer.js';
import { connectUpstreams } from './upstream-pool.js';

export const DEFAULT_GATEWAY_AUDIENCE = 'mcp-gateway';

export interface GatewayOptions {
  config: GatewayConfig;
  /** Keyward's URL when the config names none. */
  keywardUrl: string;
  /** The operator (or admin) API token. */
  apiToken: string;
  front: { kind: 'http'; host?: string; port?: number } | { kind: 'stdio'; agentToken: RawTokenSource };
  log: (line: string) => void;
}

export interface RunningGateway {
  /** The streamable HTTP endpoint, when serving HTTP. */
  url: string | undefined;
  close(): Promise<void>;
}

export async function startGateway(o: GatewayOptions): Promise<RunningGateway> {
  const { config, log } = o;
  const url = (config.keyward.url ?? o.keywardUrl).replace(/\/+$/, '');
  const keyward = new KeywardClient({ url, token: o.apiToken, timeoutMs: 15_000 });
  const verifier = createVerifier({
    issuer: config.keyward.issuer ?? url,
    audience: config.keyward.audience ?? DEFAULT_GATEWAY_AUDIENCE,
    jwksUrl: `${url}/.well-known/jwks.json`,
  });
  // Refuse a bad stdio token before spawning anything.
  const tokenOf =
    o.front.kind === 'stdio' ? processTokenSource(o.front.agentToken, verifier) : tokenFromAuthInfo;
  if (o.front.kind === 'stdio') {
    await tokenOf(undefined).catch((err: Error) => {
      verifier.close();
      throw new Error(`the agent token is refused: ${err.message}`);
    });
  }
  const upstreams = await connectUpstreams(config, log);
  const authorizer = createToolAuthorizer({
    keyward,
    approvals: {
      mode: config.approvals?.mode ?? 'hold',
      timeoutMs: (config.approvals?.timeoutSeconds ?? 300) * 1000,
      pollIntervalMs: config.approvals?.pollIntervalMs ?? 1000,
    },
  });
  const newServer = () => createGatewayServer({ upstreams, authorizer, keyward, log }, tokenOf);
  const shutdown = async () => {
    await upstreams.close();
    verifier.close();
  };
  try {
    if (o.front.kind === 'stdio') {
      const front = await startStdioFront(newServer());
      return {
        url: undefined,
        async close() {
          await front.close();
          await shutdown();
        },
      };
    }
    const front = await startHttpFront({
      verifier,
      newServer,
      host: o.front.host ?? config.http?.host ?? '127.0.0.1',
      port: o.front.port ?? config.http?.port ?? 8471,
      log,
    });
    return {
      url: front.url,
      async close() {
        await front.close();
        await shutdown();
      },
    };
  } catch (err) {
    await shutdown();
    throw err;
  }
}
