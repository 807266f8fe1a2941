/** Tables and detail views of discovery: import and scan runs, findings, found credentials, scan results. */
import type {
  CredentialRecord,
  DiscoveryRef,
  DiscoveryRun,
  Finding,
  LeakLocation,
} from '../discovery/discovery-types.js';
import type { ImportProblem } from '../discovery/import-batch.js';
import type { ScanResult } from '../discovery/scan/scan-types.js';
import { dash, type OutputStyle, paint, renderDetail, renderTable, time } from './output-format.js';

const SEVERITY_COLOR = { critical: 'red', high: 'red', medium: 'yellow', low: 'dim' } as const;
const sev = (s: string, style: OutputStyle) =>
  paint(s, SEVERITY_COLOR[s as keyof typeof SEVERITY_COLOR] ?? 'dim', style);

export function problemLines(problems: readonly ImportProblem[], total: number, limit = 20): string {
  if (problems.length === 0) return '';
  const lines = problems
    .slice(0, limit)
    .map(
      (p) =>
        `  ${p.severity}: ${p.file}${p.line ? `:${p.line}` : ''}${p.path ? ` ${p.path}` : ''}: ${p.reason}`,
    );
  const more = total > limit ? `\n  … and ${total - limit} more (--json lists the first 200)` : '';
  return `Problems (${total})\n${lines.join('\n')}${more}\n`;
}

export function runView(outcome: { run: DiscoveryRun; dryRun?: boolean }, style: OutputStyle): string {
  const { run } = outcome;
  const s = run.summary;
  const row = (what: string, type: keyof typeof s.created) => [
    what,
    s.created[type],
    s.updated[type],
    s.missing[type],
  ];
  const header = `${outcome.dryRun ? 'Dry run (nothing changed): ' : ''}${run.type} ${run.id} of ${run.scope} (${run.source}/${run.feed})\n`;
  const table =
    run.type === 'import'
      ? renderTable(
          ['RECORDS', 'CREATED', 'UPDATED', 'GONE FROM SOURCE'],
          [
            row('identities', 'identity'),
            row('resources', 'resource'),
            row('edges', 'edge'),
            row('credentials', 'credential'),
          ],
          style,
        )
      : '';
  const detail = renderDetail(
    [
      ['unchanged', run.type === 'import' ? s.unchanged : null],
      [
        'unmanaged identities',
        run.type === 'import' ? (s.unmanaged > 0 ? paint(String(s.unmanaged), 'yellow', style) : 0) : null,
      ],
      ['edges waiting for an endpoint', s.pendingEdges > 0 ? s.pendingEdges : null],
      [
        'findings',
        `${s.findings.opened} opened, ${s.findings.updated} updated, ${s.findings.linked} linked, ${s.findings.resolved} resolved`,
      ],
      [
        'read',
        Object.entries(s.counts)
          .map(([k, n]) => `${k} ${n}`)
          .join(', ') || '-',
      ],
    ],
    style,
  );
  return `${header}${table}${detail}${problemLines(s.problems, s.problemCount)}`;
}

export function runTable(runs: DiscoveryRun[], style: OutputStyle): string {
  if (runs.length === 0) return 'no runs\n';
  return renderTable(
    ['ID', 'WHEN', 'TYPE', 'SCOPE', 'CREATED', 'UPDATED', 'GONE', 'FINDINGS', 'PROBLEMS'],
    runs.map((r) => {
      const s = r.summary;
      const sum = (x: Record<string, number>) => Object.values(x).reduce((a, b) => a + b, 0);
      return [
        r.id,
        time(r.startedAt),
        r.type,
        r.scope,
        sum(s.created),
        sum(s.updated),
        sum(s.missing),
        s.findings.opened,
        s.problemCount,
      ];
    }),
    style,
  );
}

const where = (l: LeakLocation | undefined) =>
  l
    ? `${l.repo}:${l.path}:${l.line}${l.commit ? `@${l.commit.slice(0, 8)}` : ''}${l.historyOnly ? ' (history)' : ''}`
    : '-';

export function findingTable(findings: Finding[], style: OutputStyle): string {
  if (findings.length === 0) return 'no findings\n';
  return renderTable(
    ['ID', 'CODE', 'SEVERITY', 'STATUS', 'IDENTITY', 'SEEN', 'TITLE'],
    findings.map((f) => [
      f.id,
      f.code,
      sev(f.severity, style),
      f.status,
      dash(f.identityId),
      time(f.firstSeenAt),
      f.title,
    ]),
    style,
  );
}

export function findingDetail(f: Finding, style: OutputStyle): string {
  const locations = (f.evidence['locations'] as LeakLocation[] | undefined) ?? [];
  const lines = locations
    .slice(0, 20)
    .map((l) => `  ${where(l)}${l.author ? `  ${l.author}` : ''}${l.date ? `  ${l.date}` : ''}`);
  return `${renderDetail(
    [
      ['id', f.id],
      ['code', `${f.code} (${f.rule})`],
      ['severity', sev(f.severity, style)],
      ['status', f.status],
      ['title', f.title],
      ['identity', f.identityId],
      ['credential', f.credentialId],
      [
        'secret',
        f.evidence['redacted']
          ? `${String(f.evidence['redacted'])} (${String(f.evidence['fingerprint'] ?? '')})`
          : null,
      ],
      ['first seen', time(f.firstSeenAt)],
      ['resolved', f.resolvedAt ? `${time(f.resolvedAt)}: ${f.resolution ?? ''}` : null],
      ['accepted until', f.acceptedUntil ? time(f.acceptedUntil) : null],
      ['note', f.note],
    ],
    style,
  )}${lines.length > 0 ? `Seen at\n${lines.join('\n')}\n` : ''}Remedy: ${f.remedy}\n`;
}

export function credentialTable(items: CredentialRecord[], style: OutputStyle): string {
  if (items.length === 0) return 'no credentials\n';
  return renderTable(
    ['ID', 'KIND', 'STATUS', 'EXTERNAL ID', 'IDENTITY', 'CREATED', 'LAST USED'],
    items.map((c) => [
      c.id,
      c.kind,
      c.status,
      c.externalId,
      c.identityId,
      time(c.createdAt),
      time(c.lastUsedAt),
    ]),
    style,
  );
}

/** The source records behind one identity (or resource): where discovery found it. */
export function provenanceTable(refs: DiscoveryRef[], style: OutputStyle): string {
  if (refs.length === 0) return 'not discovered: registered in Keyward only\n';
  return renderTable(
    ['SCOPE', 'FEED', 'EXTERNAL ID', 'FOUND IN', 'FIRST IMPORTED', 'LAST IMPORTED', 'MISSING SINCE'],
    refs.map((r) => [
      r.scope,
      r.feed,
      r.externalId,
      dash(typeof r.details['foundIn'] === 'string' ? r.details['foundIn'] : null),
      time(r.firstImportedAt),
      time(r.lastImportedAt),
      dash(r.missingSince ? time(r.missingSince) : null),
    ]),
    style,
  );
}

/** `Scanned 602 files (2.9 MB), 170 commits in 0.3 s: 2 secrets found` */
export function scanHeadline({ findings, stats }: ScanResult): string {
  return `Scanned ${stats.files} files (${(stats.bytes / 1_048_576).toFixed(1)} MB)${stats.commits !== undefined ? `, ${stats.commits} commits` : ''} in ${(stats.durationMs / 1000).toFixed(1)} s: ${findings.length} secret${findings.length === 1 ? '' : 's'} found`;
}

export function scanView(result: ScanResult, style: OutputStyle): string {
  const { findings } = result;
  const head = `${scanHeadline(result)}\n`;
  if (findings.length === 0) return head;
  const table = renderTable(
    ['SEVERITY', 'RULE', 'SECRET', 'WHERE', 'COMMIT', 'AUTHOR'],
    findings.map((f) => [
      sev(f.severity, style),
      f.ruleId,
      f.redacted,
      `${f.location.path}:${f.location.line}${f.location.historyOnly ? ' (history only)' : ''}`,
      f.location.commit ? f.location.commit.slice(0, 8) : '-',
      dash(f.location.author),
    ]),
    style,
  );
  return `${head}${table}`;
}
