/**
 * `keyward mcp-gateway --config <file> [--stdio]`: runs the MCP gateway (src/mcp-gateway) until
 * interrupted. Over HTTP each agent sends its own Keyward access token per session; over stdio the
 * token comes from --agent-token-file (re-read per request) or env KEYWARD_AGENT_TOKEN. The
 * gateway's own operator API token comes from env KEYWARD_TOKEN (or --token). In stdio mode stdout
 * is the MCP channel, so every message goes to stderr.
 */
import type { Command } from 'commander';
import { loadGatewayConfig } from '../mcp-gateway/gateway-config.js';
import { startGateway } from '../mcp-gateway/mcp-gateway.js';
import { DEFAULT_URL, type GlobalOptions } from './cli-context.js';
import { CliError } from './cli-errors.js';
import type { CliIo } from './cli-io.js';
import { asArg, parsePositiveInt } from './option-parsers.js';

interface GatewayFlags {
  config: string;
  stdio?: boolean;
  host?: string;
  port?: number;
  agentTokenFile?: string;
}

export function registerMcpGatewayCommand(program: Command, io: CliIo): void {
  program
    .command('mcp-gateway')
    .description('run the MCP gateway: authorize every MCP tool call through Keyward')
    .requiredOption('--config <file>', 'gateway config (JSON; see docs/mcp-gateway.md)')
    .option('--stdio', 'serve one agent over stdio instead of streamable HTTP')
    .option('--host <host>', 'HTTP address (default from the config, else 127.0.0.1)')
    .option('--port <port>', 'HTTP port (default from the config, else 8471)', asArg(parsePositiveInt))
    .option(
      '--agent-token-file <file>',
      "stdio: file holding the agent's access token (else env KEYWARD_AGENT_TOKEN)",
    )
    .addHelpText(
      'after',
      '\nExamples:\n  $ KEYWARD_TOKEN=kw_… keyward mcp-gateway --config gateway.json --port 8471\n  $ KEYWARD_AGENT_TOKEN=eyJ… keyward mcp-gateway --config gateway.json --stdio',
    )
    .action(async (flags: GatewayFlags, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      const config = await loadGatewayConfig(flags.config).catch((err: Error) => {
        throw new CliError(err.message);
      });
      const tokenEnv = config.keyward.apiTokenEnv ?? 'KEYWARD_TOKEN';
      const apiToken = globals.token ?? io.env[tokenEnv];
      if (!apiToken) throw new CliError(`the gateway needs an operator API token in env ${tokenEnv}`);
      const log = (line: string) => void io.stderr.write(`mcp-gateway: ${line}\n`);
      const gateway = await startGateway({
        config,
        keywardUrl: globals.url ?? io.env['KEYWARD_URL'] ?? DEFAULT_URL,
        apiToken,
        front: flags.stdio
          ? {
              kind: 'stdio',
              agentToken: flags.agentTokenFile
                ? { file: flags.agentTokenFile }
                : { env: 'KEYWARD_AGENT_TOKEN' },
            }
          : {
              kind: 'http',
              ...(flags.host ? { host: flags.host } : {}),
              ...(flags.port !== undefined ? { port: flags.port } : {}),
            },
        log,
      }).catch((err: Error) => {
        throw new CliError(err.message);
      });
      if (gateway.url) io.stdout.write(`MCP gateway listening on ${gateway.url}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        if (flags.stdio) process.stdin.once('end', stop);
      });
      await gateway.close();
    });
}
