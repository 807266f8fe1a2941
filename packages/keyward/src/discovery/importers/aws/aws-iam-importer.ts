/**
 * `keyward import aws <files…>`: AWS IAM exports of one account in, one batch out. Each file's
 * kind is told by its content (file-kinds.ts); the account comes from the ARNs (or `--scope`);
 * authorization details are read first so the credential report and access-key lists merge into
 * the users they describe. The feed names the kinds present, so a report imported on its own does
 * not mark the roles of a full export missing. Never throws: bad input becomes problems.
 */
import type {
  ImportBatch,
  ImportFile,
  ImportOptions,
  ImportParser,
  ImportProblem,
} from '../../import-batch.js';
import { emptyBatch } from '../../import-batch.js';
import { isRecord, stringField } from '../json-document.js';
import type { AccessKeyRecord, KeyLastUsed } from './access-keys.js';
import { readAuthorizationDetails } from './authorization-details.js';
import { accountOf, accountOfScope, principalName, scopeOf, userArn } from './aws-arn.js';
import { type BatchBuilder, createBatchBuilder } from './batch-builder.js';
import { parseReport, type ReportRow, readCredentialReport } from './credential-report.js';
import { classifyFile, type FileKind, type Section } from './file-kinds.js';
import { listOf } from './managed-policies.js';

/** The first account any ARN of the sections names (a report's root row included). */
function accountIn(
  sections: readonly Section[],
  reports: ReadonlyMap<Section, ReportRow[]>,
): string | undefined {
  for (const s of sections) {
    if (s.kind === 'authorization-details') {
      for (const key of ['UserDetailList', 'RoleDetailList', 'GroupDetailList']) {
        for (const { item } of listOf(s.doc, key)) {
          const arn = isRecord(item) ? stringField(item, 'Arn') : undefined;
          const account = arn ? accountOf(arn) : undefined;
          if (account) return account;
        }
      }
    } else if (s.kind === 'credential-report') {
      for (const row of reports.get(s) ?? []) {
        const account = accountOf(row.cells['arn'] ?? '');
        if (account) return account;
      }
    }
  }
  return undefined;
}

const later = (a: string | undefined, b: string | undefined) => (a && b ? (a > b ? a : b) : (a ?? b));

/** Keys listed but not joined to a report slot, last-used outputs applied, identities' credential summary. */
function finishKeys(
  b: BatchBuilder,
  keys: readonly AccessKeyRecord[],
  claimed: Set<string>,
  lastUsed: readonly KeyLastUsed[],
) {
  const arnOf = (userName: string) =>
    b.getIdentity(userArn(b.account, userName))?.externalId ??
    b.identities().find((i) => i.name === principalName(b.account, 'user', userName))?.externalId ??
    userArn(b.account, userName);
  for (const k of keys) {
    if (claimed.has(k.keyId)) continue;
    b.credential({
      externalId: k.keyId,
      identity: arnOf(k.userName),
      // IAM user names are unique in an account, whatever their path: the key still finds its
      // user when this export lacks the authorization details that give the ARN's path.
      identityName: principalName(b.account, 'user', k.userName),
      kind: 'aws_access_key',
      status: k.status,
      createdAt: k.createdAt,
      lastRotatedAt: k.createdAt,
      hint: k.keyId,
      foundIn: { file: k.file, ...(k.path ? { path: k.path } : {}), ...(k.line ? { line: k.line } : {}) },
    });
  }
  const credentials = b.credentials();
  for (const u of lastUsed) {
    const mine = u.keyId
      ? credentials.filter((c) => c.externalId === u.keyId)
      : credentials.filter((c) => c.hint && u.userName && c.identity === arnOf(u.userName));
    const [c] = mine;
    if (mine.length !== 1 || !c) {
      b.problem({
        file: u.file,
        severity: 'warning',
        reason: `last use of ${u.keyId ?? `a key of ${u.userName ?? '?'}`} not applied: ${mine.length === 0 ? 'no such key in the batch' : 'the user has several keys and the output names no AccessKeyId'}`,
      });
      continue;
    }
    c.lastUsedAt = later(c.lastUsedAt, u.lastUsedAt);
    c.details = {
      ...c.details,
      ...(u.service ? { lastUsedService: u.service } : {}),
      ...(u.region ? { lastUsedRegion: u.region } : {}),
    };
  }
  // The identity's credential summary: its oldest active key (what a rotation rule judges), its latest use.
  for (const i of b.identities()) {
    const active = credentials.filter((c) => c.identity === i.externalId && c.status === 'active');
    if (active.length === 0) continue;
    const oldest = active
      .map((c) => c.lastRotatedAt ?? c.createdAt)
      .filter((d): d is string => !!d)
      .sort()[0];
    const used = active.map((c) => c.lastUsedAt).reduce<string | undefined>((a, d) => later(a, d), undefined);
    i.credential = {
      ...(oldest ? { createdAt: oldest, lastRotatedAt: oldest } : {}),
      ...(used ? { lastUsedAt: used } : {}),
    };
    i.lastSeen = later(i.lastSeen, used);
  }
}

function parse(files: readonly ImportFile[], options: ImportOptions): ImportBatch {
  const early: ImportProblem[] = [];
  const sections = files.flatMap((f) => classifyFile(f, early));
  const scratch = createBatchBuilder('');
  const reports = new Map<Section, ReportRow[]>();
  for (const s of sections)
    if (s.kind === 'credential-report') reports.set(s, parseReport(s.text, s.file, scratch));
  const account = (options.scope ? accountOfScope(options.scope) : undefined) ?? accountIn(sections, reports);
  const kinds = [...new Set(sections.map((s) => s.kind))].sort() as FileKind[];
  const feed = kinds.join('+') || 'authorization-details';
  // list-access-keys covers one user's keys: on its own it must not mark other users' keys gone.
  const partial = kinds.length === 1 && kinds[0] === 'access-keys';
  const scope = options.scope ?? (account ? scopeOf(account) : '');
  const batch = emptyBatch('aws-iam', scope, feed, partial);
  if (!account) {
    if (sections.length > 0)
      batch.problems.push({
        file: sections.map((s) => (s.kind === 'authorization-details' ? s.doc.file : s.file)).join(', '),
        severity: 'error',
        reason: 'the AWS account is unknown (no ARN in the files): pass --scope aws:<account id>',
      });
    batch.problems.push(...early);
    return batch;
  }
  const b = createBatchBuilder(account);
  b.problems().push(...early, ...scratch.problems());
  const docs = sections.flatMap((s) => (s.kind === 'authorization-details' ? [s.doc] : []));
  if (docs.length > 0) readAuthorizationDetails(b, docs, options);
  const keys = sections.flatMap((s) => (s.kind === 'access-keys' ? s.keys.keys : []));
  const lastUsed = sections.flatMap((s) => (s.kind === 'access-keys' ? s.keys.lastUsed : []));
  if (keys.length > 0) b.count('access keys', keys.length);
  const claimed = new Set<string>();
  for (const s of sections) {
    if (s.kind !== 'credential-report') continue;
    const keysOf = (userName: string) => keys.filter((k) => k.userName === userName);
    readCredentialReport(b, s.file, reports.get(s) ?? [], options, keysOf, claimed);
  }
  finishKeys(b, keys, claimed, lastUsed);
  return {
    ...batch,
    identities: b.identities(),
    resources: b.resources(),
    edges: b.edges(),
    credentials: b.credentials(),
    problems: b.problems(),
    counts: b.counts(),
  };
}

export const parseAwsIam: ImportParser = (files, options) => {
  try {
    return parse(files, options);
  } catch (err) {
    // A parser never throws on input; should a bug make it, the import reports it instead of failing.
    const batch = emptyBatch('aws-iam', options.scope ?? '', 'authorization-details');
    batch.problems.push({
      file: files.map((f) => f.path).join(', '),
      severity: 'error',
      reason: `the AWS importer failed: ${err instanceof Error ? err.message : String(err)}`,
    });
    return batch;
  }
};
