#!/usr/bin/env node
/** The `keyward` executable: client commands plus the server commands (serve, migrate, demo …). */
import { processIo } from './cli-io.js';
import { registerMcpGatewayCommand } from './mcp-gateway-commands.js';
import { buildProgram, runProgram } from './program.js';
import { registerServerCommands } from './server-commands.js';

// `keyward audit list | head` closes stdout early: stop quietly with success, as Unix tools do,
// instead of dying with an unhandled EPIPE stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const io = processIo();
const program = buildProgram(io);
registerServerCommands(program);
registerMcpGatewayCommand(program, io);
process.exitCode = await runProgram(program, process.argv.slice(2), io);
