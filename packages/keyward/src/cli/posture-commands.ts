/**
 * `keyward posture`: the estate KPIs beside the industry figures (a table, or the wire object with
 * --json), and `keyward posture report` (Markdown or a self-contained HTML page, from the server).
 * The `posture` group is shared: other posture commands (evaluate …) attach to the same group.
 */
import { writeFileSync } from 'node:fs';
import { errorFromResponse, type PostureKpis } from '@keyward/sdk';
import type { Command } from 'commander';
import { formatValue, type ReportFormat } from '../posture/posture-report.js';
import { action } from './cli-context.js';
import type { CliIo } from './cli-io.js';
import { asArg, oneOf } from './option-parsers.js';
import { type OutputStyle, paint, renderTable } from './output-format.js';

const FORMATS = ['md', 'html'] as const;

/** The `posture` command group: the one already registered, or a new one. */
export function postureGroup(program: Command): Command {
  return (
    program.commands.find((c) => c.name() === 'posture') ??
    program
      .command('posture')
      .description('posture: estate KPIs against industry figures, reports, OWASP NHI Top 10 findings')
  );
}

function verdictText(verdict: string | null, style: OutputStyle): string {
  if (verdict === 'better') return paint('better', 'green', style);
  if (verdict === 'worse') return paint('worse', 'red', style);
  return verdict ?? '—';
}

export function postureView(p: PostureKpis, style: OutputStyle): string {
  const table = renderTable(
    ['KPI', 'KEYWARD', 'INDUSTRY', 'VERDICT'],
    p.kpis.map((k) => [
      k.label,
      formatValue(k),
      k.industry ? `${k.industry.value}${k.industry.unit} ${k.industry.short}` : '—',
      verdictText(k.verdict, style),
    ]),
    style,
  );
  const byCode = Object.entries(p.findings.openByCode)
    .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
    .map(([code, n]) => `${code} ${n}`)
    .join(', ');
  const notes = p.kpis.filter((k) => k.note).map((k) => `${k.label}: ${k.note}\n`);
  return `${table}\n${notes.join('')}${p.liveIdentities} live identities; open findings: ${byCode || 'none'}; industry figures: ${p.kpis.find((k) => k.industry)?.industry?.source ?? '—'}\n`;
}

export function registerPostureCommands(program: Command, io: CliIo): void {
  const posture = postureGroup(program);
  posture
    .addHelpText(
      'after',
      '\nExamples:\n  $ keyward posture\n  $ keyward posture --json | jq .kpis\n  $ keyward posture report --format html --output posture.html',
    )
    .action(
      action(io, async (ctx) => {
        ctx.print(await ctx.client.postureKpis(), postureView);
      }),
    );
  posture
    .command('report')
    .description('the estate KPIs as a Markdown report or a self-contained HTML page')
    .option(
      '--format <format>',
      `${FORMATS.join(' or ')} (default md)`,
      asArg(oneOf<ReportFormat>('format', FORMATS)),
    )
    .option('--output <file>', 'write the report to a file (prints where it went)')
    .action(
      action(io, async (ctx, _args, o) => {
        const format = (o['format'] as ReportFormat | undefined) ?? 'md';
        const url = `${ctx.url.replace(/\/+$/, '')}/v1/posture/report?format=${format}`;
        const res = await (io.fetch ?? fetch)(url, { headers: { accept: 'text/*', ...ctx.authHeaders() } });
        const text = await res.text();
        if (!res.ok) throw errorFromResponse('GET', url, res.status, res.statusText, text);
        if (o['output']) {
          writeFileSync(o['output'] as string, text);
          io.stdout.write(
            `wrote the ${format} report (${Buffer.byteLength(text)} bytes) to ${o['output']}\n`,
          );
        } else io.stdout.write(text);
      }),
    );
}
