/**
 * `keyward keys list|rotate` (admin): Keyward's token-signing keys. Calls the API through
 * CliContext.request (the SDK has no signing-key methods yet).
 */
import type { Command } from 'commander';
import type { SigningKeyInfo } from '../keys/signing-key-service.js';
import { action } from './cli-context.js';
import type { CliIo } from './cli-io.js';
import { type OutputStyle, paint, renderTable, time } from './output-format.js';

export function signingKeyTable(items: SigningKeyInfo[], style: OutputStyle): string {
  return renderTable(
    ['KID', 'ALG', 'STATUS', 'CREATED', 'RETIRED', 'IN JWKS UNTIL'],
    items.map((k) => [
      k.kid,
      k.alg,
      k.status === 'active' ? paint('active', 'green', style) : 'retired',
      time(k.createdAt),
      time(k.retiredAt) || '-',
      k.status === 'active' ? '(active)' : time(k.publishedUntil),
    ]),
    style,
  );
}

export function registerKeyCommands(program: Command, io: CliIo): void {
  const keys = program.command('keys').description("manage Keyward's token-signing keys (admin only)");

  keys
    .command('list')
    .description('list signing keys: the active one and retired ones still published')
    .addHelpText('after', '\nExample:\n  $ keyward keys list')
    .action(
      action(io, async (ctx) => {
        const page = await ctx.request<{ items: SigningKeyInfo[] }>('GET', '/v1/signing-keys');
        ctx.print(page, (p, style) => signingKeyTable(p.items, style));
      }),
    );

  keys
    .command('rotate')
    .description('make a new key active; the old one stays in the JWKS until its tokens have expired')
    .option('--reason <text>', 'why (recorded in the audit log)')
    .addHelpText('after', '\nExample:\n  $ keyward keys rotate --reason "suspected exposure"')
    .action(
      action(io, async (ctx, _args, o) => {
        const created = await ctx.request<SigningKeyInfo>('POST', '/v1/signing-keys/rotate', {
          ...(o.reason ? { reason: o.reason } : {}),
        });
        ctx.print(created, (k, style) => signingKeyTable([k], style));
      }),
    );
}
