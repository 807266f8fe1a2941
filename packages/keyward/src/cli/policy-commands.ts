/**
 * `keyward policy …`: policies as code. `validate`, `test` and `schema` run offline (no server):
 * the same compiler and engine the server uses. `diff`, `apply`, `rollback`, `show` and `history`
 * talk to the server (`/v1/policies`; apply and rollback need an admin token).
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { SCHEMA_FILE } from '../authz/cedar-schema.js';
import type { DiffReport } from '../authz/policy-diff.js';
import { readPolicyFiles, readPolicyTests } from '../authz/policy-files.js';
import type { PolicySetView } from '../authz/policy-service.js';
import { compilePolicySet, type PolicyProblem } from '../authz/policy-set.js';
import { type PolicyTestResult, runPolicyTests } from '../authz/policy-test-runner.js';
import type { PolicyVersion } from '../storage/storage-types.js';
import { action, type CliContext } from './cli-context.js';
import { CliError } from './cli-errors.js';
import type { CliIo } from './cli-io.js';
import { asArg, parsePositiveInt } from './option-parsers.js';
import { dash, type OutputStyle, paint, renderDetail, renderTable, time } from './output-format.js';

const problemsTable = (problems: PolicyProblem[], style: OutputStyle): string =>
  renderTable(
    ['file', 'policy', 'problem'],
    problems.map((p) => [dash(p.file), dash(p.policyId), p.message]),
    style,
  );

/** Compiles offline; prints the problems and fails when there are any. */
function compileOrFail(ctx: CliContext, paths: string[]) {
  const files = readPolicyFiles(paths);
  const result = compilePolicySet(files);
  if (!result.ok) {
    ctx.print({ valid: false, problems: result.problems }, (d, style) => problemsTable(d.problems, style));
    throw new CliError(`${result.problems.length} problem(s) in the policy set`, 'validation_failed');
  }
  return { files, set: result.set };
}

function testTable(results: PolicyTestResult[], style: OutputStyle): string {
  const failed = results.filter((r) => !r.pass);
  const summary = `${results.length - failed.length} of ${results.length} policy tests passed\n`;
  if (failed.length === 0) return summary;
  return (
    renderTable(
      ['file', 'case', 'expected', 'actual', 'policies', 'reason'],
      failed.map((r) => [
        r.file,
        r.name,
        r.expected,
        paint(r.actual, 'red', style),
        r.policyIds.join(', ') || '-',
        r.reason,
      ]),
      style,
    ) + summary
  );
}

function setView(v: PolicySetView, style: OutputStyle): string {
  return renderDetail(
    [
      ['version', v.version],
      ['kind', v.kind],
      ['hash', v.hash.slice(0, 16)],
      ['created', time(v.createdAt)],
      ['by', v.createdBy],
      ['reason', v.reason],
      ['files', v.files.map((f) => f.name).join(', ')],
      ['policies', v.policyIds.join(', ')],
      ['approval', v.approvalPolicyIds.join(', ')],
    ],
    style,
  );
}

const historyTable = (items: Array<Omit<PolicyVersion, 'files'>>, style: OutputStyle): string =>
  renderTable(
    ['version', 'kind', 'created', 'by', 'reason'],
    items.map((v) => [
      v.version,
      v.kind === 'rollback' ? `rollback to ${v.restoredFrom}` : v.kind,
      time(v.createdAt),
      v.createdBy,
      v.reason,
    ]),
    style,
  );

function diffView(d: DiffReport, style: OutputStyle): string {
  const head = `${d.replayed} recent decisions replayed (${d.distinct} distinct, ${d.skipped} skipped): ${d.changed} would change\n`;
  if (d.changes.length === 0) return head;
  return (
    renderTable(
      ['principal', 'action', 'resource', 'count', 'now', 'candidate', 'by'],
      d.changes.map((c) => [
        c.principal,
        c.action,
        c.resource,
        c.count,
        c.current,
        paint(c.candidate, c.candidate === 'allow' ? 'green' : 'red', style),
        c.candidatePolicyIds.join(', ') || '-',
      ]),
      style,
    ) + head
  );
}

export function registerPolicyCommands(program: Command, io: CliIo): void {
  const policy = program
    .command('policy')
    .description('Cedar policies as code: validate, test, diff, apply, rollback');

  policy
    .command('validate')
    .description('check policy files offline: Cedar syntax and Keyward’s schema (strict)')
    .argument('<paths...>', 'a directory of .cedar files, or files')
    .addHelpText('after', '\nExample:\n  $ keyward policy validate examples/policies')
    .action(
      action(io, async (ctx, [paths]) => {
        const { set } = compileOrFail(ctx, paths as unknown as string[]);
        const ids = Object.keys(set.policies);
        ctx.print(
          { valid: true, hash: set.hash, policyIds: ids, approvalPolicyIds: [...set.approvalIds] },
          () => `${ids.length} policies valid (${set.approvalIds.size} approval-lifted)\n`,
        );
      }),
    );

  policy
    .command('test')
    .description('run policy test files (*.json under the directory) offline; non-zero exit on any mismatch')
    .argument('<dir>', 'the policy directory (its .cedar files; tests in *.json below it)')
    .option('--tests <path>', 'test files elsewhere (a directory or a file)')
    .addHelpText('after', '\nExample:\n  $ keyward policy test examples/policies')
    .action(
      action(io, async (ctx, [dir], o) => {
        const { set } = compileOrFail(ctx, [dir!]);
        const tests = readPolicyTests([o.tests ?? dir!]);
        if (tests.length === 0) throw new CliError(`no test files (*.json) in ${o.tests ?? dir}`);
        const results = await runPolicyTests(set, tests);
        const failed = results.filter((r) => !r.pass).length;
        ctx.print({ passed: results.length - failed, failed, results }, (d, style) =>
          testTable(d.results, style),
        );
        if (failed > 0)
          throw new CliError(`${failed} of ${results.length} policy tests failed`, 'tests_failed');
      }),
    );

  policy
    .command('diff')
    .description(
      'replay recent real decisions against a candidate set; list every decision that would change',
    )
    .argument('<dir>', 'the candidate policy directory')
    .option('--limit <n>', 'how many recent decisions to replay (default 1000)', asArg(parsePositiveInt))
    .addHelpText('after', '\nExample:\n  $ keyward policy diff examples/policies')
    .action(
      action(io, async (ctx, [dir], o) => {
        const { files } = compileOrFail(ctx, [dir!]);
        const report = await ctx.request<DiffReport>('POST', '/v1/policies/diff', {
          files,
          ...(o.limit ? { limit: o.limit } : {}),
        });
        ctx.print(report, diffView);
      }),
    );

  policy
    .command('apply')
    .description('make a policy directory the active set (a new version; admin)')
    .argument('<dir>', 'the policy directory')
    .requiredOption('--reason <text>', 'why (recorded with the version and in the audit log)')
    .addHelpText(
      'after',
      '\nExample:\n  $ keyward policy apply examples/policies --reason "step-up approval for prod writes"',
    )
    .action(
      action(io, async (ctx, [dir], o) => {
        const { files } = compileOrFail(ctx, [dir!]);
        ctx.print(
          await ctx.request<PolicySetView>('POST', '/v1/policies', { files, reason: o.reason }),
          setView,
        );
      }),
    );

  policy
    .command('rollback')
    .description('make an earlier version active again (default: the one the active version replaced; admin)')
    .option('--to <version>', 'the version to restore (0: the built-in default set)', asArg(parseVersion))
    .requiredOption('--reason <text>', 'why')
    .addHelpText(
      'after',
      '\nExample:\n  $ keyward policy rollback --to 1 --reason "diff showed too many denials"',
    )
    .action(
      action(io, async (ctx, _args, o) => {
        const body = { reason: o.reason, ...(o.to !== undefined ? { to: o.to } : {}) };
        ctx.print(await ctx.request<PolicySetView>('POST', '/v1/policies/rollback', body), setView);
      }),
    );

  policy
    .command('show')
    .description('the active policy set (or one version) with its policies')
    .option('--version <n>', 'a version instead of the active one', asArg(parseVersion))
    .option('--text', 'print the Cedar text of the files')
    .addHelpText('after', '\nExample:\n  $ keyward policy show --text')
    .action(
      action(io, async (ctx, _args, o) => {
        const path = o.version !== undefined ? `/v1/policies/versions/${o.version}` : '/v1/policies';
        const view = await ctx.request<PolicySetView>('GET', path);
        ctx.print(view, (v, style) =>
          o.text ? v.files.map((f) => `// ${f.name}\n${f.text}`).join('\n') : setView(v, style),
        );
      }),
    );

  policy
    .command('history')
    .description('policy versions, newest first: who, when, why')
    .option('--limit <n>', 'how many (default 100)', asArg(parsePositiveInt))
    .addHelpText('after', '\nExample:\n  $ keyward policy history')
    .action(
      action(io, async (ctx, _args, o) => {
        const page = await ctx.request<{ items: Array<Omit<PolicyVersion, 'files'>> }>(
          'GET',
          `/v1/policies/versions${o.limit ? `?limit=${o.limit}` : ''}`,
        );
        ctx.print(page, (p, style) => historyTable(p.items, style));
      }),
    );

  policy
    .command('schema')
    .description('print Keyward’s Cedar schema (keyward.cedarschema)')
    .addHelpText('after', '\nExample:\n  $ keyward policy schema > keyward.cedarschema')
    .action(
      action(io, async (ctx) => {
        const text = readFileSync(SCHEMA_FILE, 'utf8');
        ctx.print({ schema: text }, () => text);
      }),
    );
}

function parseVersion(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new CliError(`not a version number: ${value}`);
  return n;
}
