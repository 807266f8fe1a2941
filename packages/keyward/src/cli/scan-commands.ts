/**
 * `keyward scan <path>`: finds secrets in a directory and, with --history, in every commit of its
 * git repository, on this machine (the secrets never leave it: only redacted previews and
 * fingerprints do). Prints a table, --json or SARIF, and records the findings with the server, which
 * links each to the credential and identity it belongs to (NHI2), unless --no-submit.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import type { DiscoveryRun } from '../discovery/discovery-types.js';
import { loadRuleFile } from '../discovery/scan/rule-file.js';
import { toSarif } from '../discovery/scan/scan-output.js';
import type { ScanOptions, ScanResult } from '../discovery/scan/scan-types.js';
import { scanTree } from '../discovery/scan/secret-scanner.js';
import { KEYWARD_VERSION } from '../version.js';
import { action, type CliContext } from './cli-context.js';
import { CliError } from './cli-errors.js';
import type { CliIo } from './cli-io.js';
import { runView, scanHeadline, scanView } from './discovery-views.js';
import { asArg, parseNonNegativeInt, parsePositiveInt, repeatable } from './option-parsers.js';
import { json } from './output-format.js';
import { progressBar } from './progress-bar.js';

const FORMATS = ['table', 'json', 'sarif'] as const;

function output(ctx: CliContext, result: ScanResult, format: string, root: string): string {
  if (format === 'sarif') return json(toSarif(result, { toolVersion: KEYWARD_VERSION, root }));
  if (format === 'json' || ctx.json) return json(result);
  return scanView(result, ctx.style);
}

export function registerScanCommands(program: Command, io: CliIo): void {
  program
    .command('scan')
    .description(
      'find secrets in files and git history; record them as NHI2 findings linked to the inventory',
    )
    .argument('<path>', 'a file, a directory or a git work tree')
    .option('--history', 'also scan every commit of the repository (deleted files included)')
    .option('--format <format>', `${FORMATS.join(', ')} (default table; --json is json)`)
    .option('--output <file>', 'write the report to a file instead of stdout')
    .option('--rules <file>', 'extra detection rules (JSON or YAML; see docs/discovery.md)')
    .option('--allow-fingerprint <sha256:…>', 'never report this secret (repeatable)', repeatable(String), [])
    .option('--allow-rule <rule>', 'never report this rule (repeatable)', repeatable(String), [])
    .option('--allow-path <glob>', 'never report secrets in these paths (repeatable)', repeatable(String), [])
    .option('--workers <n>', 'worker threads (default: cores - 1; 0: none)', asArg(parseNonNegativeInt))
    .option('--max-file-bytes <n>', 'skip larger files (default 10 MiB)', asArg(parsePositiveInt))
    .option('--target <name>', 'what findings name as the repository (default: the directory name)')
    .option('--no-submit', 'only report here: do not record the findings with the server')
    .option('--server', 'let the server scan the path (under its KEYWARD_DISCOVERY_ROOTS) instead')
    .option('--fail-on-findings', 'exit 1 when any secret is found (for CI)')
    .addHelpText(
      'after',
      `
Examples:
  $ keyward scan . --history                       # working tree and every commit; findings recorded
  $ keyward scan . --no-submit --format sarif --output keyward.sarif --fail-on-findings
  $ keyward scan ./infra --rules my-rules.yaml --allow-path "test/fixtures/**"
Inline: a line holding "keyward:allow" is never reported; "keyward:allow-next-line" covers the next one.`,
    )
    .action(
      action(io, async (ctx, [target], o) => {
        const root = path.resolve(target!);
        const format = (o.format as string | undefined) ?? (ctx.json ? 'json' : 'table');
        if (!(FORMATS as readonly string[]).includes(format))
          throw new CliError(`invalid --format "${format}"; expected ${FORMATS.join(', ')}`);
        const name = (o.target as string | undefined) ?? path.basename(root);
        if (o.server) {
          const res = await ctx.request<{ run: DiscoveryRun } & ScanResult>('POST', '/v1/discovery/scans', {
            path: target,
            target: name,
            history: o.history === true,
          });
          await emit(ctx, output(ctx, res, format, root), o.output as string | undefined, res);
          ctx.note(runView({ run: res.run }, ctx.style).trimEnd());
          if (o.failOnFindings && res.findings.length > 0)
            throw new CliError(`${res.findings.length} secrets found`);
          return;
        }
        // One bar per phase: the working tree in bytes, then the history in blobs.
        let bar = progressBar(ctx, 'scanning files', 'bytes');
        let barPhase: 'tree' | 'history' = 'tree';
        const options: ScanOptions = {
          history: o.history === true,
          ...(o.workers !== undefined ? { workers: o.workers as number } : {}),
          ...(o.maxFileBytes !== undefined ? { maxFileBytes: o.maxFileBytes as number } : {}),
          ...(o.rules ? { rules: await loadRuleFile(o.rules as string) } : {}),
          allowlist: {
            fingerprints: o.allowFingerprint as string[],
            rules: o.allowRule as string[],
            paths: o.allowPath as string[],
          },
          onProgress: (done, total, phase) => {
            if (phase !== barPhase) {
              bar.stop();
              bar = progressBar(ctx, 'scanning history', 'blobs');
              barPhase = phase;
            }
            bar.update(done, total);
          },
        };
        let result: ScanResult;
        try {
          result = await scanTree(root, options);
        } finally {
          bar.stop();
        }
        await emit(ctx, output(ctx, result, format, root), o.output as string | undefined, result);
        for (const p of result.problems.slice(0, 10)) ctx.note(`warning: ${p.path}: ${p.reason}`);
        if (o.submit !== false) {
          if (!ctx.hasToken()) {
            ctx.note('not recorded with the server: set KEYWARD_TOKEN (or pass --no-submit)');
          } else {
            const { run } = await ctx.request<{ run: DiscoveryRun }>('POST', '/v1/discovery/scans', {
              target: name,
              findings: result.findings,
              problems: result.problems.slice(0, 10_000),
              stats: {
                files: result.stats.files,
                bytes: result.stats.bytes,
                durationMs: result.stats.durationMs,
              },
            });
            const f = run.summary.findings;
            ctx.note(
              `recorded as ${run.id}: ${f.opened} new findings (${f.linked} linked to the inventory), ${f.updated} seen before`,
            );
          }
        }
        if (o.failOnFindings && result.findings.length > 0)
          throw new CliError(`${result.findings.length} secrets found`);
      }),
    );
}

async function emit(
  ctx: CliContext,
  text: string,
  file: string | undefined,
  result: ScanResult,
): Promise<void> {
  if (file) {
    await writeFile(file, text);
    // The report is in the file; the terminal (or CI log) still gets the one-line verdict.
    if (!ctx.json) ctx.io.stdout.write(`${scanHeadline(result)}; report written to ${file}\n`);
  } else {
    ctx.io.stdout.write(text);
  }
}
