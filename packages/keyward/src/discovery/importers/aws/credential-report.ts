/**
 * The IAM credential report (`aws iam get-credential-report`, its Content base64-decoded): one row
 * per user with password and access-key dates. Each row is the user (merged with the same user from
 * the authorization details) and a credential per access-key slot ever used. The report names no
 * key ids: a slot whose last_rotated equals, to the second, the CreateDate of a key of that user in
 * a list-access-keys file of the batch takes that key's id; otherwise it is `<arn>#access_key_<n>`.
 */
import { parse } from 'csv-parse/sync';
import type { ImportOptions } from '../../import-batch.js';
import type { AccessKeyRecord } from './access-keys.js';
import { nameSignals } from './agent-signals.js';
import { accountOf, principalName } from './aws-arn.js';
import { isoDate, sameSecond } from './aws-dates.js';
import type { BatchBuilder } from './batch-builder.js';

export const REPORT_HEADER = /^\uFEFF?user,arn,user_creation_time\b/;

export interface ReportRow {
  line: number;
  cells: Record<string, string>;
}

/** The rows of a report, or a problem with the line csv-parse stopped at. */
export function parseReport(text: string, file: string, b: BatchBuilder): ReportRow[] {
  try {
    const rows = parse(text, {
      columns: true,
      bom: true,
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
    }) as Array<{ record: Record<string, string>; info: { lines: number } }>;
    return rows.map((r) => ({ line: r.info.lines, cells: r.record }));
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    b.problem({
      file,
      ...(line ? { line } : {}),
      severity: 'error',
      reason: `credential report is not valid CSV: ${err instanceof Error ? err.message : String(err)}`,
    });
    return [];
  }
}

const present = (v: string | undefined): v is string =>
  v !== undefined && v !== '' && v !== 'N/A' && v !== 'no_information' && v !== 'not_supported';

const latest = (dates: Array<string | undefined>): string | undefined =>
  dates
    .filter((d): d is string => d !== undefined)
    .sort()
    .at(-1);

/**
 * Adds each row's user and key slots. `keysOf(userName)` are the batch's listed keys of that user;
 * a key a slot takes is added to `claimed` so it is not added again on its own.
 */
export function readCredentialReport(
  b: BatchBuilder,
  file: string,
  rows: readonly ReportRow[],
  options: ImportOptions,
  keysOf: (userName: string) => readonly AccessKeyRecord[],
  claimed: Set<string>,
): void {
  for (const { line, cells } of rows) {
    b.count('credential report rows');
    const at = { file, line };
    const user = cells['user'] ?? '';
    const arn = cells['arn'] ?? '';
    if (user === '<root_account>') {
      b.count('root account (skipped)');
      const active = [1, 2].filter((n) => cells[`access_key_${n}_active`] === 'true');
      if (active.length > 0)
        b.problem({
          ...at,
          severity: 'warning',
          reason: `the root account has ${active.length} active access key(s); delete them (root is not imported as an identity)`,
        });
      continue;
    }
    if (!user || !arn) {
      b.problem({ ...at, severity: 'error', reason: 'credential report row skipped: it has no user or arn' });
      continue;
    }
    if (accountOf(arn) !== b.account) {
      b.problem({
        ...at,
        severity: 'error',
        reason: `user ${arn} is of account ${accountOf(arn) ?? '?'}, not ${b.account}; import each account on its own`,
      });
      continue;
    }
    const listed = keysOf(user);
    const used: Array<string | undefined> = [isoDate(cells['password_last_used'])];
    for (const n of [1, 2]) {
      const rotated = isoDate(cells[`access_key_${n}_last_rotated`]);
      const active = cells[`access_key_${n}_active`] === 'true';
      if (!active && !rotated) continue;
      const lastUsedAt = isoDate(cells[`access_key_${n}_last_used_date`]);
      used.push(lastUsedAt);
      const key = listed.find((k) => !claimed.has(k.keyId) && sameSecond(k.createdAt, rotated));
      if (key) claimed.add(key.keyId);
      const region = cells[`access_key_${n}_last_used_region`];
      const service = cells[`access_key_${n}_last_used_service`];
      b.credential({
        externalId: key?.keyId ?? `${arn}#access_key_${n}`,
        identity: arn,
        kind: 'aws_access_key',
        status: active ? 'active' : 'inactive',
        createdAt: key?.createdAt ?? rotated,
        lastRotatedAt: rotated,
        lastUsedAt,
        ...(key ? { hint: key.keyId } : {}),
        foundIn: at,
        details: {
          slot: n,
          ...(present(region) ? { lastUsedRegion: region } : {}),
          ...(present(service) ? { lastUsedService: service } : {}),
          ...(key ? { keyListedIn: key.file } : {}),
        },
      });
    }
    const signals = nameSignals(user, {});
    b.identity({
      externalId: arn,
      name: principalName(b.account, 'user', user),
      kind: 'service_account',
      environment: options.environment,
      labels: { 'aws.type': 'user' },
      firstSeen: isoDate(cells['user_creation_time']),
      lastSeen: latest(used),
      ...(signals.length > 0 ? { agentSignals: signals } : {}),
      foundIn: at,
      details: {
        arn,
        ...(cells['password_enabled'] === 'true' ? { passwordAuth: true } : {}),
        mfaActive: cells['mfa_active'] === 'true',
      },
    });
  }
}
