/** `keyward lineage`, `keyward blast-radius`, `keyward path`: graph queries. */
import type { Command } from 'commander';
import { action } from './cli-context.js';
import type { CliIo } from './cli-io.js';
import { renderBlastRadius, renderLineage, renderPath } from './graph-views.js';
import { resolveIdentity, resolveNode } from './name-resolver.js';
import { asArg, parsePositiveInt } from './option-parsers.js';

export function registerGraphCommands(program: Command, io: CliIo): void {
  program
    .command('lineage')
    .description('who created, owns and sponsors an identity, and what it created or delegates to')
    .argument('<identity>', 'id or exact name')
    .option('--depth <n>', 'maximum hops each way', asArg(parsePositiveInt))
    .addHelpText('after', '\nExample:\n  $ keyward lineage support-triage-agent --depth 3')
    .action(
      action(io, async (ctx, [ref], o) => {
        const id = await resolveIdentity(ctx.client, ref!);
        ctx.print(await ctx.client.identities.lineage(id, { depth: o.depth }), renderLineage);
      }),
    );

  program
    .command('blast-radius')
    .description('everything an identity can reach if compromised, most sensitive first')
    .argument('<identity>', 'id or exact name')
    .option('--limit <n>', 'entries to list (totals always cover everything)', asArg(parsePositiveInt))
    .addHelpText('after', '\nExample:\n  $ keyward blast-radius ci-deployer --limit 20')
    .action(
      action(io, async (ctx, [ref], o) => {
        const id = await resolveIdentity(ctx.client, ref!);
        ctx.print(await ctx.client.identities.blastRadius(id, { limit: o.limit }), renderBlastRadius);
      }),
    );

  program
    .command('path')
    .description('the shortest path by which FROM reaches TO')
    .argument('<from>', 'id, name, or type:name')
    .argument('<to>', 'id, name, or type:name')
    .addHelpText('after', '\nExample:\n  $ keyward path ci-deployer resource:customer-db-prod')
    .action(
      action(io, async (ctx, [fromRef, toRef]) => {
        const from = await resolveNode(ctx.client, fromRef!);
        const to = await resolveNode(ctx.client, toRef!);
        ctx.print(await ctx.client.graph.path(from, to), renderPath);
      }),
    );
}
