/**
 * `keyward lifecycle offboarding [case]` (offboarding cases: who left, what was orphaned, what was
 * disabled or kept; an auditor token or better) and `keyward lifecycle run` (admin: run the
 * offboarding and expiry jobs now and show what each did).
 */
import type { Command } from 'commander';
import type { JobReport } from '../lifecycle/lifecycle-scheduler.js';
import type { OffboardingCase } from '../storage/lifecycle-stores.js';
import { action, addListOptions, runList } from './cli-context.js';
import type { CliIo } from './cli-io.js';
import { resolveHuman } from './name-resolver.js';
import { type OutputStyle, renderDetail, renderTable, time } from './output-format.js';

export function offboardingTable(cases: OffboardingCase[], style: OutputStyle): string {
  if (cases.length === 0) return 'no offboarding cases\n';
  return renderTable(
    ['id', 'human', 'started', 'grace until', 'state', 'orphaned', 'disabled', 'kept'],
    cases.map((c) => [
      c.id,
      c.details.email,
      time(c.startedAt),
      time(c.graceUntil),
      c.state,
      c.details.orphaned.length,
      c.details.disabled.length,
      c.details.kept.length,
    ]),
    style,
  );
}

export function offboardingDetail(c: OffboardingCase, style: OutputStyle): string {
  const list = (ids: string[]) => (ids.length > 0 ? ids.join(', ') : '—');
  return renderDetail(
    [
      ['id', c.id],
      ['human', `${c.details.email} (${c.humanId})`],
      ['state', c.state],
      ['started', time(c.startedAt)],
      ['grace until', time(c.graceUntil)],
      ['tasks revoked', list(c.details.revokedTasks)],
      ['orphaned', list(c.details.orphaned)],
      ['disabled', list(c.details.disabled)],
      ['kept', list(c.details.kept)],
      ['closed', c.details.closedAt ? time(c.details.closedAt) : null],
    ],
    style,
  );
}

/** One line per job: whether it ran here, and the counts of what it did. */
export function jobTable(jobs: JobReport[], style: OutputStyle): string {
  const summary = (r: JobReport): string => {
    if (r.error) return `failed: ${r.error}`;
    if (!r.ran) return `held by ${r.holder ?? 'another replica'}`;
    const result = (r.result ?? {}) as Record<string, unknown>;
    const parts = Object.entries(result)
      .filter(([, v]) => Array.isArray(v))
      .map(([k, v]) => `${k} ${(v as unknown[]).length}`);
    return parts.join(', ') || 'done';
  };
  return renderTable(
    ['job', 'ran', 'result'],
    jobs.map((r) => [r.job, r.ran ? 'yes' : 'no', summary(r)]),
    style,
  );
}

export function registerLifecycleCommands(program: Command, io: CliIo): void {
  const lifecycle = program
    .command('lifecycle')
    .description('lifecycle workflows: offboarding of people who left, expiry of identities past their end');
  addListOptions(
    lifecycle
      .command('offboarding')
      .description('offboarding cases (one per departed human), or one case in detail')
      .argument('[case]', 'case id (off_…): show that case')
      .option('--state <state>', 'orphaning, awaiting_reassignment or closed')
      .option('--human <human>', "only this human's (id or email)")
      .addHelpText(
        'after',
        '\nExamples:\n  $ keyward lifecycle offboarding\n  $ keyward lifecycle offboarding --state awaiting_reassignment --json',
      ),
  ).action(
    action(io, async (ctx, [id], o) => {
      if (id) {
        const c = await ctx.request<OffboardingCase>(
          'GET',
          `/v1/lifecycle/offboarding/${encodeURIComponent(id)}`,
        );
        ctx.print(c, offboardingDetail);
        return;
      }
      const query = new URLSearchParams();
      if (o.state) query.set('state', String(o.state));
      if (o.human) query.set('humanId', await resolveHuman(ctx.client, o.human as string));
      if (o.limit !== undefined) query.set('limit', String(o.limit));
      await runList<OffboardingCase>(
        ctx,
        o,
        async (page) => {
          const q = new URLSearchParams(query);
          if (page.cursor) q.set('cursor', page.cursor);
          return ctx.request('GET', `/v1/lifecycle/offboarding?${q}`);
        },
        offboardingTable,
      );
    }),
  );
  lifecycle
    .command('run')
    .description('run every lifecycle job now (admin token); shows what each did')
    .addHelpText('after', '\nExample:\n  $ keyward lifecycle run --json')
    .action(
      action(io, async (ctx) => {
        const res = await ctx.request<{ jobs: JobReport[] }>('POST', '/v1/lifecycle/run');
        ctx.print(res, (r, style) => jobTable(r.jobs, style));
      }),
    );
}
