/** Estate KPIs on a real SQLite store holding a hand-built estate: each KPI's arithmetic, and the empty estate. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Edge, Human, Identity, PostureKpi, PostureKpis, Resource } from '@keyward/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuditRecorder } from '../../src/audit/audit-recorder.js';
import type { CredentialRecord, Finding } from '../../src/discovery/discovery-types.js';
import { createFindingService } from '../../src/discovery/finding-service.js';
import { isWellFormedId, newId } from '../../src/ids.js';
import { createPostureKpis } from '../../src/posture/posture-kpis.js';
import { countFindings, isOverPrivilegedGrant, median, share } from '../../src/posture/posture-math.js';
import { renderHtml, renderMarkdown } from '../../src/posture/posture-report.js';
import { idAt } from '../../src/posture/posture-sources.js';
import { openStore } from '../../src/storage/open-store.js';
import type { Store } from '../../src/storage/storage-types.js';

const NOW = '2026-06-01T00:00:00.000Z';
const now = () => new Date(NOW);
const T0 = '2026-01-01T00:00:00.000Z';

const human = (name: string, active: boolean): Human => ({
  id: newId('human'),
  email: `${name}@example.com`,
  name,
  active,
  title: null,
  createdAt: T0,
  updatedAt: T0,
  version: 1,
});

const identity = (name: string, over: Partial<Identity> = {}): Identity => ({
  id: newId('identity'),
  name,
  kind: 'service_account',
  ownerId: null,
  purpose: null,
  environment: 'prod',
  businessSystem: null,
  origin: 'manual',
  originExternalId: null,
  secretLocations: [],
  credential: {},
  reviewDate: null,
  status: 'active',
  labels: {},
  firstSeen: T0,
  lastSeen: null,
  createdAt: T0,
  updatedAt: T0,
  version: 1,
  ...over,
});

const resource = (name: string, sensitivity: Resource['sensitivity']): Resource => ({
  id: newId('resource'),
  name,
  kind: 'database',
  systemId: null,
  environment: 'prod',
  sensitivity,
  labels: {},
  createdAt: T0,
  updatedAt: T0,
  version: 1,
});

const grant = (fromId: string, toId: string, actions: string[]): Edge => ({
  id: newId('edge'),
  kind: 'has_permission',
  fromId,
  toId,
  actions,
  createdAt: T0,
});

const credential = (identityId: string, over: Partial<CredentialRecord>): CredentialRecord => ({
  id: newId('credential'),
  identityId,
  scope: 'aws:123456789012',
  externalId: newId('credential'),
  kind: 'aws_access_key',
  status: 'active',
  hint: null,
  secretSha256: null,
  createdAt: null,
  lastRotatedAt: null,
  lastUsedAt: null,
  expiresAt: null,
  revokedAt: null,
  details: {},
  firstSeen: T0,
  updatedAt: T0,
  version: 1,
  ...over,
});

const finding = (code: string, over: Partial<Finding>): Finding => ({
  id: newId('finding'),
  code,
  rule: code === 'NHI2' ? 'leaked-secret' : `test-${code}`,
  severity: 'high',
  status: 'open',
  dedupKey: newId('finding'),
  title: `${code} test finding`,
  identityId: null,
  credentialId: null,
  evidence: {},
  remedy: 'fix it',
  firstSeenAt: T0,
  lastSeenAt: T0,
  resolvedAt: null,
  resolution: null,
  acceptedUntil: null,
  note: null,
  createdAt: T0,
  updatedAt: T0,
  version: 1,
  ...over,
});

/** An id minted at `iso` (UUIDv7 order is creation order), whatever the test machine's clock says. */
const idMintedAt = (prefix: string, iso: string) =>
  idAt(prefix, Date.parse(iso)).slice(0, -20) + randomBytes(10).toString('hex');

const byKey = (p: PostureKpis, key: string): PostureKpi => {
  const k = p.kpis.find((x) => x.key === key);
  if (!k) throw new Error(`no KPI ${key}`);
  return k;
};

describe('estate KPIs', () => {
  let dir: string;
  let store: Store;
  const kpis = () =>
    createPostureKpis({
      store,
      now,
      findings: createFindingService({ store, audit: createAuditRecorder(now), now }),
    }).kpis();

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kw-posture-'));
    store = await openStore({ backend: 'sqlite', file: join(dir, 'kw.db') });
    await store.migrate();
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an empty estate: no division by zero, nulls where a share or a median is undefined', async () => {
    const p = await kpis();
    expect(p.liveIdentities).toBe(0);
    for (const key of [
      'withOwner',
      'fullVisibility',
      'notRotatedInTime',
      'overPrivileged',
      'standingCredentials',
    ])
      expect(byKey(p, key)).toMatchObject({ value: null, verdict: null, count: 0, of: 0 });
    expect(byKey(p, 'medianCredentialAgeDays').value).toBeNull();
    expect(byKey(p, 'medianHoursToRevoke').value).toBeNull();
    expect(byKey(p, 'orphans').value).toBe(0);
    expect(byKey(p, 'ownerLeftIdentities')).toMatchObject({ value: 0, verdict: 'better' });
    expect(p.credentials).toEqual({ standing: 0, justInTime: 0, standingShare: null });
    expect(p.findings).toEqual({
      open: 0,
      accepted: 0,
      openByCode: {},
      openBySeverity: {},
      openByCodeAndSeverity: [],
    });
    expect(JSON.stringify(p)).not.toMatch(/NaN|Infinity/);
    expect(renderMarkdown(p)).toContain('No open findings.');
  });

  it('computes every KPI of a hand-built estate', async () => {
    const ana = human('Ana', true);
    const bob = human('Bob <left>', false);
    const low = resource('scratch-bucket', 'low');
    const crit = resource('ledger-db', 'critical');
    // a1: full visibility, rotated 31 days ago (default policy 90), holds `s3:*`: over-privileged.
    const a1 = identity('a1', {
      ownerId: ana.id,
      purpose: 'deploys',
      credential: { createdAt: '2026-05-01T00:00:00.000Z', expiresAt: '2026-12-01T00:00:00.000Z' },
      secretLocations: [{ store: 'vault', ref: 'kv/a1' }],
    });
    // a2: full visibility (review date), rotated 151 days ago: overdue; only reads the critical db.
    const a2 = identity('a2', {
      ownerId: ana.id,
      purpose: 'reports',
      reviewDate: '2026-09-01T00:00:00.000Z',
      credential: { createdAt: '2025-06-01T00:00:00.000Z', lastRotatedAt: '2026-01-01T00:00:00.000Z' },
    });
    // a3: its owner left; no purpose, no end, no static credential; writes to the critical db.
    const a3 = identity('a3 <script>', { ownerId: bob.id });
    // a4: orphaned, no owner; policy 30 days; two found credentials (10 and 60 days old) replace its metadata.
    const a4 = identity('a4', {
      status: 'orphaned',
      purpose: 'legacy',
      credential: { rotationPeriodDays: 30, lastRotatedAt: '2026-05-11T00:00:00.000Z' },
    });
    // a5: disabled: counts nowhere, though it holds `*` and an active found credential.
    const a5 = identity('a5', { status: 'disabled', ownerId: ana.id, purpose: 'old' });
    // a6: full visibility, no static credential; over-privileged only by an open NHI5 finding.
    const a6 = identity('a6', {
      ownerId: ana.id,
      purpose: 'agent',
      credential: { expiresAt: '2026-07-01T00:00:00.000Z' },
    });
    await store.humans.createMany([ana, bob]);
    await store.resources.createMany([low, crit]);
    await store.identities.createMany([a1, a2, a3, a4, a5, a6]);
    await store.edges.createMany([
      grant(a1.id, low.id, ['s3:*']),
      grant(a2.id, crit.id, ['read']),
      grant(a3.id, crit.id, ['write']),
      grant(a4.id, low.id, ['admin']),
      grant(a5.id, low.id, ['*']),
    ]);
    await store.credentials.createMany([
      credential(a4.id, { createdAt: '2026-05-22T00:00:00.000Z' }),
      credential(a4.id, { createdAt: '2025-01-01T00:00:00.000Z', lastRotatedAt: '2026-04-02T00:00:00.000Z' }),
      credential(a4.id, { status: 'revoked', createdAt: '2020-01-01T00:00:00.000Z' }),
      credential(a5.id, { createdAt: '2020-01-01T00:00:00.000Z' }),
    ]);
    // Just in time: one task and one lease in the last 24 h; an older task does not count.
    await store.tasks.create({
      id: idMintedAt('tsk_', '2026-05-31T12:00:00.000Z'),
      agentId: a6.id,
      sponsorId: ana.id,
      intent: 'test',
      scopes: [],
      environment: 'prod',
      parentTaskId: null,
      status: 'active',
      createdAt: '2026-05-31T12:00:00.000Z',
      expiresAt: '2026-06-01T12:00:00.000Z',
      endedAt: null,
      endReason: null,
    });
    await store.tasks.create({
      id: idMintedAt('tsk_', '2026-05-29T00:00:00.000Z'),
      agentId: a6.id,
      sponsorId: ana.id,
      intent: 'old',
      scopes: [],
      environment: 'prod',
      parentTaskId: null,
      status: 'completed',
      createdAt: '2026-05-29T00:00:00.000Z',
      expiresAt: '2026-05-29T01:00:00.000Z',
      endedAt: '2026-05-29T00:30:00.000Z',
      endReason: 'done',
    });
    await store.leases.create({
      id: idMintedAt('lea_', '2026-05-31T20:00:00.000Z'),
      database: 'orders',
      roleName: 'kw_test_role',
      ownerRef: 'tsk_x',
      createdAt: '2026-05-31T20:00:00.000Z',
      validUntil: '2026-05-31T21:00:00.000Z',
      status: 'active',
      attempts: 0,
      lastError: null,
      revokedAt: null,
      nextAttemptAt: null,
      claimedAt: null,
    });
    for (const f of [
      finding('NHI5', { identityId: a6.id }),
      finding('NHI5', { identityId: a2.id, status: 'resolved', resolvedAt: T0, resolution: 'by hand: ok' }),
      finding('NHI2', { severity: 'critical' }),
      finding('NHI2', { severity: 'critical' }),
      finding('NHI2', { status: 'accepted', acceptedUntil: '2026-07-01T00:00:00.000Z' }),
      finding('NHI2', {
        status: 'resolved',
        firstSeenAt: '2026-05-30T00:00:00.000Z',
        resolvedAt: '2026-05-30T06:00:00.000Z',
        resolution: 'credential revoked',
      }),
      finding('NHI2', {
        status: 'resolved',
        firstSeenAt: '2026-05-20T00:00:00.000Z',
        resolvedAt: '2026-05-21T00:00:00.000Z',
        resolution: 'credential rotated',
      }),
      finding('NHI1', { severity: 'medium' }),
    ])
      await store.findings.create(f);

    const p = await kpis();
    expect(p.liveIdentities).toBe(5);
    expect(byKey(p, 'withOwner')).toMatchObject({ value: 80, count: 4, of: 5 });
    expect(byKey(p, 'withPurpose')).toMatchObject({ value: 80, count: 4, of: 5 });
    expect(byKey(p, 'withEnd')).toMatchObject({ value: 60, count: 3, of: 5 });
    expect(byKey(p, 'fullVisibility')).toMatchObject({
      value: 60,
      count: 3,
      of: 5,
      industry: { value: 5.7, unit: '%' },
      verdict: 'better',
    });
    // Holders of standing credentials: a1 (rotated), a2 (overdue), a4 (60-day-old key, policy 30).
    expect(byKey(p, 'rotatedWithinPolicy')).toMatchObject({ value: 33.3, count: 1, of: 3, industry: null });
    expect(byKey(p, 'notRotatedInTime')).toMatchObject({
      value: 66.7,
      count: 2,
      of: 3,
      industry: { value: 71 },
      verdict: 'better',
    });
    expect(byKey(p, 'overPrivileged')).toMatchObject({
      value: 80,
      count: 4,
      of: 5,
      industry: { value: 97 },
      verdict: 'better',
    });
    expect(p.credentials).toEqual({ standing: 4, justInTime: 2, standingShare: 66.7 });
    expect(byKey(p, 'standingCredentials')).toMatchObject({ value: 66.7, count: 4, of: 6 });
    // Ages 10, 31, 60, 151 days.
    expect(byKey(p, 'medianCredentialAgeDays')).toMatchObject({ value: 45.5, unit: 'days' });
    expect(byKey(p, 'orphans').value).toBe(2);
    expect(byKey(p, 'ownerLeftIdentities')).toMatchObject({
      value: 1,
      verdict: 'worse',
      industry: { value: 20 },
    });
    expect(p.offboarding).toEqual({
      builtIn: true,
      ownersLeft: 1,
      identitiesOfOwnersLeft: 1,
      examples: [{ id: a3.id, name: 'a3 <script>', ownerName: 'Bob <left>' }],
    });
    expect(p.findings).toEqual({
      open: 4,
      accepted: 1,
      openByCode: { NHI1: 1, NHI2: 2, NHI5: 1 },
      openBySeverity: { critical: 2, high: 1, medium: 1 },
      openByCodeAndSeverity: [
        { code: 'NHI1', severity: 'medium', count: 1 },
        { code: 'NHI2', severity: 'critical', count: 2 },
        { code: 'NHI5', severity: 'high', count: 1 },
      ],
    });
    expect(byKey(p, 'openFindings').value).toBe(4);
    // Revoked after 6 h and 24 h.
    expect(byKey(p, 'medianHoursToRevoke')).toMatchObject({ value: 15, unit: 'hours' });
    expect(p.leakedSecrets).toEqual({ open: 3, revoked: 2, medianHoursToRevoke: 15 });

    const html = renderHtml(p);
    expect(html).toContain('a3 &lt;script&gt;');
    expect(html).toContain('Bob &lt;left&gt;');
    expect(html).not.toContain('<script>');
    const md = renderMarkdown(p);
    expect(md).toContain('| NHI2 | critical | 2 |');
    expect(md).toContain('a3 \\<script\\>');
  });
});

describe('posture arithmetic', () => {
  it('shares, medians, grants, finding counts', () => {
    expect(share(1, 3)).toBe(33.3);
    expect(share(0, 0)).toBeNull();
    expect(median([])).toBeNull();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(isOverPrivilegedGrant(['*'], false)).toBe(true);
    expect(isOverPrivilegedGrant(['iam:Put*'], false)).toBe(true);
    expect(isOverPrivilegedGrant(['ADMIN'], false)).toBe(true);
    expect(isOverPrivilegedGrant(['read', 'write'], false)).toBe(false);
    expect(isOverPrivilegedGrant(['s3:GetObject', 'read'], true)).toBe(false);
    expect(isOverPrivilegedGrant(['s3:PutObject'], true)).toBe(true);
    const at = Date.parse('2026-05-31T00:00:00.000Z');
    expect(isWellFormedId(idAt('tsk_', at))).toBe(true);
    expect(idAt('tsk_', at) < idMintedAt('tsk_', '2026-05-31T00:00:00.001Z')).toBe(true);
    expect(idAt('tsk_', at) > idMintedAt('tsk_', '2026-05-30T23:59:59.999Z')).toBe(true);
    expect(countFindings([{ code: 'NHI7', severity: 'low', status: 'resolved', count: 9 }]).open).toBe(0);
  });
});
