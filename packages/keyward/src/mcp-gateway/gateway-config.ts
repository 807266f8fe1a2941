/**
 * The MCP gateway's config file (JSON), validated strictly: Keyward to ask, the upstream MCP
 * servers (a stdio command or a streamable HTTP URL each), what to do with calls that need an
 * approval, and where the HTTP front end listens. Secrets never live in the file: the operator
 * API token comes from KEYWARD_TOKEN (or the env var the file names).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

const strict = { additionalProperties: false } as const;
const ServerName = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$' });
const StdioServer = Type.Object(
  {
    command: Type.String({ minLength: 1 }),
    args: Type.Optional(Type.Array(Type.String())),
    env: Type.Optional(Type.Record(Type.String(), Type.String())),
    cwd: Type.Optional(Type.String()),
  },
  strict,
);
const HttpServer = Type.Object(
  {
    url: Type.String({ pattern: '^https?://' }),
    headers: Type.Optional(Type.Record(Type.String(), Type.String())),
  },
  strict,
);
export const GatewayConfigSchema = Type.Object(
  {
    keyward: Type.Object(
      {
        /** Keyward's base URL; default KEYWARD_URL, else http://127.0.0.1:8470. */
        url: Type.Optional(Type.String({ pattern: '^https?://' })),
        /** The exact `iss` of Keyward's tokens; default the URL. */
        issuer: Type.Optional(Type.String()),
        /** The env var holding the operator API token; default KEYWARD_TOKEN. */
        apiTokenEnv: Type.Optional(Type.String({ pattern: '^[A-Z_][A-Z0-9_]*$' })),
        /** The audience agent tokens must carry (the `resource` they asked for); default mcp-gateway. */
        audience: Type.Optional(Type.String({ minLength: 1 })),
      },
      strict,
    ),
    servers: Type.Record(ServerName, Type.Union([StdioServer, HttpServer]), { minProperties: 1 }),
    /** Namespace tool names `<server>__<tool>`: auto (only with several servers), always, never. */
    namespace: Type.Optional(
      Type.Union([Type.Literal('auto'), Type.Literal('always'), Type.Literal('never')]),
    ),
    approvals: Type.Optional(
      Type.Object(
        {
          /** hold: wait for the human, then forward; fail: refuse at once with the approval id. */
          mode: Type.Union([Type.Literal('hold'), Type.Literal('fail')]),
          timeoutSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400 })),
          pollIntervalMs: Type.Optional(Type.Integer({ minimum: 50, maximum: 60_000 })),
        },
        strict,
      ),
    ),
    http: Type.Optional(
      Type.Object(
        {
          host: Type.Optional(Type.String()),
          port: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
        },
        strict,
      ),
    ),
  },
  strict,
);

export type GatewayConfig = Static<typeof GatewayConfigSchema>;
export type UpstreamConfig = GatewayConfig['servers'][string];

/** Validates parsed JSON; throws one readable message naming the first bad field. */
export function parseGatewayConfig(value: unknown, source = 'config'): GatewayConfig {
  const first = Value.Errors(GatewayConfigSchema, value).First();
  if (first) throw new Error(`${source}: ${first.path || '/'} ${first.message}`);
  return value as GatewayConfig;
}

/** Reads and validates a config file; relative stdio `cwd`s resolve against the file's folder. */
export async function loadGatewayConfig(file: string): Promise<GatewayConfig> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const config = parseGatewayConfig(parsed, file);
  for (const server of Object.values(config.servers)) {
    if ('command' in server && server.cwd) server.cwd = path.resolve(path.dirname(file), server.cwd);
  }
  return config;
}
