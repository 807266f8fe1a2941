/**
 * `keyward import <source> <paths…>`: reads AWS IAM, Kubernetes, GitHub or CSV/JSON exports on this
 * machine and sends them to the server's importer (or names a path the server reads itself), then
 * prints what changed. `keyward discovery runs|show|scopes|credentials` read back what imports found.
 */
import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import type { CredentialRecord, DiscoveryRun } from '../discovery/discovery-types.js';
import type { ImportSource } from '../discovery/import-batch.js';
import { readImportInputs } from '../discovery/import-files.js';
import { action, addListOptions, runList } from './cli-context.js';
import { CliError } from './cli-errors.js';
import type { CliIo } from './cli-io.js';
import { credentialTable, runTable, runView } from './discovery-views.js';
import { resolveIdentity } from './name-resolver.js';
import { asArg, parsePositiveInt, repeatable } from './option-parsers.js';
import { progressBar } from './progress-bar.js';

const SOURCES: Record<string, ImportSource> = {
  aws: 'aws-iam',
  'aws-iam': 'aws-iam',
  kubernetes: 'kubernetes',
  k8s: 'kubernetes',
  github: 'github',
  csv: 'generic',
  json: 'generic',
  generic: 'generic',
};

const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

function parseMapping(value: string): [string, string] {
  const eq = value.lastIndexOf('=');
  if (eq <= 0 || eq === value.length - 1)
    throw new CliError(`invalid --map "${value}"; expected "Input Column=field"`);
  return [value.slice(0, eq), value.slice(eq + 1)];
}

function scopeOf(source: ImportSource, o: Record<string, unknown>): string | undefined {
  if (typeof o['scope'] === 'string') return o['scope'];
  if (source === 'kubernetes' && typeof o['cluster'] === 'string') return `k8s:${o['cluster']}`;
  if (source === 'generic' && typeof o['source'] === 'string')
    return o['source'].includes(':') ? o['source'] : `csv:${o['source']}`;
  return undefined;
}

export function registerImportCommands(program: Command, io: CliIo): void {
  program
    .command('import')
    .description(
      'import identities, permissions and credentials from AWS IAM, Kubernetes, GitHub or CSV/JSON (idempotent)',
    )
    .argument('<source>', `one of ${Object.keys(SOURCES).join(', ')}`)
    .argument('<paths...>', 'files or directories (directories are read recursively)')
    .option('--scope <scope>', 'override the estate the import describes (AWS: the account, GitHub: the org)')
    .option('--cluster <name>', 'kubernetes: the cluster name (scope k8s:<name>; default "default")')
    .option('--source <name>', 'csv/json: what the records come from (scope csv:<name>; required)')
    .option('--env <environment>', 'environment for identities whose source does not say')
    .option(
      '--map <column=field>',
      'csv/json: map an input column to a Keyward field (repeatable)',
      repeatable(parseMapping),
      [],
    )
    .option('--partial', 'the files are a subset of the source: mark nothing as gone')
    .option('--dry-run', 'show what would change, change nothing')
    .option(
      '--server-path',
      'the path is on the server (under its KEYWARD_DISCOVERY_ROOTS); nothing is uploaded',
    )
    .option('--max-bytes <n>', `largest upload (default ${DEFAULT_MAX_BYTES})`, asArg(parsePositiveInt))
    .option('--strict', 'exit 1 when any input was rejected (default: import the rest, report, exit 0)')
    .addHelpText(
      'after',
      `
Examples:
  $ aws iam get-account-authorization-details > auth.json && aws iam get-credential-report --query Content --output text | base64 -d > report.csv
  $ keyward import aws auth.json report.csv
  $ kubectl get sa,roles,clusterroles,rolebindings,clusterrolebindings,secrets,deploy,sts,ds,cronjobs,jobs -A -o yaml > k8s.yaml
  $ keyward import kubernetes k8s.yaml --cluster prod-eu
  $ keyward import github examples/discovery/github/acme-robotics.json
  $ keyward import csv saas-keys.csv --source saas --map "Service Name=name" --map "Team Lead=owner_email"
Re-importing updates what changed; records gone from the source are marked (label kw.missing_since), never deleted.`,
    )
    .action(
      action(io, async (ctx, args, o) => {
        const [sourceName, paths] = args as [string, string[]];
        const source = SOURCES[sourceName];
        if (!source)
          throw new CliError(
            `unknown source "${sourceName}"; expected one of ${Object.keys(SOURCES).join(', ')}`,
          );
        const scope = scopeOf(source, o);
        if (source === 'generic' && !scope)
          throw new CliError('csv/json imports need --source <name> (what the records come from)');
        const common = {
          source,
          ...(scope ? { scope } : {}),
          ...(o.env ? { environment: o.env as string } : {}),
          ...((o.map as Array<[string, string]>).length > 0
            ? { mapping: Object.fromEntries(o.map as Array<[string, string]>) }
            : {}),
          partial: o.partial === true,
          dryRun: o.dryRun === true,
        };
        let body: Record<string, unknown>;
        let localProblems: Awaited<ReturnType<typeof readImportInputs>>['problems'] = [];
        if (o.serverPath) {
          if (paths.length !== 1) throw new CliError('--server-path takes exactly one path');
          body = { ...common, path: paths[0] };
        } else {
          const maxBytes = (o.maxBytes as number | undefined) ?? DEFAULT_MAX_BYTES;
          let total = 0;
          for (const p of paths)
            total += await stat(p).then(
              (s) => (s.isFile() ? s.size : 0),
              () => 0,
            );
          const bar = progressBar(ctx, 'reading', 'bytes');
          bar.update(0, total);
          const read = await readImportInputs(paths, maxBytes);
          bar.update(read.bytes, Math.max(total, read.bytes));
          bar.stop();
          localProblems = read.problems;
          if (read.files.length === 0)
            throw new CliError(
              `nothing to import: ${localProblems[0] ? `${localProblems[0].file}: ${localProblems[0].reason}` : 'no input files'}`,
            );
          ctx.note(
            `importing ${read.files.length} file${read.files.length === 1 ? '' : 's'} (${(read.bytes / 1_048_576).toFixed(1)} MB)…`,
          );
          body = { ...common, files: read.files.map((f) => ({ path: f.path, text: f.text })) };
        }
        const outcome = await ctx.request<{ run: DiscoveryRun; dryRun: boolean }>(
          'POST',
          '/v1/discovery/imports',
          body,
        );
        if (localProblems.length > 0) {
          outcome.run.summary.problems.unshift(...localProblems);
          outcome.run.summary.problemCount += localProblems.length;
        }
        ctx.print(outcome, runView);
        const rejected = outcome.run.summary.problems.some((p) => p.severity === 'error');
        if (o.strict && rejected)
          throw new CliError(`some input was rejected (${outcome.run.summary.problemCount} problems)`);
      }),
    );

  const discovery = program
    .command('discovery')
    .description('what imports and scans found: runs, sources, credentials');
  addListOptions(
    discovery
      .command('runs')
      .description('import and scan runs, newest first')
      .option('--type <type>', 'import or scan')
      .option('--scope <scope>', 'only runs of this scope'),
  ).action(
    action(io, async (ctx, _args, o) => {
      const query = new URLSearchParams();
      for (const k of ['type', 'scope', 'limit', 'cursor'] as const)
        if (o[k] !== undefined) query.set(k, String(o[k]));
      await runList(
        ctx,
        o,
        async (page) => {
          const q = new URLSearchParams(query);
          if (page.cursor) q.set('cursor', page.cursor);
          return ctx.request('GET', `/v1/discovery/runs?${q}`);
        },
        runTable,
      );
    }),
  );
  discovery
    .command('show')
    .description('one run with its summary and problems')
    .argument('<run>', 'run id (run_…)')
    .action(
      action(io, async (ctx, [id]) =>
        ctx.print(
          { run: await ctx.request<DiscoveryRun>('GET', `/v1/discovery/runs/${encodeURIComponent(id!)}`) },
          runView,
        ),
      ),
    );
  discovery
    .command('scopes')
    .description('every imported source scope with its record count')
    .action(
      action(io, async (ctx) => {
        const res = await ctx.request<{
          items: Array<{ scope: string; refs: number; lastImportedAt: string }>;
        }>('GET', '/v1/discovery/scopes');
        ctx.print(res, (r) =>
          r.items.length === 0
            ? 'nothing imported yet\n'
            : r.items
                .map((s) => `${s.scope}\t${s.refs} records\tlast import ${s.lastImportedAt}`)
                .join('\n') + '\n',
        );
      }),
    );
  addListOptions(
    discovery
      .command('credentials')
      .description('credentials found by imports (access keys, tokens, deploy keys; never their secrets)')
      .option('--identity <identity>', "only this identity's (id or name)")
      .option('--status <status>', 'active, inactive or revoked')
      .option('--kind <kind>', 'e.g. aws_access_key, github_token')
      .option('--scope <scope>', 'only this scope'),
  ).action(
    action(io, async (ctx, _args, o) => {
      const query = new URLSearchParams();
      if (o.identity) query.set('identityId', await resolveIdentity(ctx.client, o.identity as string));
      for (const k of ['status', 'kind', 'scope', 'limit'] as const)
        if (o[k] !== undefined) query.set(k, String(o[k]));
      await runList<CredentialRecord>(
        ctx,
        o,
        async (page) => {
          const q = new URLSearchParams(query);
          if (page.cursor) q.set('cursor', page.cursor);
          return ctx.request('GET', `/v1/credentials?${q}`);
        },
        credentialTable,
      );
    }),
  );
}
