/**
 * `keyward alerts list|show|ack|resolve`: behavioural alerts through the API (list/show need an
 * auditor token or better; ack/resolve an operator token or better, and are audited).
 */
import type { Command } from 'commander';
import type { Alert } from '../detection/alert-types.js';
import { call, query } from './audit-api.js';
import { action, addListOptions, runList } from './cli-context.js';
import type { CliIo } from './cli-io.js';
import { type OutputStyle, paint, renderDetail, renderTable, time } from './output-format.js';

const SEVERITY_COLOR = { low: 'dim', medium: 'yellow', high: 'red', critical: 'red' } as const;

function severity(a: Alert, style: OutputStyle): string {
  return paint(a.severity, SEVERITY_COLOR[a.severity], style);
}

export function alertTable(alerts: Alert[], style: OutputStyle): string {
  if (alerts.length === 0) return 'no alerts\n';
  return renderTable(
    ['id', 'last seen', 'severity', 'kind', 'status', 'events', 'title'],
    alerts.map((a) => [
      a.id,
      time(a.lastSeenAt),
      severity(a, style),
      a.kind,
      a.status,
      a.eventCount,
      a.title,
    ]),
    style,
  );
}

export function alertDetail(a: Alert, style: OutputStyle): string {
  return `${renderDetail(
    [
      ['id', a.id],
      ['identity', a.identityId],
      ['kind', a.kind],
      ['severity', severity(a, style)],
      ['status', a.status],
      ['title', a.title],
      ['first seen', time(a.firstSeenAt)],
      ['last seen', time(a.lastSeenAt)],
      [
        'events',
        `${a.eventCount} (${a.eventIds.slice(0, 5).join(', ')}${a.eventIds.length > 5 ? ', …' : ''})`,
      ],
      ['acknowledged', a.acknowledgedAt ? `${time(a.acknowledgedAt)} by ${a.acknowledgedBy}` : null],
      ['resolved', a.resolvedAt ? `${time(a.resolvedAt)} by ${a.resolvedBy}` : null],
      ['note', a.note],
    ],
    style,
  )}\n${a.explanation}\n\nbaseline: ${JSON.stringify(a.baseline)}\nobserved: ${JSON.stringify(a.observed)}\n`;
}

async function getJson<T>(res: Promise<Response>): Promise<T> {
  return (await (await res).json()) as T;
}

export function registerAlertCommands(program: Command, io: CliIo): void {
  const alerts = program.command('alerts').description('behavioural alerts (scope drift, new source, …)');

  addListOptions(
    alerts
      .command('list')
      .description('alerts, newest first')
      .option('--status <status>', 'open, acknowledged or resolved')
      .option('--kind <kind>', 'e.g. scope_drift, new_source, volume_spike, human_use')
      .option('--severity <severity>', 'low, medium, high or critical')
      .option('--identity <id>', 'alerts about this identity'),
  )
    .addHelpText('after', '\nExample:\n  $ keyward alerts list --status open --severity high')
    .action(
      action(io, async (ctx, _args, o) => {
        await runList(
          ctx,
          o,
          (page) =>
            getJson(
              call(
                ctx,
                `/v1/alerts${query({
                  status: o.status,
                  kind: o.kind,
                  severity: o.severity,
                  identityId: o.identity,
                  cursor: page.cursor,
                  limit: page.limit,
                })}`,
              ),
            ),
          alertTable,
        );
      }),
    );

  alerts
    .command('show <id>')
    .description('one alert: explanation, the baseline it broke, linked events')
    .action(
      action(io, async (ctx, [id]) => {
        ctx.print(await getJson<Alert>(call(ctx, `/v1/alerts/${encodeURIComponent(id!)}`)), alertDetail);
      }),
    );

  for (const [verb, path, done] of [
    ['ack', 'ack', 'acknowledged'],
    ['resolve', 'resolve', 'resolved'],
  ] as const) {
    alerts
      .command(`${verb} <id>`)
      .description(verb === 'ack' ? 'acknowledge an alert (audited)' : 'resolve an alert (audited)')
      .option('--note <text>', 'why (kept on the alert and in the audit event)')
      .action(
        action(io, async (ctx, [id], o) => {
          const alert = await getJson<Alert>(
            call(ctx, `/v1/alerts/${encodeURIComponent(id!)}/${path}`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(o.note ? { note: o.note } : {}),
            }),
          );
          ctx.print(alert, (a) => `alert ${a.id} ${done}\n`);
        }),
      );
  }
}
