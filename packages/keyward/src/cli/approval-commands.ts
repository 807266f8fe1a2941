/**
 * `keyward approvals list|show|approve|deny`. Listing and showing use the API token; deciding is
 * the human's own act, proven by their ID token from a trusted issuer (`--id-token <file>` or env
 * KEYWARD_ID_TOKEN), which the server maps to the human and checks against the approvers.
 */
import { readFile } from 'node:fs/promises';
import type { Approval } from '@keyward/sdk';
import type { Command } from 'commander';
import { action, addListOptions, type CliContext, type Options, runList } from './cli-context.js';
import { CliError } from './cli-errors.js';
import type { CliIo } from './cli-io.js';
import { dash, type OutputStyle, renderDetail, renderTable, status, time } from './output-format.js';

const STATUSES = ['pending', 'approved', 'denied', 'expired'];

export function approvalTable(items: Approval[], style: OutputStyle): string {
  return renderTable(
    ['ID', 'STATUS', 'REQUESTER', 'ACTION', 'RESOURCE', 'APPROVERS', 'EXPIRES'],
    items.map((a) => [
      a.id,
      status(a.status, style),
      a.requesterId,
      a.binding.action,
      a.binding.resource,
      a.approverIds.join(', '),
      time(a.expiresAt),
    ]),
    style,
  );
}

export function approvalDetail(a: Approval, style: OutputStyle): string {
  return renderDetail(
    [
      ['id', a.id],
      ['status', status(a.status, style)],
      ['reason', a.reason],
      ['requester', a.requesterId],
      ['task', dash(a.taskId)],
      ['chain', a.delegationChain.join(' → ') || '-'],
      ['principal', a.binding.principal],
      ['action', a.binding.action],
      ['resource', a.binding.resource],
      ['arguments', a.binding.argumentsHash ? `sha256 ${a.binding.argumentsHash}` : '(none)'],
      ['policies', a.policyIds.join(', ') || '-'],
      ['approvers', a.approverIds.join(', ')],
      ['created', time(a.createdAt)],
      ['expires', time(a.expiresAt)],
      ['decided by', dash(a.decidedBy)],
      ['decided at', dash(a.decidedAt && time(a.decidedAt))],
      ['comment', dash(a.comment)],
    ],
    style,
  );
}

async function humanToken(ctx: CliContext, o: Options): Promise<string> {
  const token = o.idToken
    ? (
        await readFile(o.idToken as string, 'utf8').catch(() => {
          throw new CliError(`cannot read the ID token file ${o.idToken as string}`);
        })
      ).trim()
    : ctx.io.env['KEYWARD_ID_TOKEN']?.trim();
  if (!token) throw new CliError('deciding needs your ID token: --id-token <file> or env KEYWARD_ID_TOKEN');
  return token;
}

export function registerApprovalCommands(program: Command, io: CliIo): void {
  const approvals = program.command('approvals').description('step-up approvals: list, show, approve, deny');

  addListOptions(
    approvals
      .command('list')
      .description('list approvals (default: all; e.g. --status pending --approver hum_…)')
      .option('--status <status>', STATUSES.join(', '))
      .option('--approver <human-id>', 'approvals this human may decide')
      .option('--requester <id>', 'approvals this identity asked for')
      .option('--task <task-id>', 'approvals of one task'),
  )
    .addHelpText('after', '\nExample:\n  $ keyward approvals list --status pending')
    .action(
      action(io, async (ctx, _args, o) => {
        if (o.status !== undefined && !STATUSES.includes(o.status)) {
          throw new CliError(`--status must be one of ${STATUSES.join(', ')}`);
        }
        await runList(
          ctx,
          o,
          (page) =>
            ctx.client.listApprovals({
              status: o.status,
              approver: o.approver,
              requester: o.requester,
              taskId: o.task,
              ...page,
            }),
          approvalTable,
        );
      }),
    );

  approvals
    .command('show')
    .description('show one approval: who asks to do what, why, and its state')
    .argument('<approval-id>', 'approval id (apr_…)')
    .action(
      action(io, async (ctx, [id]) => {
        ctx.print(await ctx.client.getApproval(id!), approvalDetail);
      }),
    );

  for (const verb of ['approve', 'deny'] as const) {
    approvals
      .command(verb)
      .description(`${verb} a pending approval, as a listed approver proven by your ID token`)
      .argument('<approval-id>', 'approval id (apr_…)')
      .option('--comment <text>', 'why (kept in the audit trail)')
      .option(
        '--id-token <file>',
        'file holding your ID token from a trusted issuer (else env KEYWARD_ID_TOKEN)',
      )
      .addHelpText(
        'after',
        `\nExample:\n  $ keyward approvals ${verb} apr_0190… --id-token ~/.config/idp/token --comment "ok"`,
      )
      .action(
        action(io, async (ctx, [id], o) => {
          const token = await humanToken(ctx, o);
          const decided = await ctx.client[verb](id!, token, o.comment);
          ctx.print(decided, approvalDetail);
        }),
      );
  }
}
