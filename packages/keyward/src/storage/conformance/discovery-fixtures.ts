/**
 * Record builders for the discovery conformance cases: complete refs, credentials, findings and runs
 * (every nullable field set unless overridden), and the awkward text the bulk paths must carry intact.
 */
import type {
  CredentialRecord,
  DiscoveryRef,
  DiscoveryRun,
  Finding,
  RunSummary,
} from '../../discovery/discovery-types.js';
import { newId } from '../../ids.js';

let serial = 0;
const next = (): number => ++serial;

/** A time `s` seconds after 2026-01-01T00:00:00Z, as the stores keep times (ISO text). */
export const at = (s: number): string => new Date(Date.UTC(2026, 0, 1) + s * 1000).toISOString();

/**
 * Text that breaks hand-made SQL or array literals: quotes, backslashes, commas, braces, newlines,
 * the words NULL and \N, the empty string, JSON, and non-ASCII. (NUL is left out: PostgreSQL text
 * cannot hold it on any path.)
 */
export const ODD_TEXT = [
  'plain',
  'double " quote and \' single',
  'back\\slash \\\\ twice and trailing \\',
  'comma, {braces}, [brackets], (parens)',
  'line\nbreak\r\ncrlf\ttab',
  'ünïcødé ✓ 🚀 日本語',
  '{"json": [1, "two", null], "nested": {"a": "\\"q\\""}}',
  'NULL',
  '\\N',
  '',
  '  spaces around  ',
  '{}',
  '"',
] as const;

export const odd = (i: number): string => ODD_TEXT[i % ODD_TEXT.length]!;

export function aRef(over: Partial<DiscoveryRef> = {}): DiscoveryRef {
  const n = next();
  return {
    scope: 'aws:111111111111',
    feed: 'iam',
    externalId: `arn:aws:iam::111111111111:role/r${String(n).padStart(8, '0')}`,
    nodeType: 'identity',
    nodeId: newId('identity'),
    contentHash: `hash-${n}`,
    details: { source: { file: 'iam.json', pointer: `/Roles/${n}` }, list: [1, null, 'two'], ok: true },
    firstImportedAt: at(n % 1000),
    lastImportedAt: at(1000 + (n % 1000)),
    lastRunId: newId('discoveryRun'),
    missingSince: null,
    ...over,
  };
}

/** A pending edge ref: its endpoint is not known yet, so no Keyward edge (nodeId null). */
export const aPendingEdge = (over: Partial<DiscoveryRef> = {}): DiscoveryRef =>
  aRef({
    nodeType: 'edge',
    nodeId: null,
    details: { edge: { kind: 'can_assume', from: 'arn:a', to: 'k8s|default/sa', actions: ['sts:*'] } },
    ...over,
  });

export const keyOf = (r: DiscoveryRef): Pick<DiscoveryRef, 'scope' | 'feed' | 'externalId'> => ({
  scope: r.scope,
  feed: r.feed,
  externalId: r.externalId,
});

export function aCredential(over: Partial<CredentialRecord> = {}): CredentialRecord {
  const n = next();
  return {
    id: newId('credential'),
    identityId: 'nhi_0190a0b0c0d0e0f00000000000000001',
    scope: 'aws:111111111111',
    externalId: `AKIA${String(n).padStart(16, '0')}`,
    kind: 'aws_access_key',
    status: 'active',
    hint: `AKIA…${String(n).padStart(4, '0')}`,
    secretSha256: `sha-${n}`,
    createdAt: at(1),
    lastRotatedAt: at(2),
    lastUsedAt: at(3),
    expiresAt: at(4),
    revokedAt: null,
    details: { user: `u${n}`, tags: { team: 'payments' } },
    firstSeen: at(5),
    updatedAt: at(6),
    version: 1,
    ...over,
  };
}

export function aFinding(over: Partial<Finding> = {}): Finding {
  const n = next();
  return {
    id: newId('finding'),
    code: 'NHI2',
    rule: 'leaked-secret',
    severity: 'high',
    status: 'open',
    dedupKey: `leaked-secret:fp-${n}`,
    title: `Leaked secret ${n}`,
    identityId: 'nhi_0190a0b0c0d0e0f00000000000000001',
    credentialId: 'crd_0190a0b0c0d0e0f00000000000000001',
    evidence: { ruleId: 'aws', redacted: 'AKIA****', locations: [{ repo: 'r', path: 'p', line: n }] },
    remedy: 'Rotate the key',
    firstSeenAt: at(n % 100),
    lastSeenAt: at(200),
    resolvedAt: null,
    resolution: null,
    acceptedUntil: null,
    note: 'seen in CI',
    createdAt: at(10),
    updatedAt: at(11),
    version: 1,
    ...over,
  };
}

const perType = (v: number): RunSummary['created'] => ({
  identity: v,
  resource: v + 1,
  edge: v + 2,
  credential: v + 3,
});

export function aRun(over: Partial<DiscoveryRun> = {}): DiscoveryRun {
  const n = next();
  return {
    id: newId('discoveryRun'),
    type: 'import',
    source: 'aws-iam',
    scope: 'aws:111111111111',
    feed: 'iam',
    actor: 'tok_0190a0b0c0d0e0f00000000000000001',
    startedAt: at(n),
    finishedAt: at(n + 1),
    summary: {
      created: perType(n),
      updated: perType(1),
      unchanged: 4,
      missing: perType(0),
      unmanaged: 2,
      pendingEdges: 1,
      findings: { opened: 1, updated: 0, resolved: 2, linked: 3 },
      counts: { roles: 5 },
      problems: [
        { file: 'iam.json', line: 3, path: '/Roles/0', reason: 'odd " text \\ here', severity: 'warning' },
      ],
      problemCount: 1,
    },
    ...over,
  };
}
