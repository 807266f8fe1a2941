/**
 * `keyward review start|list|show|attest`: access review campaigns (src/lifecycle/access-reviews.ts).
 * Starting needs an admin token, attesting an operator or admin token, reading any token.
 */
import type { Command } from 'commander';
import type { ReviewProgress } from '../lifecycle/access-reviews.js';
import type { ReviewCampaign, ReviewItem } from '../storage/review-stores.js';
import { action, addListOptions, runList } from './cli-context.js';
import type { CliIo } from './cli-io.js';
import { oneOf, parseDate } from './option-parsers.js';
import { type OutputStyle, renderDetail, renderTable, time } from './output-format.js';

type CampaignView = ReviewCampaign & { progress?: ReviewProgress; items?: ReviewItem[] };

const scopeText = (c: ReviewCampaign): string =>
  Object.entries(c.scope)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ') || 'all';

export function reviewTable(campaigns: ReviewCampaign[], style: OutputStyle): string {
  if (campaigns.length === 0) return 'no access reviews\n';
  return renderTable(
    ['id', 'name', 'scope', 'deadline', 'state', 'disabled'],
    campaigns.map((c) => [
      c.id,
      c.name,
      scopeText(c),
      time(c.deadline),
      c.state,
      c.summary?.disabled.length ?? '—',
    ]),
    style,
  );
}

export function reviewDetail(c: CampaignView, style: OutputStyle): string {
  const p = c.progress;
  const head = renderDetail(
    [
      ['id', c.id],
      ['name', c.name],
      ['scope', scopeText(c)],
      ['state', c.state],
      ['deadline', time(c.deadline)],
      ['closed', c.closedAt ? time(c.closedAt) : null],
      ['progress', p ? `${p.total - p.pending}/${p.total} attested` : null],
      [
        'decisions',
        p ? `keep ${p.keep}, reduce ${p.reduce}, retire ${p.retire}, pending ${p.pending}` : null,
      ],
      ['without owner', p ? p.unowned : null],
    ],
    style,
  );
  if (!p || p.byOwner.length === 0) return head;
  const owners = renderTable(
    ['owner', 'total', 'keep', 'reduce', 'retire', 'pending'],
    p.byOwner.map((o) => [o.ownerId ?? '(no owner)', o.total, o.keep, o.reduce, o.retire, o.pending]),
    style,
  );
  return `${head}\n${owners}`;
}

export function registerReviewCommands(program: Command, io: CliIo): void {
  const review = program
    .command('review')
    .description(
      'access reviews: owners attest every identity they own (keep, reduce, retire) by a deadline',
    );
  review
    .command('start')
    .description('start a campaign over every active identity in scope (admin token)')
    .requiredOption('--name <name>', 'campaign name')
    .requiredOption(
      '--deadline <date>',
      'ISO date or +14d; unattested identities are disabled then',
      (v: string) => parseDate(v),
    )
    .option('--env <environment>', 'only identities of this environment')
    .option('--kind <kind>', 'only identities of this kind')
    .addHelpText('after', '\nExample:\n  $ keyward review start --name "Q3 prod" --deadline +14d --env prod')
    .action(
      action(io, async (ctx, _args, o) => {
        const c = await ctx.request<CampaignView>('POST', '/v1/lifecycle/reviews', {
          name: o.name,
          deadline: o.deadline,
          ...(o.env ? { environment: o.env } : {}),
          ...(o.kind ? { kind: o.kind } : {}),
        });
        ctx.print(c, reviewDetail);
      }),
    );
  addListOptions(
    review
      .command('list')
      .description('access review campaigns')
      .option('--state <state>', 'open or closed', oneOf('state', ['open', 'closed'] as const)),
  ).action(
    action(io, async (ctx, _args, o) => {
      const query = new URLSearchParams();
      if (o.state) query.set('state', String(o.state));
      if (o.limit !== undefined) query.set('limit', String(o.limit));
      await runList<ReviewCampaign>(
        ctx,
        o,
        async (page) => {
          const q = new URLSearchParams(query);
          if (page.cursor) q.set('cursor', page.cursor);
          return ctx.request('GET', `/v1/lifecycle/reviews?${q}`);
        },
        reviewTable,
      );
    }),
  );
  review
    .command('show')
    .description('one campaign: progress per decision and per owner')
    .argument('<id>', 'campaign id (rev_…)')
    .action(
      action(io, async (ctx, [id]) => {
        const c = await ctx.request<CampaignView>(
          'GET',
          `/v1/lifecycle/reviews/${encodeURIComponent(String(id))}`,
        );
        ctx.print(c, reviewDetail);
      }),
    );
  review
    .command('attest')
    .description('attest one identity of a campaign (operator or admin token); retire disables it at once')
    .argument('<id>', 'campaign id (rev_…)')
    .argument('<identity>', 'identity id (nhi_…)')
    .requiredOption(
      '--decision <decision>',
      'keep, reduce or retire',
      oneOf('decision', ['keep', 'reduce', 'retire'] as const),
    )
    .option('--note <note>', 'why')
    .addHelpText(
      'after',
      '\nExample:\n  $ keyward review attest rev_… nhi_… --decision reduce --note "drop write"',
    )
    .action(
      action(io, async (ctx, [id, identity], o) => {
        const item = await ctx.request<ReviewItem>(
          'POST',
          `/v1/lifecycle/reviews/${encodeURIComponent(String(id))}/attest`,
          { identityId: identity, decision: o.decision, ...(o.note ? { note: o.note } : {}) },
        );
        ctx.print(item, (i, style) =>
          renderDetail(
            [
              ['identity', i.identityId],
              ['decision', i.decision],
              ['outcome', i.outcome],
              ['by', i.decidedBy],
              ['at', time(i.decidedAt)],
              ['note', i.note],
            ],
            style,
          ),
        );
      }),
    );
}
