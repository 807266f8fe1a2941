/**
 * `keyward posture evaluate`: runs the posture findings engine (OWASP NHI Top 10) on the server,
 * over the estate or the named identities, and prints what changed. The `posture` group may also
 * hold the KPIs (posture-commands.ts, which owns the group).
 */
import type { Command } from 'commander';
import type { PostureCounts } from '../posture/posture-reconcile.js';
import { action } from './cli-context.js';
import type { CliIo } from './cli-io.js';
import { resolveIdentity } from './name-resolver.js';
import { repeatable } from './option-parsers.js';
import { type OutputStyle, renderTable } from './output-format.js';

export function countsView(c: PostureCounts, style: OutputStyle): string {
  const changes = renderTable(
    ['evaluated', 'opened', 'updated', 'reopened', 'resolved', 'ms'],
    [[c.evaluated, c.opened, c.updated, c.reopened, c.resolved, c.ms]],
    style,
  );
  const codes = Object.entries(c.byCode).sort(([a], [b]) => Number(a.slice(3)) - Number(b.slice(3)));
  const held =
    codes.length === 0 ? 'no posture condition holds\n' : renderTable(['code', 'conditions'], codes, style);
  return `${changes}\n${held}`;
}

export function registerPostureEvaluate(posture: Command, io: CliIo): void {
  posture
    .command('evaluate')
    .description('evaluate the posture rules now and reconcile their findings (admin)')
    .option('--identity <identity>', 'only this identity, id or name (repeatable)', repeatable(String))
    .addHelpText(
      'after',
      '\nExamples:\n  $ keyward posture evaluate\n  $ keyward posture evaluate --identity ci-deployer --json\n  $ keyward findings list --code NHI5',
    )
    .action(
      action(io, async (ctx, _args, o) => {
        const refs = (o.identity as string[] | undefined) ?? [];
        const identityIds = await Promise.all(refs.map((r) => resolveIdentity(ctx.client, r)));
        const counts = await ctx.request<PostureCounts>(
          'POST',
          '/v1/posture/evaluate',
          identityIds.length > 0 ? { identityIds } : {},
        );
        ctx.print(counts, countsView);
      }),
    );
}
