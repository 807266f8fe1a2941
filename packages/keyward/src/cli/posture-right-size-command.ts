/**
 * `keyward posture right-size <identity>`: granted versus used permissions of one identity over a
 * window, the blast radius before and after dropping what it never used, and the least-privilege
 * policy (Cedar, or IAM JSON for AWS-imported identities). The server computes it
 * (GET /v1/posture/right-size/:id); this file only asks and prints.
 */
import type { Command } from 'commander';
import type { RightSizeProposal } from '../posture/right-sizing.js';
import { action } from './cli-context.js';
import type { CliIo } from './cli-io.js';
import { resolveIdentity } from './name-resolver.js';
import { asArg, oneOf, parsePositiveInt } from './option-parsers.js';
import { type OutputStyle, paint, renderTable } from './output-format.js';

const FORMATS = ['cedar', 'iam', 'json'] as const;
type Format = (typeof FORMATS)[number];

function policyText(p: RightSizeProposal, format: Format): string {
  if (format === 'json') return `${JSON.stringify(p, null, 2)}\n`;
  if (format === 'iam') {
    return p.iam
      ? `${JSON.stringify(p.iam, null, 2)}\n`
      : `# ${p.identity.name} is not an AWS-imported identity: no IAM policy (use --format cedar)\n`;
  }
  return p.cedar;
}

export function rightSizeView(p: RightSizeProposal, style: OutputStyle, format: Format = p.format): string {
  if (format === 'json') return policyText(p, format);
  const granted = p.grants.reduce((n, g) => n + g.actions.length, 0);
  const used = p.grants.reduce((n, g) => n + g.usedActions.length, 0);
  const unused = p.unused.reduce((n, u) => n + u.actions.length, 0);
  const table =
    p.grants.length === 0
      ? 'no has_permission grants\n'
      : renderTable(
          ['resource', 'granted', 'used', 'unused'],
          p.grants.map((g) => [
            g.resourceId,
            g.actions.join(', '),
            g.usedActions.join(', ') || '—',
            g.unusedActions.length > 0 ? paint(g.unusedActions.join(', '), 'red', style) : '—',
          ]),
          style,
        );
  const { before, after } = p.blastRadius;
  const summary = [
    `${p.identity.name} (${p.identity.id}), last ${p.windowDays} days (since ${p.since})`,
    `granted ${granted} action(s) on ${p.grants.length} node(s); used ${used}; unused ${unused} (${p.unused.filter((u) => u.removed).length} grant(s) removed whole)`,
    `blast radius: ${before.reachable} → ${after.reachable} reachable, ${before.sensitive} → ${after.sensitive} sensitive (critical ${before.critical} → ${after.critical}, high ${before.high} → ${after.high})`,
  ];
  if (p.serviceUses.length > 0)
    summary.push(
      `last-used services: ${p.serviceUses.map((s) => `${s.service} (${s.lastUsedAt})`).join(', ')}`,
    );
  return `${summary.join('\n')}\n\n${table}\n${format === 'iam' ? 'IAM policy' : 'Cedar policy'}:\n${policyText(p, format)}`;
}

export function registerPostureRightSize(posture: Command, io: CliIo): void {
  posture
    .command('right-size <identity>')
    .description('granted vs used permissions, and a least-privilege policy from real use (auditor)')
    .option('--window <days>', 'observation window in days (default 30)', asArg(parsePositiveInt))
    .option(
      '--format <format>',
      `${FORMATS.join(', ')} (default: iam for AWS identities, else cedar)`,
      asArg(oneOf<Format>('format', FORMATS)),
    )
    .addHelpText(
      'after',
      '\nExamples:\n  $ keyward posture right-size ci-deployer\n  $ keyward posture right-size ci-deployer --window 90 --format cedar > ci-deployer.cedar\n  $ keyward posture right-size deployer --format iam --json | jq .iam',
    )
    .action(
      action(io, async (ctx, args, o) => {
        const id = await resolveIdentity(ctx.client, args[0] as string);
        const window = o['window'] as number | undefined;
        const p = await ctx.request<RightSizeProposal>(
          'GET',
          `/v1/posture/right-size/${encodeURIComponent(id)}${window ? `?window_days=${window}` : ''}`,
        );
        ctx.print(p, (data, style) =>
          rightSizeView(data, style, (o['format'] as Format | undefined) ?? data.format),
        );
      }),
    );
}
