/**
 * `keyward rotation schedule set|list`, `rotation due`, `rotation run`, `rotation list` and
 * `rotation accept|dismiss`: the rotation workflow (src/lifecycle/rotation.ts) over HTTP. Setting a
 * schedule, running a rotation and deciding a proposal need an admin token; reading, any token.
 */
import type { Command } from 'commander';
import type { RotationRun } from '../lifecycle/rotation.js';
import type { DueItem } from '../lifecycle/rotation-schedules.js';
import type { Rotation, RotationSchedule } from '../storage/rotation-stores.js';
import { action } from './cli-context.js';
import type { CliIo } from './cli-io.js';
import { resolveIdentity } from './name-resolver.js';
import { asArg, parsePositiveInt } from './option-parsers.js';
import { type OutputStyle, renderDetail, renderTable, time } from './output-format.js';

/** `24h`, `30m`, `2d`, `90s` or plain seconds. */
export function parseOverlap(value: string): number {
  const m = /^(\d+)([smhd]?)$/.exec(value.trim());
  if (!m) throw new Error(`invalid overlap "${value}" (e.g. 24h, 30m, 0)`);
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86_400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}

export function rotationTable(items: Rotation[], style: OutputStyle): string {
  if (items.length === 0) return 'no rotations\n';
  return renderTable(
    ['id', 'target', 'state', 'proposal', 'overlap until', 'created'],
    items.map((r) => [
      r.id,
      r.target,
      r.state,
      r.proposalState ?? '—',
      r.overlapUntil ? time(r.overlapUntil) : '—',
      time(r.createdAt),
    ]),
    style,
  );
}

export function rotationDetail(run: RotationRun, style: OutputStyle): string {
  const r = run.rotation;
  const head = renderDetail(
    [
      ['id', r.id],
      ['target', r.target],
      ['state', r.state],
      ['old', r.oldRef],
      ['new', r.newRef],
      ['overlap until', r.overlapUntil ? time(r.overlapUntil) : null],
      ['proposal', r.proposalState],
    ],
    style,
  );
  if (!run.secret) return head;
  return `${head}\nnew API key (shown once; the old one stops working after the overlap):\n${run.secret}\n`;
}

export function dueTable(items: DueItem[], style: OutputStyle): string {
  if (items.length === 0) return 'nothing due for rotation\n';
  return renderTable(
    ['state', 'name', 'subject', 'every', 'last rotated', 'due'],
    items.map((d) => [d.state, d.name, d.subject, `${d.periodDays}d`, time(d.lastRotatedAt), time(d.dueAt)]),
    style,
  );
}

export function scheduleTable(items: RotationSchedule[], style: OutputStyle): string {
  if (items.length === 0) return 'no rotation schedules\n';
  return renderTable(
    ['subject', 'every', 'set by', 'set at'],
    items.map((s) => [s.subject, `${s.periodDays}d`, s.setBy, time(s.setAt)]),
    style,
  );
}

export function registerRotationCommands(program: Command, io: CliIo): void {
  const rotation = program
    .command('rotation')
    .description('credential rotation: schedules, what is due, and rotating API keys and the signing key');
  const schedule = rotation.command('schedule').description('rotation periods');
  schedule
    .command('set')
    .description('set the period of an identity (nhi_…), a kind, an API key name or the signing key (admin)')
    .argument('[subject]', 'identity id, identity:<id>, api-key:<name> or signing-key')
    .option('--kind <kind>', 'every identity of this kind instead')
    .requiredOption('--every <period>', 'e.g. 90d or P90D')
    .addHelpText('after', '\nExamples:\n  $ keyward rotation schedule set --kind service_account --every 90d')
    .action(
      action(io, async (ctx, [subject], o) => {
        if (!subject === !o.kind) throw new Error('give a subject or --kind, not both');
        const s = o.kind
          ? `kind:${o.kind}`
          : /^nhi_/.test(String(subject))
            ? `identity:${subject}`
            : String(subject);
        const set = await ctx.request<RotationSchedule>('PUT', '/v1/lifecycle/rotation-schedules', {
          subject: s,
          every: o.every,
        });
        ctx.print(set, (v, style) => scheduleTable([v], style));
      }),
    );
  schedule
    .command('list')
    .description('rotation schedules')
    .action(
      action(io, async (ctx) => {
        const page = await ctx.request<{ items: RotationSchedule[] }>(
          'GET',
          '/v1/lifecycle/rotation-schedules',
        );
        ctx.print(page, (p, style) => scheduleTable(p.items, style));
      }),
    );
  rotation
    .command('due')
    .description('identities and keys due or overdue for rotation by their schedule')
    .action(
      action(io, async (ctx) => {
        const page = await ctx.request<{ items: DueItem[] }>('GET', '/v1/lifecycle/rotations/due');
        ctx.print(page, (p, style) => dueTable(p.items, style));
      }),
    );
  rotation
    .command('run')
    .description(
      'rotate api-key:<name>, signing-key or pg-role:<database> now (admin); prints a new API key once',
    )
    .argument('<target>', 'api-key:<name>, signing-key or pg-role:<brokered database>')
    .option('--overlap <duration>', 'how long the old API key stays valid (default 24h)', parseOverlap)
    .option('--proposal <json>', 'a right-sized grant to decide before the rotation runs', (v: string) =>
      JSON.parse(v),
    )
    .option(
      '--right-size <identity>',
      "reduce first: propose this identity's right-sized grant from its real use; accepting it removes the unused grants",
    )
    .option('--window <days>', 'observation window for --right-size (default 30)', asArg(parsePositiveInt))
    .addHelpText(
      'after',
      '\nExamples:\n  $ keyward rotation run api-key:ci --overlap 2h\n  $ keyward rotation run api-key:etl --right-size etl-runner --window 30',
    )
    .action(
      action(io, async (ctx, [target], o) => {
        const rightSize =
          o.rightSize !== undefined
            ? {
                identityId: await resolveIdentity(ctx.client, o.rightSize as string),
                ...(o.window !== undefined ? { windowDays: o.window } : {}),
              }
            : undefined;
        const run = await ctx.request<RotationRun>('POST', '/v1/lifecycle/rotations', {
          target,
          ...(o.overlap !== undefined ? { overlapSeconds: o.overlap } : {}),
          ...(o.proposal !== undefined ? { proposal: o.proposal } : {}),
          ...(rightSize ? { rightSize } : {}),
        });
        ctx.print(run, rotationDetail);
      }),
    );
  rotation
    .command('list')
    .description('rotations, newest first')
    .option('--limit <n>', 'how many (default 100)', asArg(parsePositiveInt))
    .action(
      action(io, async (ctx, _args, o) => {
        const q = o.limit ? `?limit=${o.limit}` : '';
        const page = await ctx.request<{ items: Rotation[] }>('GET', `/v1/lifecycle/rotations${q}`);
        ctx.print(page, (p, style) => rotationTable(p.items, style));
      }),
    );
  for (const decision of ['accept', 'dismiss'] as const) {
    rotation
      .command(decision)
      .description(`${decision} the proposal a rotation waits for (admin); the rotation can then run`)
      .argument('<id>', 'rotation id (rot_…)')
      .action(
        action(io, async (ctx, [id]) => {
          const r = await ctx.request<Rotation>(
            'POST',
            `/v1/lifecycle/rotations/${encodeURIComponent(String(id))}/proposal`,
            { decision },
          );
          ctx.print({ rotation: r }, rotationDetail);
        }),
      );
  }
}
