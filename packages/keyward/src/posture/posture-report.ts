/**
 * The estate KPIs as a report: Markdown (for a wiki or a pull request) or a self-contained HTML page
 * (inline CSS, no scripts, nothing fetched). Every value that can come from the estate (identity
 * and people names) is escaped for the format it lands in.
 */
import type { PostureKpi, PostureKpis } from '@keyward/sdk';
import { INDUSTRY_SOURCE } from './industry-figures.js';

export type ReportFormat = 'md' | 'html';

/** A KPI's value with its unit: `62.5%`, `14 days`, `n/a`. */
export function formatValue(k: Pick<PostureKpi, 'value' | 'unit' | 'count' | 'of'>): string {
  if (k.value === null) return 'n/a';
  const base = k.unit === '%' ? `${k.value}%` : k.unit === 'count' ? String(k.value) : `${k.value} ${k.unit}`;
  return k.count !== undefined && k.of !== undefined ? `${base} (${k.count} of ${k.of})` : base;
}

export function formatIndustry(k: Pick<PostureKpi, 'industry'>): string {
  return k.industry ? `${k.industry.value}${k.industry.unit} ${k.industry.wording}` : '—';
}

export const formatVerdict = (k: Pick<PostureKpi, 'verdict'>): string => k.verdict ?? '—';

const mdCell = (text: string): string =>
  text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]+/g, ' ')
    .replace(/([*_`<>[\]])/g, '\\$1');

export function renderMarkdown(p: PostureKpis): string {
  const lines = [
    '# Keyward estate KPIs',
    '',
    `Generated ${p.generatedAt} over ${p.liveIdentities} live non-human identities (active or orphaned). Industry figures: ${INDUSTRY_SOURCE}.`,
    '',
    '| KPI | Keyward | Industry | Verdict |',
    '| --- | --- | --- | --- |',
    ...p.kpis.map(
      (k) =>
        `| ${mdCell(k.label)} | ${mdCell(formatValue(k))} | ${mdCell(formatIndustry(k))} | ${formatVerdict(k)} |`,
    ),
    '',
    '## Open findings',
    '',
  ];
  if (p.findings.openByCodeAndSeverity.length === 0) lines.push('No open findings.');
  else {
    lines.push('| Code | Severity | Open |', '| --- | --- | --- |');
    for (const c of p.findings.openByCodeAndSeverity)
      lines.push(`| ${mdCell(c.code)} | ${mdCell(c.severity)} | ${c.count} |`);
  }
  lines.push('', '## Offboarding', '', offboardingText(p));
  for (const e of p.offboarding.examples) lines.push(`- ${mdCell(e.name)} (owner: ${mdCell(e.ownerName)})`);
  lines.push('');
  return lines.join('\n');
}

function offboardingText(p: PostureKpis): string {
  const how = p.offboarding.builtIn ? 'Offboarding: built in.' : 'Offboarding workflow: not built in yet.';
  return p.offboarding.identitiesOfOwnersLeft === 0
    ? `${how} Nobody who left still owns a live identity.`
    : `${how} ${p.offboarding.ownersLeft} people who left still own ${p.offboarding.identitiesOfOwnersLeft} live identities:`;
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1b1f24}
table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #d0d7de;padding:.35rem .6rem;text-align:left}
th{background:#f6f8fa}.better{color:#1a7f37}.worse{color:#cf222e}.same{color:#6e7781}`;

export function renderHtml(p: PostureKpis): string {
  const e = escapeHtml;
  const rows = p.kpis
    .map(
      (k) =>
        `<tr><td>${e(k.label)}</td><td>${e(formatValue(k))}</td><td>${e(formatIndustry(k))}</td><td class="${k.verdict ?? ''}">${e(formatVerdict(k))}</td></tr>`,
    )
    .join('\n');
  const findings =
    p.findings.openByCodeAndSeverity.length === 0
      ? '<p>No open findings.</p>'
      : `<table><thead><tr><th>Code</th><th>Severity</th><th>Open</th></tr></thead><tbody>\n${p.findings.openByCodeAndSeverity
          .map((c) => `<tr><td>${e(c.code)}</td><td>${e(c.severity)}</td><td>${c.count}</td></tr>`)
          .join('\n')}\n</tbody></table>`;
  const left = p.offboarding.examples
    .map((x) => `<li>${e(x.name)} (owner: ${e(x.ownerName)})</li>`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Keyward estate KPIs</title>
<style>${CSS}</style></head><body>
<h1>Keyward estate KPIs</h1>
<p>Generated ${e(p.generatedAt)} over ${p.liveIdentities} live non-human identities (active or orphaned). Industry figures: ${e(INDUSTRY_SOURCE)}.</p>
<table><thead><tr><th>KPI</th><th>Keyward</th><th>Industry</th><th>Verdict</th></tr></thead><tbody>
${rows}
</tbody></table>
<h2>Open findings</h2>
${findings}
<h2>Offboarding</h2>
<p>${e(offboardingText(p))}</p>
${left ? `<ul>\n${left}\n</ul>` : ''}
</body></html>
`;
}

export const renderReport = (p: PostureKpis, format: ReportFormat): string =>
  format === 'html' ? renderHtml(p) : renderMarkdown(p);
