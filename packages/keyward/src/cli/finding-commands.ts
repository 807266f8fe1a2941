/** `keyward findings list|show|accept|resolve` and `keyward identity adopt`: working what discovery found. */

import type { Identity } from '@keyward/sdk';
import type { Command } from 'commander';
import type { DiscoveryRef, Finding } from '../discovery/discovery-types.js';
import { action, addListOptions, runList } from './cli-context.js';
import type { CliIo } from './cli-io.js';
import { findingDetail, findingTable, provenanceTable } from './discovery-views.js';
import { resolveHuman, resolveIdentity } from './name-resolver.js';
import { parseDate } from './option-parsers.js';
import { identityDetail } from './record-views.js';

export function registerFindingCommands(program: Command, io: CliIo): void {
  const findings = program
    .command('findings')
    .description('posture findings mapped to the OWASP NHI Top 10 (leaked secrets are NHI2)');
  addListOptions(
    findings
      .command('list')
      .description('findings, newest first')
      .option('--code <code>', 'e.g. NHI2')
      .option('--status <status>', 'open, accepted or resolved')
      .option('--severity <severity>', 'low, medium, high or critical')
      .option('--identity <identity>', "only this identity's (id or name)")
      .addHelpText('after', '\nExample:\n  $ keyward findings list --code NHI2 --status open'),
  ).action(
    action(io, async (ctx, _args, o) => {
      const query = new URLSearchParams();
      if (o.identity) query.set('identityId', await resolveIdentity(ctx.client, o.identity as string));
      for (const k of ['code', 'status', 'severity', 'limit'] as const)
        if (o[k] !== undefined) query.set(k, String(o[k]));
      await runList<Finding>(
        ctx,
        o,
        async (page) => {
          const q = new URLSearchParams(query);
          if (page.cursor) q.set('cursor', page.cursor);
          return ctx.request('GET', `/v1/findings?${q}`);
        },
        findingTable,
      );
    }),
  );
  findings
    .command('show')
    .description('one finding: evidence (where the secret was seen), link to the inventory, remedy')
    .argument('<finding>', 'finding id (fnd_…)')
    .action(
      action(io, async (ctx, [id]) =>
        ctx.print(
          await ctx.request<Finding>('GET', `/v1/findings/${encodeURIComponent(id!)}`),
          findingDetail,
        ),
      ),
    );
  findings
    .command('resolve')
    .description('resolve a finding by hand (a revoked credential resolves its findings by itself)')
    .argument('<finding>', 'finding id')
    .requiredOption('--reason <text>', 'why (recorded in the audit log)')
    .action(
      action(io, async (ctx, [id], o) =>
        ctx.print(
          await ctx.request<Finding>('POST', `/v1/findings/${encodeURIComponent(id!)}/resolve`, {
            reason: o.reason,
          }),
          findingDetail,
        ),
      ),
    );
  findings
    .command('accept')
    .description('accept the risk until a date (the finding stays visible)')
    .argument('<finding>', 'finding id')
    .requiredOption('--reason <text>', 'why')
    .requiredOption('--until <date>', 'ISO date or +30d', (v: string) => parseDate(v))
    .action(
      action(io, async (ctx, [id], o) =>
        ctx.print(
          await ctx.request<Finding>('POST', `/v1/findings/${encodeURIComponent(id!)}/accept`, {
            reason: o.reason,
            until: o.until,
          }),
          findingDetail,
        ),
      ),
    );
}

/** `keyward identity adopt|provenance`: registered under the identity command group. */
export function registerAdoptCommand(identity: Command, io: CliIo): void {
  identity
    .command('provenance')
    .description('where discovery found an identity: every source record behind it')
    .argument('<identity>', 'id or exact name')
    .action(
      action(io, async (ctx, [ref]) => {
        const id = await resolveIdentity(ctx.client, ref!);
        ctx.print(
          await ctx.request<{ items: DiscoveryRef[] }>(
            'GET',
            `/v1/identities/${encodeURIComponent(id)}/provenance`,
          ),
          (p, style) => provenanceTable(p.items, style),
        );
      }),
    );
  identity
    .command('adopt')
    .description(
      'take a discovered identity under management: owner, purpose and end (approves a discovered agent)',
    )
    .argument('<identity>', 'id or exact name')
    .option('--owner <human>', 'owner (id or email)')
    .option('--purpose <text>', 'why it exists')
    .option('--review-date <date>', 'its end: ISO date or +90d', (v: string) => parseDate(v))
    .addHelpText(
      'after',
      '\nExample:\n  $ keyward identity adopt "aws:111122223333:role/ci-deployer" --owner ada@example.com --purpose "deploys the API" --review-date +90d',
    )
    .action(
      action(io, async (ctx, [ref], o) => {
        const id = await resolveIdentity(ctx.client, ref!);
        const body = {
          ...(o.owner ? { ownerId: await resolveHuman(ctx.client, o.owner as string) } : {}),
          ...(o.purpose ? { purpose: o.purpose as string } : {}),
          ...(o.reviewDate ? { reviewDate: o.reviewDate as string } : {}),
        };
        ctx.print(
          await ctx.request<Identity>('POST', `/v1/identities/${encodeURIComponent(id)}/adopt`, body),
          identityDetail,
        );
      }),
    );
}
