/**
 * The import service against a real SQLite store and the real graph index: idempotent re-imports,
 * records gone from the source marked (edges removed, credentials revoked), owners kept, cross-scope
 * edges joined in either import order, dry runs, and leaked-secret findings linked and resolved.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuditRecorder } from '../../src/audit/audit-recorder.js';
import type { ImportBatch } from '../../src/discovery/import-batch.js';
import { emptyBatch } from '../../src/discovery/import-batch.js';
import { createImportService } from '../../src/discovery/import-service.js';
import { createLeakFindings } from '../../src/discovery/leak-findings.js';
import type { SecretFinding } from '../../src/discovery/scan/scan-types.js';
import type { GraphIndex } from '../../src/graph/graph-index.js';
import { loadGraphIndex } from '../../src/graph/graph-loader.js';
import { openStore } from '../../src/storage/open-store.js';
import type { Store } from '../../src/storage/storage-types.js';

let dir: string;
let store: Store;
let index: GraphIndex;
let clock = Date.parse('2026-06-01T00:00:00Z');
const now = () => new Date(clock);

const noParsers = {} as never;

function services() {
  const audit = createAuditRecorder(now);
  const leaks = createLeakFindings({ audit });
  return {
    leaks,
    imports: createImportService({ store, graph: index, audit, now, leaks, parsers: noParsers }),
  };
}

const F = { file: 'estate.json' };
function awsBatch(over: (b: ImportBatch) => void = () => {}): ImportBatch {
  const b = emptyBatch('aws-iam', 'aws:111122223333', 'iam');
  b.identities.push(
    {
      externalId: 'arn:role/deployer',
      name: 'aws:111122223333:role/deployer',
      kind: 'service_account',
      environment: 'prod',
      ownerEmail: 'ada@example.com',
      purpose: 'deploys',
      foundIn: F,
      labels: { 'aws.tag.team': 'platform' },
    },
    {
      externalId: 'arn:user/legacy',
      name: 'aws:111122223333:user/legacy',
      kind: 'service_account',
      environment: 'prod',
      foundIn: F,
    },
  );
  b.resources.push({
    externalId: 'arn:s3:::invoices/*',
    name: 'aws:arn:s3:::invoices/*',
    kind: 'bucket',
    sensitivity: 'high',
    foundIn: F,
  });
  b.edges.push(
    {
      kind: 'has_permission',
      from: 'arn:user/legacy',
      to: 'arn:s3:::invoices/*',
      actions: ['s3:GetObject'],
      foundIn: F,
    },
    { kind: 'can_assume', from: 'arn:user/legacy', to: 'arn:role/deployer', foundIn: F },
  );
  b.credentials.push({
    externalId: 'AKIAEXAMPLEKEY000001',
    identity: 'arn:user/legacy',
    kind: 'aws_access_key',
    status: 'active',
    hint: 'AKIAEXAMPLEKEY000001',
    createdAt: '2020-01-01T00:00:00.000Z',
    foundIn: F,
  });
  over(b);
  return b;
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kw-import-'));
  store = await openStore({ backend: 'sqlite', file: join(dir, 'kw.db') });
  await store.migrate();
  await store.humans.create({
    id: 'hum_0190a0b0c0d0e0f00000000000000001',
    email: 'ada@example.com',
    name: 'Ada',
    active: true,
    title: null,
    createdAt: now().toISOString(),
    updatedAt: now().toISOString(),
    version: 1,
  });
  index = await loadGraphIndex(store);
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const byName = async (name: string) => (await store.identities.getByName(name))!;

describe('import service', () => {
  it('creates records, refs, credentials and owner edges, and marks unmanaged identities', async () => {
    const { imports } = services();
    const { run } = await imports.apply('tester', awsBatch());
    expect(run.summary.created).toEqual({ identity: 2, resource: 1, edge: 3, credential: 1 });
    const deployer = await byName('aws:111122223333:role/deployer');
    const legacy = await byName('aws:111122223333:user/legacy');
    expect(deployer.ownerId).toBe('hum_0190a0b0c0d0e0f00000000000000001');
    expect(deployer.origin).toBe('aws');
    expect(deployer.labels['kw.unmanaged_reasons']).toBe('no end');
    expect(legacy.labels['kw.unmanaged_reasons']).toBe('no owner; no purpose; no end');
    expect(legacy.labels['kw.source']).toBe('aws:111122223333');
    expect(run.summary.unmanaged).toBe(2);
    const owns = await store.edges.list({ kind: 'owns', toId: deployer.id }, {});
    expect(owns.items).toHaveLength(1);
    const [cred] = (await store.credentials.list({ identityId: legacy.id }, {})).items;
    expect(cred?.hint).toBe('AKIAEXAMPLEKEY000001');
    const radius = index.blastRadius(legacy.id).totals;
    expect(radius.reachable).toBeGreaterThanOrEqual(2);
    const events = await store.audit.list({ type: 'discovery.imported' }, 10);
    expect(events).toHaveLength(1);
  });

  it('is idempotent: the same batch again changes nothing', async () => {
    const { imports } = services();
    await imports.apply('tester', awsBatch());
    const before = { ids: await store.identities.count(), edges: await store.edges.count() };
    const { run } = await imports.apply('tester', awsBatch());
    expect(run.summary.created).toEqual({ identity: 0, resource: 0, edge: 0, credential: 0 });
    expect(run.summary.updated).toEqual({ identity: 0, resource: 0, edge: 0, credential: 0 });
    expect(run.summary.unchanged).toBe(4);
    expect({ ids: await store.identities.count(), edges: await store.edges.count() }).toEqual(before);
  });

  it('keeps what people decided and updates what the source observes', async () => {
    const { imports } = services();
    await imports.apply('tester', awsBatch());
    const legacy = await byName('aws:111122223333:user/legacy');
    await store.identities.update(
      {
        ...legacy,
        purpose: 'nightly export',
        reviewDate: '2027-01-01T00:00:00.000Z',
        version: legacy.version + 1,
      },
      legacy.version,
    );
    await imports.apply(
      'tester',
      awsBatch((b) => {
        b.identities[1]!.purpose = 'from a tag';
        b.identities[1]!.lastSeen = '2026-05-30T00:00:00.000Z';
      }),
    );
    const after = await byName('aws:111122223333:user/legacy');
    expect(after.purpose).toBe('nightly export');
    expect(after.lastSeen).toBe('2026-05-30T00:00:00.000Z');
    expect(after.labels['kw.unmanaged_reasons']).toBe('no owner');
  });

  it('marks identities gone from the feed, removes their edges and revokes their credentials', async () => {
    const { imports } = services();
    await imports.apply('tester', awsBatch());
    clock += 86_400_000;
    const { run } = await imports.apply(
      'tester',
      awsBatch((b) => {
        b.identities.pop();
        b.edges.length = 0;
        b.credentials.length = 0;
      }),
    );
    expect(run.summary.missing.identity).toBe(1);
    expect(run.summary.missing.edge).toBe(2);
    const legacy = await byName('aws:111122223333:user/legacy');
    expect(legacy.labels['kw.missing_since']).toBe(now().toISOString());
    expect(legacy.status).toBe('active');
    const [cred] = (await store.credentials.list({ identityId: legacy.id }, {})).items;
    expect(cred?.status).toBe('revoked');
    expect(await store.edges.list({ fromId: legacy.id }, {})).toEqual({ items: [], nextCursor: null });
    // It comes back: the mark goes.
    const back = await imports.apply('tester', awsBatch());
    expect(back.run.summary.created.edge).toBe(2);
    expect((await byName('aws:111122223333:user/legacy')).labels['kw.missing_since']).toBeUndefined();
  });

  it('a partial batch marks nothing missing', async () => {
    const { imports } = services();
    await imports.apply('tester', awsBatch());
    const { run } = await imports.apply('tester', { ...awsBatch((b) => b.identities.pop()), partial: true });
    expect(run.summary.missing).toEqual({ identity: 0, resource: 0, edge: 0, credential: 0 });
  });

  it('joins a cross-scope edge whichever source is imported first', async () => {
    const { imports } = services();
    const k8s = emptyBatch('kubernetes', 'k8s:prod', 'manifests');
    k8s.identities.push({
      externalId: 'serviceaccount/pay/api',
      name: 'k8s:prod:pay/sa/api',
      kind: 'service_account',
      foundIn: F,
    });
    k8s.edges.push({
      kind: 'can_assume',
      from: 'serviceaccount/pay/api',
      to: 'aws:111122223333|arn:role/deployer',
      foundIn: F,
    });
    const first = await imports.apply('tester', k8s);
    expect(first.run.summary.pendingEdges).toBe(1);
    await imports.apply('tester', awsBatch());
    const sa = await byName('k8s:prod:pay/sa/api');
    const deployer = await byName('aws:111122223333:role/deployer');
    const edges = await store.edges.list({ fromId: sa.id, kind: 'can_assume' }, {});
    expect(edges.items.map((e) => e.toId)).toEqual([deployer.id]);
    expect(index.blastRadius(sa.id).totals.reachable).toBeGreaterThan(0);
  });

  it('a dry run reports and changes nothing', async () => {
    const { imports } = services();
    const { run, dryRun } = await imports.apply('tester', awsBatch(), true);
    expect(dryRun).toBe(true);
    expect(run.summary.created.identity).toBe(2);
    expect(await store.identities.count()).toBe(0);
    expect(await store.discoveryRuns.get(run.id)).toBeUndefined();
  });

  it('links a leaked key to its credential and resolves the finding when the key is revoked', async () => {
    const { imports, leaks } = services();
    await imports.apply('tester', awsBatch());
    const leak: SecretFinding = {
      ruleId: 'aws-access-key-id',
      provider: 'aws',
      severity: 'high',
      description: 'AWS access key id',
      redacted: 'AKIA…0001',
      fingerprint: 'sha256:00',
      identifiers: { awsAccessKeyId: 'AKIAEXAMPLEKEY000001' },
      location: {
        path: 'deploy/.env',
        line: 3,
        column: 1,
        commit: 'abc',
        author: 'dev <d@x>',
        date: '2026-05-01T00:00:00Z',
      },
    };
    const counts = await store.transaction((tx) =>
      leaks.recordScan(
        tx,
        'tester',
        'git:app',
        [leak, { ...leak, location: { ...leak.location, path: 'b.env' } }],
        now().toISOString(),
      ),
    );
    expect(counts).toMatchObject({ opened: 1, linked: 1 });
    const [finding] = (await store.findings.list({ code: 'NHI2' }, {})).items;
    const legacy = await byName('aws:111122223333:user/legacy');
    expect(finding?.identityId).toBe(legacy.id);
    expect(finding?.severity).toBe('high');
    expect(finding!.evidence['locations'] as unknown[]).toHaveLength(2);
    clock += 3_600_000;
    const { run } = await imports.apply(
      'tester',
      awsBatch((b) => {
        b.credentials[0]!.status = 'inactive';
      }),
    );
    expect(run.summary.findings.resolved).toBe(1);
    const resolved = await store.findings.get(finding!.id);
    expect(resolved).toMatchObject({ status: 'resolved', resolution: 'credential revoked' });
    const times = await store.findings.resolvedTimes('leaked-secret', ['credential revoked']);
    expect(Date.parse(times[0]!.resolvedAt) - Date.parse(times[0]!.firstSeenAt)).toBe(3_600_000);
  });
});
