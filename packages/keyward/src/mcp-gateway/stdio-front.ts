/**
 * The stdio front end: the agent runs `keyward mcp-gateway --stdio` as its MCP server. There is no
 * per-request header on stdio, so the agent's access token comes from the process — an env var or
 * a file re-read on every request (so the agent can refresh it) — and is verified offline on every
 * request; the gateway refuses to start when it does not verify.
 */
import { readFile } from 'node:fs/promises';
import type { KeywardVerifier } from '@keyward/sdk';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { AgentTokenSource } from './gateway-server.js';

export type RawTokenSource = { env: string } | { file: string } | { value: string };

export function processTokenSource(
  source: RawTokenSource,
  verifier: KeywardVerifier,
  env: NodeJS.ProcessEnv = process.env,
): AgentTokenSource {
  return async () => {
    const raw =
      'value' in source
        ? source.value
        : 'file' in source
          ? (await readFile(source.file, 'utf8')).trim()
          : (env[source.env] ?? '').trim();
    if (!raw) throw new Error('no agent access token given');
    return { raw, verified: await verifier.verify(raw) };
  };
}

export async function startStdioFront(server: Server): Promise<{ close(): Promise<void> }> {
  const transport = new StdioServerTransport();
  await server.connect(transport);
  return { close: () => server.close() };
}
