/** `keyward system add|list|show` and `keyward resource add|list|show`: what identities can reach. */
import type { Command } from 'commander';
import { action, addListOptions, runList } from './cli-context.js';
import type { CliIo } from './cli-io.js';
import { resolveHuman, resolveResource, resolveSystem } from './name-resolver.js';
import { asArg, labelsFrom, parseLabel, parseSensitivity, repeatable } from './option-parsers.js';
import { resourceDetail, resourceTable, systemDetail, systemTable } from './record-views.js';

export function registerSystemCommands(program: Command, io: CliIo): void {
  const system = program.command('system').description('manage business systems');

  system
    .command('add')
    .description('register a business system')
    .requiredOption('--name <name>', 'unique name')
    .requiredOption('--sensitivity <level>', 'low, medium, high or critical', asArg(parseSensitivity))
    .option('--owner <human>', 'owning human: id or email')
    .option('--description <text>', 'what it is')
    .addHelpText(
      'after',
      '\nExample:\n  $ keyward system add --name payments --sensitivity critical --owner ana@example.com',
    )
    .action(
      action(io, async (ctx, _args, o) => {
        const ownerId = o.owner === undefined ? undefined : await resolveHuman(ctx.client, o.owner);
        const created = await ctx.client.systems.create({
          name: o.name,
          sensitivity: o.sensitivity,
          ownerId,
          description: o.description,
        });
        ctx.print(created, systemDetail);
      }),
    );

  addListOptions(
    system.command('list').description('list systems').option('-q, --query <text>', 'substring of the name'),
  )
    .addHelpText('after', '\nExample:\n  $ keyward system list --all')
    .action(
      action(io, async (ctx, _args, o) => {
        await runList(ctx, o, (page) => ctx.client.systems.list({ q: o.query, ...page }), systemTable);
      }),
    );

  system
    .command('show')
    .description('show one system')
    .argument('<system>', 'id or exact name')
    .addHelpText('after', '\nExample:\n  $ keyward system show payments')
    .action(
      action(io, async (ctx, [ref]) => {
        ctx.print(await ctx.client.systems.get(await resolveSystem(ctx.client, ref!)), systemDetail);
      }),
    );
}

export function registerResourceCommands(program: Command, io: CliIo): void {
  const resource = program.command('resource').description('manage resources (databases, buckets, stores …)');

  resource
    .command('add')
    .description('register a resource')
    .requiredOption('--name <name>', 'unique name')
    .requiredOption('--kind <kind>', 'database, bucket, secret_store, repository, api, cluster, group …')
    .requiredOption('--sensitivity <level>', 'low, medium, high or critical', asArg(parseSensitivity))
    .option('--system <system>', 'business system: id or name')
    .option('--env <environment>', 'environment')
    .option('--label <key=value>', 'label (repeatable)', repeatable(parseLabel))
    .addHelpText(
      'after',
      '\nExample:\n  $ keyward resource add --name payments-db-prod --kind database --sensitivity critical \\\n' +
        '      --system payments --env prod',
    )
    .action(
      action(io, async (ctx, _args, o) => {
        const systemId = o.system === undefined ? undefined : await resolveSystem(ctx.client, o.system);
        const created = await ctx.client.resources.create({
          name: o.name,
          kind: o.kind,
          sensitivity: o.sensitivity,
          systemId,
          environment: o.env,
          labels: labelsFrom(o.label),
        });
        ctx.print(created, resourceDetail);
      }),
    );

  addListOptions(
    resource
      .command('list')
      .description('list resources')
      .option('--kind <kind>', 'resource kind')
      .option('--system <system>', 'system id or name')
      .option('--sensitivity <level>', 'sensitivity', asArg(parseSensitivity))
      .option('--env <environment>', 'environment')
      .option('-q, --query <text>', 'substring of the name'),
  )
    .addHelpText('after', '\nExample:\n  $ keyward resource list --sensitivity critical --env prod')
    .action(
      action(io, async (ctx, _args, o) => {
        const systemId = o.system === undefined ? undefined : await resolveSystem(ctx.client, o.system);
        const filter = { kind: o.kind, systemId, sensitivity: o.sensitivity, environment: o.env, q: o.query };
        await runList(ctx, o, (page) => ctx.client.resources.list({ ...filter, ...page }), resourceTable);
      }),
    );

  resource
    .command('show')
    .description('show one resource')
    .argument('<resource>', 'id or exact name')
    .addHelpText('after', '\nExample:\n  $ keyward resource show payments-db-prod')
    .action(
      action(io, async (ctx, [ref]) => {
        ctx.print(await ctx.client.resources.get(await resolveResource(ctx.client, ref!)), resourceDetail);
      }),
    );
}
