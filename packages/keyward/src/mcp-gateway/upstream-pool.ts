/**
 * The upstream MCP servers behind the gateway: one MCP client connection each (a spawned stdio
 * command or a streamable HTTP URL), shared by every agent session. Lists their tools under the
 * names the gateway exposes (`<server>__<tool>` when namespaced) and forwards calls by that name.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { KEYWARD_VERSION } from '../version.js';
import type { GatewayConfig, UpstreamConfig } from './gateway-config.js';

export const NAMESPACE_SEPARATOR = '__';

/** One upstream tool as the gateway exposes it. */
export interface RoutedTool {
  /** The name agents see. */
  exposed: string;
  server: string;
  tool: Tool;
}

export interface UpstreamPool {
  listTools(): Promise<RoutedTool[]>;
  /** The routed tool an exposed name refers to (from the last listing, else a fresh one). */
  resolve(exposed: string): Promise<RoutedTool | undefined>;
  call(
    route: RoutedTool,
    args: Record<string, unknown> | undefined,
    signal?: AbortSignal,
  ): Promise<CallToolResult>;
  close(): Promise<void>;
}

function transportFor(config: UpstreamConfig, log: (line: string) => void) {
  if ('url' in config) {
    return new StreamableHTTPClientTransport(new URL(config.url), {
      requestInit: { headers: config.headers ?? {} },
    });
  }
  const transport = new StdioClientTransport({
    command: config.command,
    args: config.args ?? [],
    env: { ...getDefaultEnvironment(), ...config.env },
    ...(config.cwd ? { cwd: config.cwd } : {}),
    stderr: 'pipe',
  });
  transport.stderr?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) log(line);
  });
  return transport;
}

export async function connectUpstreams(
  config: Pick<GatewayConfig, 'servers' | 'namespace'>,
  log: (line: string) => void = () => {},
): Promise<UpstreamPool> {
  const names = Object.keys(config.servers);
  const mode = config.namespace ?? 'auto';
  const namespaced = mode === 'always' || (mode === 'auto' && names.length > 1);
  const clients = new Map<string, Client>();
  try {
    for (const name of names) {
      const client = new Client({ name: 'keyward-mcp-gateway', version: KEYWARD_VERSION });
      await client.connect(transportFor(config.servers[name]!, (line) => log(`[${name}] ${line}`)));
      clients.set(name, client);
    }
  } catch (err) {
    await Promise.allSettled([...clients.values()].map((c) => c.close()));
    throw err;
  }
  let routes = new Map<string, RoutedTool>();

  async function listTools(): Promise<RoutedTool[]> {
    const all: RoutedTool[] = [];
    for (const [server, client] of clients) {
      let cursor: string | undefined;
      do {
        const page = await client.listTools(cursor ? { cursor } : {});
        for (const tool of page.tools) {
          all.push({
            exposed: namespaced ? `${server}${NAMESPACE_SEPARATOR}${tool.name}` : tool.name,
            server,
            tool,
          });
        }
        cursor = page.nextCursor;
      } while (cursor);
    }
    routes = new Map(all.map((r) => [r.exposed, r]));
    return all;
  }

  return {
    listTools,
    async resolve(exposed) {
      return routes.get(exposed) ?? (await listTools()).find((r) => r.exposed === exposed);
    },
    async call(route, args, signal) {
      const client = clients.get(route.server)!;
      return (await client.callTool(
        { name: route.tool.name, ...(args ? { arguments: args } : {}) },
        undefined,
        signal ? { signal } : {},
      )) as CallToolResult;
    },
    async close() {
      await Promise.allSettled([...clients.values()].map((c) => c.close()));
    },
  };
}
