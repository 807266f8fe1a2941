/**
 * `keyward token create|list|revoke` (admin) and `keyward summary`. A created token's secret is
 * printed once, on stdout only, because that is the only time the server reveals it.
 */
import type { CreatedApiToken } from '@keyward/sdk';
import type { Command } from 'commander';
import { action, addListOptions, runList } from './cli-context.js';
import type { CliIo } from './cli-io.js';
import { asArg, parseDate, parseRole } from './option-parsers.js';
import { renderDetail } from './output-format.js';
import { summaryView, tokenTable } from './record-views.js';

function createdView(created: CreatedApiToken, style: { color: boolean }): string {
  const t = created.token;
  return (
    renderDetail(
      [
        ['id', t.id],
        ['name', t.name],
        ['role', t.role],
        ['expires', t.expiresAt],
        ['secret', created.secret],
      ],
      style,
    ) + '\nStore the secret now; it is not shown again.\n'
  );
}

export function registerTokenCommands(program: Command, io: CliIo): void {
  const token = program.command('token').description('manage API tokens (admin only)');

  token
    .command('create')
    .description('create an API token and print its secret once')
    .requiredOption('--name <name>', 'what the token is for')
    .requiredOption('--role <role>', 'admin, operator or auditor', asArg(parseRole))
    .option('--expires <date>', 'expiry: YYYY-MM-DD or +Nd', asArg(parseDate))
    .addHelpText(
      'after',
      '\nExample:\n  $ keyward token create --name ci-sync --role operator --expires +90d',
    )
    .action(
      action(io, async (ctx, _args, o) => {
        const created = await ctx.client.apiTokens.create({
          name: o.name,
          role: o.role,
          expiresAt: o.expires,
        });
        ctx.print(created, createdView);
      }),
    );

  addListOptions(token.command('list').description('list API tokens (never their secrets)'))
    .addHelpText('after', '\nExample:\n  $ keyward token list --all')
    .action(
      action(io, async (ctx, _args, o) => {
        await runList(ctx, o, (page) => ctx.client.apiTokens.list(page), tokenTable);
      }),
    );

  token
    .command('revoke')
    .description('revoke an API token')
    .argument('<token-id>', 'token id (tok_…)')
    .addHelpText('after', '\nExample:\n  $ keyward token revoke tok_0190f0c2a1b27c3d8e9f0a1b2c3d4e5f')
    .action(
      action(io, async (ctx, [id]) => {
        ctx.print(await ctx.client.apiTokens.revoke(id!), (t, style) => tokenTable([t], style));
      }),
    );

  program
    .command('summary')
    .description('estate overview: counts, hygiene problems, largest blast radii')
    .addHelpText('after', '\nExample:\n  $ keyward summary --json | jq .hygiene')
    .action(
      action(io, async (ctx) => {
        ctx.print(await ctx.client.summary(), summaryView);
      }),
    );
}
