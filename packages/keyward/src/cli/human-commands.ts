/** `keyward human add|list|show|update|deactivate`: the people who own and sponsor identities. */
import type { HumanPatch } from '@keyward/sdk';
import type { Command } from 'commander';
import { action, addListOptions, runList } from './cli-context.js';
import type { CliIo } from './cli-io.js';
import { resolveHuman } from './name-resolver.js';
import { asArg, parseNonNegativeInt } from './option-parsers.js';
import { humanDetail, humanTable } from './record-views.js';

export function registerHumanCommands(program: Command, io: CliIo): void {
  const human = program.command('human').description('manage humans (owners and sponsors)');

  human
    .command('add')
    .description('register a human')
    .requiredOption('--email <email>', 'unique email')
    .requiredOption('--name <name>', 'display name')
    .option('--title <title>', 'job title or team')
    .addHelpText(
      'after',
      '\nExample:\n  $ keyward human add --email ana@example.com --name "Ana Ruiz" --title "Payments lead"',
    )
    .action(
      action(io, async (ctx, _args, o) => {
        ctx.print(
          await ctx.client.humans.create({ email: o.email, name: o.name, title: o.title }),
          humanDetail,
        );
      }),
    );

  addListOptions(
    human
      .command('list')
      .description('list humans')
      .option('--active', 'only active humans')
      .option('--inactive', 'only humans who have left')
      .option('-q, --query <text>', 'substring of name or email'),
  )
    .addHelpText('after', '\nExample:\n  $ keyward human list --inactive')
    .action(
      action(io, async (ctx, _args, o) => {
        const active = o.active ? true : o.inactive ? false : undefined;
        await runList(ctx, o, (page) => ctx.client.humans.list({ active, q: o.query, ...page }), humanTable);
      }),
    );

  human
    .command('show')
    .description('show one human')
    .argument('<human>', 'id or email')
    .addHelpText('after', '\nExample:\n  $ keyward human show ana@example.com')
    .action(
      action(io, async (ctx, [ref]) => {
        ctx.print(await ctx.client.humans.get(await resolveHuman(ctx.client, ref!)), humanDetail);
      }),
    );

  human
    .command('update')
    .description('change a human')
    .argument('<human>', 'id or email')
    .option('--email <email>', 'new email')
    .option('--name <name>', 'new name')
    .option('--title <title>', 'new title')
    .option('--active', 'mark active again')
    .option('--expect-version <n>', 'fail unless the stored version is n', asArg(parseNonNegativeInt))
    .addHelpText('after', '\nExample:\n  $ keyward human update ana@example.com --title "Head of Payments"')
    .action(
      action(io, async (ctx, [ref], o) => {
        const id = await resolveHuman(ctx.client, ref!);
        const current = await ctx.client.humans.get(id);
        const patch: HumanPatch = { version: o.expectVersion ?? current.version };
        if (o.email !== undefined) patch.email = o.email;
        if (o.name !== undefined) patch.name = o.name;
        if (o.title !== undefined) patch.title = o.title;
        if (o.active) patch.active = true;
        ctx.print(await ctx.client.humans.update(id, patch), humanDetail);
      }),
    );

  human
    .command('deactivate')
    .description(
      'mark a human as having left: their tasks are revoked, their identities orphaned (see docs/lifecycle.md)',
    )
    .argument('<human>', 'id or email')
    .addHelpText('after', '\nExample:\n  $ keyward human deactivate bo@example.com')
    .action(
      action(io, async (ctx, [ref]) => {
        const id = await resolveHuman(ctx.client, ref!);
        const current = await ctx.client.humans.get(id);
        ctx.print(
          await ctx.client.humans.update(id, { active: false, version: current.version }),
          humanDetail,
        );
      }),
    );
}
