/**
 * `keyward task open|list|show|children|complete|cancel`: the task service's routes from the
 * shell. Opening is the agent's own act (never an API token): the CLI signs a client assertion
 * with the agent's private key file and sends the sponsor's ID token (or, for a child task, a live
 * access token of the parent task) as proof. Listing, showing, completing and cancelling use the
 * API token (read / write). Agents and sponsors are accepted by name or email as well as by id.
 */
import { readFile } from 'node:fs/promises';
import { type AssertionAlg, KeywardAgent } from '@keyward/sdk';
import { loadPrivateKey } from '@keyward/sdk/node';
import type { Command } from 'commander';
import { TASK_STATUSES } from '../storage/storage-types.js';
import { action, addListOptions, type CliContext, type Options, runList } from './cli-context.js';
import { CliError } from './cli-errors.js';
import type { CliIo } from './cli-io.js';
import { resolveHuman, resolveIdentity } from './name-resolver.js';
import { asArg, parsePositiveInt, repeatable } from './option-parsers.js';
import { openedTaskView, type TaskView, taskDetail, taskTable } from './task-views.js';

const ALGS: readonly AssertionAlg[] = ['ES256', 'EdDSA', 'RS256', 'PS256'];
const parseAlg = (value: string): AssertionAlg => {
  if ((ALGS as readonly string[]).includes(value)) return value as AssertionAlg;
  throw new CliError(`invalid alg "${value}"; expected one of ${ALGS.join(', ')}`);
};
const parseStatus = (value: string): string => {
  if ((TASK_STATUSES as readonly string[]).includes(value)) return value;
  throw new CliError(`invalid status "${value}"; expected one of ${TASK_STATUSES.join(', ')}`);
};

/** A proof token from a file (`--…-file`) or an environment variable; trimmed. */
async function proofToken(ctx: CliContext, file: string | undefined, envName: string) {
  const text = file ? await readFile(file, 'utf8') : ctx.io.env[envName];
  return text?.trim() || undefined;
}

/** The agent, signing its assertions for this server's token endpoint (its `aud`). */
async function agentFor(ctx: CliContext, identityId: string, o: Options): Promise<KeywardAgent> {
  const meta = await ctx.request<{ issuer: string; token_endpoint: string }>(
    'GET',
    '/.well-known/oauth-authorization-server',
  );
  const key = await loadPrivateKey(o.key, o.alg);
  const kid = o.kid ?? key.kid;
  return new KeywardAgent({
    issuer: ctx.url,
    identityId,
    tokenEndpoint: meta.token_endpoint,
    privateKey: key.privateKey,
    alg: key.alg,
    ...(kid ? { kid } : {}),
    ...(ctx.io.fetch ? { fetch: ctx.io.fetch } : {}),
  });
}

async function listTasks(ctx: CliContext, o: Options, filter: Record<string, string | undefined>) {
  await runList(
    ctx,
    o,
    (page) => {
      const query = new URLSearchParams();
      for (const [k, v] of Object.entries({ ...filter, ...page }))
        if (v !== undefined) query.set(k, String(v));
      const qs = query.toString();
      return ctx.request<{ items: TaskView[]; nextCursor: string | null }>(
        'GET',
        `/v1/tasks${qs ? `?${qs}` : ''}`,
      );
    },
    taskTable,
  );
}

export function registerTaskCommands(program: Command, io: CliIo): void {
  const task = program
    .command('task')
    .description("agents' tasks: open one with the sponsor's proof, list, inspect and end them");

  task
    .command('open')
    .description("open a task as an agent (signs with the agent's key; needs the sponsor's ID token)")
    .requiredOption('--agent <identity>', 'the agent: id or name')
    .requiredOption('--key <file>', "the agent's private key: PKCS#8 PEM or private JWK")
    .option('--kid <kid>', 'the registered key id (default: the JWK kid)')
    .option('--alg <alg>', `assertion algorithm: ${ALGS.join(', ')}`, asArg(parseAlg), 'ES256')
    .requiredOption('--intent <text>', 'what the agent is about to do')
    .requiredOption('--scope <scope>', '<action>:<resource> (repeatable)', repeatable(String))
    .requiredOption('--env <environment>', 'environment the task runs in')
    .option('--ttl <seconds>', 'lifetime in seconds', asArg(parsePositiveInt), 900)
    .option('--sponsor <human>', 'the sponsor: id or email (checked against the sponsor token)')
    .option('--sponsor-token-file <file>', "the sponsor's ID token (else env KEYWARD_SPONSOR_TOKEN)")
    .option('--parent <task>', 'open a child task of this task (scopes and TTL only narrow)')
    .option('--parent-token-file <file>', 'a live access token of the parent (else env KEYWARD_PARENT_TOKEN)')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ KEYWARD_SPONSOR_TOKEN=$(cat dana.idtoken) keyward task open --agent recon-agent --key agent.pem \\\n' +
        '      --intent "reconcile payments" --scope read:payments-db --env prod --ttl 600\n' +
        '  $ keyward task open --agent recon-sub-agent --key sub.pem --parent tsk_… \\\n' +
        '      --parent-token-file parent.token --intent "read one ledger" --scope read:payments-db --env prod',
    )
    .action(
      action(io, async (ctx, _args, o) => {
        const agentId = await resolveIdentity(ctx.client, o.agent);
        const sponsorId = o.sponsor ? await resolveHuman(ctx.client, o.sponsor) : undefined;
        const parentToken = o.parent
          ? await proofToken(ctx, o.parentTokenFile, 'KEYWARD_PARENT_TOKEN')
          : undefined;
        const sponsorToken = o.parent
          ? undefined
          : await proofToken(ctx, o.sponsorTokenFile, 'KEYWARD_SPONSOR_TOKEN');
        if (o.parent && !parentToken)
          throw new CliError('a child task needs --parent-token-file or KEYWARD_PARENT_TOKEN');
        if (!o.parent && !sponsorToken)
          throw new CliError(
            "opening a task needs the sponsor's ID token: --sponsor-token-file or KEYWARD_SPONSOR_TOKEN",
          );
        const agent = await agentFor(ctx, agentId, o);
        const opened = await agent.openTask({
          intent: o.intent,
          scopes: o.scope,
          environment: o.env,
          ttlSeconds: o.ttl,
          sponsorId,
          sponsorToken,
          parentToken,
          parentTaskId: o.parent,
        });
        ctx.print(opened as unknown as { task: TaskView; credentials: [] }, openedTaskView);
      }),
    );

  addListOptions(
    task
      .command('list')
      .description('list tasks (filters combine)')
      .option('--agent <identity>', 'only tasks of this agent (id or name)')
      .option('--sponsor <human>', 'only tasks this human sponsors (id or email)')
      .option('--status <status>', `one of ${TASK_STATUSES.join(', ')}`, asArg(parseStatus))
      .option('--parent <task>', 'only child tasks of this task')
      .option('--env <environment>', 'only tasks in this environment'),
  )
    .addHelpText(
      'after',
      '\nExamples:\n  $ keyward task list --status active\n  $ keyward task list --agent recon-agent',
    )
    .action(
      action(io, async (ctx, _args, o) => {
        await listTasks(ctx, o, {
          agentId: o.agent ? await resolveIdentity(ctx.client, o.agent) : undefined,
          sponsorId: o.sponsor ? await resolveHuman(ctx.client, o.sponsor) : undefined,
          status: o.status,
          parentTaskId: o.parent,
          environment: o.env,
        });
      }),
    );

  addListOptions(
    task.command('children').description('list the child tasks of a task').argument('<task>', 'task id'),
  )
    .addHelpText('after', '\nExample:\n  $ keyward task children tsk_…')
    .action(
      action(io, async (ctx, [id], o) => {
        await listTasks(ctx, o, { parentTaskId: id });
      }),
    );

  task
    .command('show')
    .description('show one task')
    .argument('<task>', 'task id')
    .addHelpText('after', '\nExample:\n  $ keyward task show tsk_…')
    .action(
      action(io, async (ctx, [id]) => {
        ctx.print(await ctx.request<TaskView>('GET', `/v1/tasks/${encodeURIComponent(id!)}`), taskDetail);
      }),
    );

  task
    .command('complete')
    .description('complete a task: its tokens, child tasks and brokered credentials are revoked')
    .argument('<task>', 'task id')
    .addHelpText('after', '\nExample:\n  $ keyward task complete tsk_…')
    .action(
      action(io, async (ctx, [id]) => {
        const done = await ctx.request<TaskView>('POST', `/v1/tasks/${encodeURIComponent(id!)}/complete`, {});
        ctx.print(done, taskDetail);
      }),
    );

  task
    .command('cancel')
    .description('cancel a task (revokes as complete does)')
    .argument('<task>', 'task id')
    .option('--reason <text>', 'why (recorded with the task and in the audit log)')
    .addHelpText('after', '\nExample:\n  $ keyward task cancel tsk_… --reason "agent misbehaving"')
    .action(
      action(io, async (ctx, [id], o) => {
        const body = o.reason ? { reason: o.reason } : {};
        ctx.print(
          await ctx.request<TaskView>('POST', `/v1/tasks/${encodeURIComponent(id!)}/cancel`, body),
          taskDetail,
        );
      }),
    );
}
