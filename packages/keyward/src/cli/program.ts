/**
 * The `keyward` command tree (client commands) and the runner shared by main.ts and tests. Errors end
 * as one stderr line and an exit code: 1 for failures, 2 for usage errors (commander's).
 */
import { Command, CommanderError } from 'commander';
import { registerAlertCommands } from './alert-commands.js';
import { registerApprovalCommands } from './approval-commands.js';
import { registerAuditCommands } from './audit-commands.js';
import { registerResourceCommands, registerSystemCommands } from './catalog-commands.js';
import { DEFAULT_URL, type GlobalOptions, tokenOf } from './cli-context.js';
import { errorLine, exitCodeFor } from './cli-errors.js';
import { type CliIo, processIo } from './cli-io.js';
import { registerEdgeCommands } from './edge-commands.js';
import { registerFindingCommands } from './finding-commands.js';
import { registerGraphCommands } from './graph-commands.js';
import { registerHumanCommands } from './human-commands.js';
import { registerIdentityCommands } from './identity-commands.js';
import { registerImportCommands } from './import-commands.js';
import { registerKeyCommands } from './key-commands.js';
import { registerLifecycleCommands } from './lifecycle-commands.js';
import { registerPolicyCommands } from './policy-commands.js';
import { postureGroup, registerPostureCommands } from './posture-commands.js';
import { registerPostureEvaluate } from './posture-evaluate-command.js';
import { registerPostureRightSize } from './posture-right-size-command.js';
import { registerReviewCommands } from './review-commands.js';
import { registerRotationCommands } from './rotation-commands.js';
import { registerScanCommands } from './scan-commands.js';
import { registerTaskCommands } from './task-commands.js';
import { registerTokenCommands } from './token-commands.js';

export function buildProgram(io: CliIo = processIo()): Command {
  const program = new Command('keyward')
    .description(
      'Keyward: the identity control plane for non-human identities: inventory, lineage and blast radius, just-in-time credentials, runtime authorization, audit and detection',
    )
    .option('--url <url>', `server URL (env KEYWARD_URL, default ${DEFAULT_URL})`)
    .option('--token <token>', 'API token (env KEYWARD_TOKEN; prefer the env var, argv is visible to ps)')
    .option('--json', 'print the raw API JSON')
    .showSuggestionAfterError()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    // Throw instead of process.exit, so runProgram decides the exit code (and tests run in-process).
    // Subcommands inherit this and the output configuration.
    .exitOverride()
    .addHelpText(
      'after',
      '\nExamples:\n  $ export KEYWARD_TOKEN=…\n  $ keyward identity list --env prod\n  $ keyward blast-radius ci-deployer\n  $ keyward import aws auth.json report.csv\n  $ keyward scan . --history\n  $ keyward summary --json',
    );
  registerIdentityCommands(program, io);
  registerHumanCommands(program, io);
  registerSystemCommands(program, io);
  registerResourceCommands(program, io);
  registerEdgeCommands(program, io);
  registerGraphCommands(program, io);
  registerTokenCommands(program, io);
  registerKeyCommands(program, io);
  registerAuditCommands(program, io);
  registerPolicyCommands(program, io);
  registerApprovalCommands(program, io);
  registerTaskCommands(program, io);
  registerAlertCommands(program, io);
  registerImportCommands(program, io);
  registerScanCommands(program, io);
  registerFindingCommands(program, io);
  registerPostureCommands(program, io);
  registerPostureEvaluate(postureGroup(program), io);
  registerPostureRightSize(postureGroup(program), io);
  registerLifecycleCommands(program, io);
  registerReviewCommands(program, io);
  registerRotationCommands(program, io);
  return program;
}

/** Parses and runs `argv` (user args, without node and script); resolves to the exit code. */
export async function runProgram(program: Command, argv: readonly string[], io: CliIo): Promise<number> {
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    // Commander has already printed its own message (or the help) for its errors.
    if (error instanceof CommanderError) return exitCodeFor(error);
    io.stderr.write(`${errorLine(error, [tokenOf(program.opts<GlobalOptions>(), io)])}\n`);
    return exitCodeFor(error);
  }
}

/** Builds the client program and runs it: the in-process entry point for tests. */
export function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  return runProgram(buildProgram(io), argv, io);
}
