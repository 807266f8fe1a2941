/** `keyward edge add|list|rm`: the lineage and access graph's relations. */
import type { Command } from 'commander';
import { action, addListOptions, runList } from './cli-context.js';
import type { CliIo } from './cli-io.js';
import { resolveNode } from './name-resolver.js';
import { asArg, parseEdgeKind, repeatable } from './option-parsers.js';
import { edgeTable } from './record-views.js';

const NODE_HELP = 'id, name, or type:name (identity:, resource:, system:, human:email)';

export function registerEdgeCommands(program: Command, io: CliIo): void {
  const edge = program
    .command('edge')
    .description('manage graph edges between identities, humans, resources, systems');

  edge
    .command('add')
    .description('add an edge')
    .requiredOption(
      '--kind <kind>',
      'created, owns, sponsors, delegates_to, can_assume, has_permission, stored_in, member_of',
      asArg(parseEdgeKind),
    )
    .requiredOption('--from <node>', NODE_HELP)
    .requiredOption('--to <node>', NODE_HELP)
    .option('--action <action>', 'granted action for has_permission (repeatable)', repeatable(String))
    .addHelpText(
      'after',
      '\nExamples:\n  $ keyward edge add --kind owns --from human:ana@example.com --to payments-api-prod\n' +
        '  $ keyward edge add --kind has_permission --from payments-api-prod --to resource:payments-db-prod \\\n' +
        '      --action read --action write',
    )
    .action(
      action(io, async (ctx, _args, o) => {
        const fromId = await resolveNode(ctx.client, o.from);
        const toId = await resolveNode(ctx.client, o.to);
        ctx.print(
          await ctx.client.edges.create({ kind: o.kind, fromId, toId, actions: o.action }),
          (e, style) => edgeTable([e], style),
        );
      }),
    );

  addListOptions(
    edge
      .command('list')
      .description('list edges')
      .option('--kind <kind>', 'edge kind', asArg(parseEdgeKind))
      .option('--from <node>', NODE_HELP)
      .option('--to <node>', NODE_HELP),
  )
    .addHelpText('after', '\nExample:\n  $ keyward edge list --from ci-deployer --kind can_assume')
    .action(
      action(io, async (ctx, _args, o) => {
        const fromId = o.from === undefined ? undefined : await resolveNode(ctx.client, o.from);
        const toId = o.to === undefined ? undefined : await resolveNode(ctx.client, o.to);
        await runList(
          ctx,
          o,
          (page) => ctx.client.edges.list({ kind: o.kind, fromId, toId, ...page }),
          edgeTable,
        );
      }),
    );

  edge
    .command('rm')
    .description('delete an edge')
    .argument('<edge-id>', 'edge id (edg_…)')
    .addHelpText('after', '\nExample:\n  $ keyward edge rm edg_0190f0c2a1b27c3d8e9f0a1b2c3d4e5f')
    .action(
      action(io, async (ctx, [id]) => {
        await ctx.client.edges.delete(id!);
        ctx.print({ deleted: id }, () => `deleted ${id}\n`);
      }),
    );
}
