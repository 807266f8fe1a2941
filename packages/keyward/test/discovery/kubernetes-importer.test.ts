/**
 * The Kubernetes importer on the example cluster export (examples/discovery/kubernetes: a kubectl
 * List dump, Helm-rendered RBAC, a JSON List, an agent's manifests) and on broken files: identities,
 * resources, edges, the token credential's hash, ClusterRole aggregation, agent signals, problems
 * with their lines, counts; then the batch applied to a real SQLite store, twice and with an account
 * removed.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuditRecorder } from '../../src/audit/audit-recorder.js';
import type { DiscoveredEdge, ImportBatch, ImportFile } from '../../src/discovery/import-batch.js';
import { emptyBatch } from '../../src/discovery/import-batch.js';
import { createImportService } from '../../src/discovery/import-service.js';
import { parseKubernetes } from '../../src/discovery/importers/kubernetes/kubernetes-importer.js';
import { createLeakFindings } from '../../src/discovery/leak-findings.js';
import type { GraphIndex } from '../../src/graph/graph-index.js';
import { loadGraphIndex } from '../../src/graph/graph-loader.js';
import { openStore } from '../../src/storage/open-store.js';
import type { Store } from '../../src/storage/storage-types.js';

const EXAMPLES = join(__dirname, '../../../../examples/discovery/kubernetes');
const BROKEN = join(__dirname, 'fixtures/kubernetes');

function filesIn(dir: string, skip: readonly string[] = []): ImportFile[] {
  return readdirSync(dir)
    .filter((f) => !skip.includes(f))
    .sort()
    .map((f) => ({ path: f, text: readFileSync(join(dir, f), 'utf8') }));
}

/** The fake token of the example Secret, built the same way the fixture was. */
function fakeToken(): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return [
    part({ alg: 'RS256', kid: 'keyward-example-fake-key' }),
    part({
      iss: 'kubernetes/serviceaccount',
      'kubernetes.io/serviceaccount/namespace': 'payments',
      'kubernetes.io/serviceaccount/service-account.name': 'ledger-writer',
      sub: 'system:serviceaccount:payments:ledger-writer',
    }),
    Buffer.from('FAKE-SIGNATURE-NOT-A-REAL-TOKEN').toString('base64url'),
  ].join('.');
}

const parseExamples = (skip: readonly string[] = []): ImportBatch =>
  parseKubernetes(filesIn(EXAMPLES, skip), { scope: 'k8s:prod-eu' });

const edge = (b: ImportBatch, kind: DiscoveredEdge['kind'], from: string, to: string) =>
  b.edges.find((e) => e.kind === kind && e.from === from && e.to === to);
const identity = (b: ImportBatch, id: string) => b.identities.find((i) => i.externalId === id);
const resource = (b: ImportBatch, id: string) => b.resources.find((r) => r.externalId === id);

describe('kubernetes importer: the example cluster', () => {
  const b = parseExamples();

  it('names the batch after the cluster and reads every file without error', () => {
    expect(b).toMatchObject({
      source: 'kubernetes',
      scope: 'k8s:prod-eu',
      feed: 'manifests',
      partial: false,
    });
    expect(b.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(parseKubernetes([], {}).scope).toBe('k8s:default');
  });

  it('makes service accounts identities with owner, purpose, environment, labels and creation time', () => {
    const sa = identity(b, 'serviceaccount/payments/ledger-writer');
    expect(sa).toMatchObject({
      name: 'k8s:prod-eu:payments/ledger-writer',
      kind: 'service_account',
      ownerEmail: 'ada@example.com',
      purpose: 'Writes ledger entries for the payments API',
      environment: 'production',
      firstSeen: '2024-03-04T09:15:00.000Z',
      foundIn: { file: 'cluster-dump.yaml', line: 8, path: '/items/0' },
    });
    expect(sa?.labels).toMatchObject({
      'k8s.label.app.kubernetes.io/name': 'ledger',
      'k8s.annotation.keyward.io/owner': 'ada@example.com',
    });
    // The last-applied annotation is not kept (for a Secret it would hold the secret's data).
    expect(Object.keys(sa?.labels ?? {}).some((k) => k.includes('last-applied'))).toBe(false);
    expect(sa?.details).toMatchObject({
      automountServiceAccountToken: false,
      secrets: ['ledger-writer-token'],
    });
    const ci = identity(b, 'serviceaccount/ci/ci-deployer');
    expect(ci).toMatchObject({
      ownerEmail: 'platform@example.com',
      purpose: 'Deploys every service from CI',
    });
  });

  it('links IRSA to the AWS role across scopes and GKE workload identity to a gcp-sa resource', () => {
    expect(
      edge(
        b,
        'can_assume',
        'serviceaccount/ci/ci-deployer',
        'aws:123456789012|arn:aws:iam::123456789012:role/deployer',
      ),
    ).toBeDefined();
    const gcp = 'gcp-sa:metrics-exporter@acme-observability.iam.gserviceaccount.com';
    expect(resource(b, gcp)).toMatchObject({ kind: 'service' });
    expect(edge(b, 'has_permission', 'serviceaccount/monitoring/metrics-exporter', gcp)?.actions).toEqual([
      'iam.serviceAccounts.getAccessToken',
    ]);
    expect(identity(b, 'serviceaccount/monitoring/metrics-exporter')?.details?.['gcpServiceAccount']).toBe(
      'metrics-exporter@acme-observability.iam.gserviceaccount.com',
    );
  });

  it('makes workloads identities that assume their service account; owned objects are skipped', () => {
    const workloads = b.identities.filter((i) => i.kind === 'workload').map((i) => i.externalId);
    expect(workloads.sort()).toEqual([
      'cronjob/payments/nightly-reconcile',
      'daemonset/monitoring/node-exporter',
      'deployment/agents/support-agent',
      'deployment/payments/ledger-api',
      'pod/payments/debug-shell',
      'statefulset/ml-staging/model-server',
    ]);
    expect(identity(b, 'deployment/payments/ledger-api')?.details).toMatchObject({
      replicas: 3,
      images: ['registry.example.com/payments/ledger-api:2.14.1'],
      serviceAccount: 'ledger-writer',
    });
    expect(identity(b, 'cronjob/payments/nightly-reconcile')?.details?.['schedule']).toBe('0 2 * * *');
    expect(identity(b, 'cronjob/payments/nightly-reconcile')?.foundIn).toEqual({
      file: 'workloads.json',
      line: 6,
      path: '/items/0',
    });
    expect(
      edge(b, 'can_assume', 'cronjob/payments/nightly-reconcile', 'serviceaccount/payments/ledger-writer'),
    ).toBeDefined();
    // The deprecated `serviceAccount` field still counts.
    expect(
      edge(
        b,
        'can_assume',
        'daemonset/monitoring/node-exporter',
        'serviceaccount/monitoring/metrics-exporter',
      ),
    ).toBeDefined();
    // An account not in the export: the edge waits for it.
    expect(
      edge(b, 'can_assume', 'statefulset/ml-staging/model-server', 'serviceaccount/ml-staging/model-runner'),
    ).toBeDefined();
    expect(identity(b, 'statefulset/ml-staging/model-server')?.environment).toBe('staging');
    expect(b.counts).toMatchObject({
      'ReplicaSet (skipped: owned by a listed Deployment)': 1,
      'Pod (skipped: owned by a listed ReplicaSet)': 1,
      'Job (skipped: owned by a listed CronJob)': 1,
      Pod: 1,
    });
  });

  it('keeps the token Secret as a credential holding only the hash of the decoded token', () => {
    expect(b.credentials).toHaveLength(1);
    const [cred] = b.credentials;
    expect(cred).toMatchObject({
      externalId: 'secret/payments/ledger-writer-token',
      identity: 'serviceaccount/payments/ledger-writer',
      kind: 'k8s_service_account_token',
      status: 'active',
      createdAt: '2024-03-04T09:15:02.000Z',
      secretSha256: createHash('sha256').update(fakeToken()).digest('hex'),
    });
    expect(cred?.hint).toBeUndefined();
    const text = JSON.stringify(b);
    expect(text).not.toContain(fakeToken().split('.')[2]);
    expect(text).not.toContain(Buffer.from(fakeToken()).toString('base64').slice(0, 40));
    // Other Secrets are counted by type, their data never read.
    expect(text).not.toContain('RkFLRS1OT1QtQS1SRUFMLUtFWQ');
    expect(b.counts).toMatchObject({
      'Secret (ignored: Opaque)': 1,
      'Secret (ignored: kubernetes.io/dockerconfigjson)': 1,
    });
  });

  it('computes aggregated ClusterRoles from matchLabels and matchExpressions selectors', () => {
    const operator = resource(b, 'clusterrole/payments-operator');
    expect(operator?.details?.['aggregatedFrom']).toEqual([
      'payments-operator-debug',
      'payments-operator-workloads',
    ]);
    expect(operator?.sensitivity).toBe('high');
    // Bound through system:serviceaccounts:payments, so every listed payments account gets the rules.
    for (const sa of ['serviceaccount/payments/ledger-writer', 'serviceaccount/payments/default']) {
      expect(edge(b, 'member_of', sa, 'clusterrole/payments-operator')).toBeDefined();
      expect(edge(b, 'has_permission', sa, 'k8s-resource/payments/core/pods/exec')?.actions).toEqual([
        'create',
        'get',
      ]);
      expect(edge(b, 'has_permission', sa, 'k8s-resource/payments/apps/deployments')?.actions).toEqual([
        'get',
        'list',
        'patch',
        'update',
      ]);
    }
    // unrelated-reader's label names another operator: not aggregated.
    expect(b.edges.some((e) => e.to.endsWith('/core/nodes'))).toBe(false);
  });

  it('turns bindings into member_of and per-resource has_permission edges with sensitivity', () => {
    expect(resource(b, 'role/payments/secret-reader')?.sensitivity).toBe('critical');
    const secret = edge(
      b,
      'has_permission',
      'serviceaccount/payments/ledger-writer',
      'k8s-resource/payments/core/secrets/ledger-db',
    );
    expect(secret?.actions).toEqual(['get']);
    expect(secret?.details).toMatchObject({
      binding: 'rolebinding/payments/ledger-writer-secret-reader',
      role: 'role/payments/secret-reader',
      wildcard: false,
      clusterWide: false,
    });
    expect(resource(b, 'k8s-resource/payments/core/secrets/ledger-db')).toMatchObject({
      kind: 'api',
      sensitivity: 'critical',
    });
    expect(resource(b, 'k8s-resource/payments/core/configmaps')?.sensitivity).toBe('medium');
    expect(resource(b, 'k8s-resource/payments/core/pods/exec')?.sensitivity).toBe('high');

    const all = edge(b, 'has_permission', 'serviceaccount/ci/ci-deployer', 'k8s-resource/*/*/*');
    expect(all?.actions).toEqual(['*']);
    expect(all?.details).toMatchObject({ wildcard: true, clusterWide: true, role: 'clusterrole/deployer' });
    expect(resource(b, 'clusterrole/deployer')?.sensitivity).toBe('critical');
    expect(edge(b, 'has_permission', 'serviceaccount/ci/ci-deployer', 'k8s-url:/healthz')?.actions).toEqual([
      'get',
    ]);
    expect(b.counts).toMatchObject({ 'subjects: User (ignored)': 1, 'subjects: Group (ignored)': 1 });
  });

  it('keeps the membership of a role not in the input, with a warning', () => {
    expect(
      edge(b, 'member_of', 'serviceaccount/monitoring/metrics-exporter', 'clusterrole/view'),
    ).toBeDefined();
    expect(b.problems).toContainEqual(
      expect.objectContaining({
        file: 'rbac.yaml',
        line: 129,
        severity: 'warning',
        reason: expect.stringContaining('clusterrole/view'),
      }),
    );
  });

  it('flags the LangGraph deployment and its service account as an AI agent', () => {
    const agent = identity(b, 'deployment/agents/support-agent');
    expect(agent?.agentSignals).toEqual(
      expect.arrayContaining([
        'label app.kubernetes.io/component=agent',
        'image ghcr.io/langchain-ai/langgraph-api:0.2',
        'env OPENAI_API_KEY in container graph',
        'env LLM_BASE_URL in container graph names api.openai.com',
      ]),
    );
    expect(agent?.agentSignals?.some((s) => s.includes('TICKETS_URL') || s.includes('redis'))).toBe(false);
    expect(identity(b, 'serviceaccount/agents/support-agent')?.agentSignals).toEqual([
      'used by agent workload agents/support-agent',
    ]);
    expect(identity(b, 'statefulset/ml-staging/model-server')?.agentSignals).toEqual([
      'image vllm/vllm-openai:v0.6.3',
      'env HF_TOKEN in container vllm',
    ]);
    expect(identity(b, 'deployment/payments/ledger-api')?.agentSignals).toBeUndefined();
  });

  it('counts what it reads by kind, and what it ignores', () => {
    expect(b.counts).toMatchObject({
      ServiceAccount: 5,
      Role: 1,
      ClusterRole: 5,
      RoleBinding: 3,
      ClusterRoleBinding: 1,
      Deployment: 2,
      'Namespace (ignored)': 1,
      'Rollout (ignored)': 1,
      'ConfigMap (ignored)': 1,
      'Service (ignored)': 1,
      'Ingress (ignored)': 1,
    });
  });
});

describe('kubernetes importer: broken and unusual input', () => {
  const b = parseKubernetes(filesIn(BROKEN), {});

  it('reads the good documents around a YAML syntax error and reports each bad one with its line', () => {
    const names = b.identities.map((i) => i.externalId).sort();
    expect(names).toEqual([
      'serviceaccount/tools/after-the-break',
      'serviceaccount/tools/before-the-break',
      'serviceaccount/tools/crossplane-role-holder',
      'serviceaccount/tools/from-typed-list',
    ]);
    const broken = b.problems.filter((p) => p.file === 'broken-mid-file.yaml');
    expect(broken.map((p) => [p.line, p.severity])).toEqual([
      [11, 'error'],
      [19, 'error'],
      [26, 'error'],
      [29, 'error'],
    ]);
    expect(broken[0]?.reason).toMatch(/^invalid YAML in document 2/);
    expect(broken[1]?.reason).toBe('ServiceAccount without metadata.name; skipped');
    expect(broken[2]?.reason).toBe('object without kind; skipped');
  });

  it('gives a file that is not a manifest one problem, and names a truncated JSON file', () => {
    const text = b.problems.filter((p) => p.file === 'not-yaml.txt');
    expect(text).toHaveLength(1);
    expect(text[0]?.reason).toMatch(/^not a Kubernetes manifest/);
    const json = b.problems.filter((p) => p.file === 'truncated-list.json.txt');
    expect(json).toHaveLength(1);
    expect(json[0]?.reason).toContain('truncated');
  });

  it('reads typed lists whose items omit their kind, and leaves a CRD reusing a kind name alone', () => {
    expect(identity(b, 'serviceaccount/tools/from-typed-list')).toMatchObject({
      environment: 'dev',
      foundIn: { file: 'typed-list.yaml', line: 6, path: '/items/0' },
    });
    expect(b.resources).toEqual([]);
    expect(b.counts['Role (ignored: iam.aws.crossplane.io/v1beta1)']).toBe(1);
  });

  it('never throws, whatever the text', () => {
    const junk = [
      '',
      '---\n---\n',
      'kind: List\nitems: 7',
      '[1, 2',
      '\u0000\u0001',
      'a: *nope',
      '{"kind":"List","items":[null,3]}',
    ];
    for (const text of junk) expect(() => parseKubernetes([{ path: 'x.yaml', text }], {})).not.toThrow();
    const empty = parseKubernetes([{ path: 'empty.yaml', text: '---\n# nothing\n---\n' }], {});
    expect(empty.problems).toEqual([]);
  });

  it('keeps label keys within what Keyward accepts', () => {
    const long = `example.com/${'x'.repeat(150)}`;
    const text = `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: labelled\n  labels:\n    "${long}": "v"\n`;
    const [sa] = parseKubernetes([{ path: 'l.yaml', text }], {}).identities;
    const keys = Object.keys(sa?.labels ?? {});
    expect(keys).toHaveLength(1);
    expect(keys[0]?.length).toBeLessThanOrEqual(100);
    expect(keys[0]).toMatch(/^k8s\.label\.example\.com\//);
  });
});

describe('kubernetes importer applied to a real store', () => {
  let dir: string;
  let store: Store;
  let index: GraphIndex;
  const clock = { t: Date.parse('2026-06-01T00:00:00Z') };
  const now = () => new Date(clock.t);

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kw-k8s-'));
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

  function imports() {
    const audit = createAuditRecorder(now);
    const leaks = createLeakFindings({ audit });
    return createImportService({
      store,
      graph: index,
      audit,
      now,
      leaks,
      parsers: { kubernetes: parseKubernetes } as never,
    });
  }

  it('imports idempotently, marks a removed account missing, and joins IRSA when AWS arrives', async () => {
    const service = imports();
    const first = await service.importFiles('tester', {
      source: 'kubernetes',
      files: filesIn(EXAMPLES),
      options: { scope: 'k8s:prod-eu' },
    });
    const batch = parseExamples();
    expect(first.run.summary.created.identity).toBe(batch.identities.length);
    expect(first.run.summary.created.credential).toBe(1);
    expect(first.run.summary.problems.filter((p) => p.severity === 'error')).toEqual([]);
    const ledger = (await store.identities.getByName('k8s:prod-eu:payments/ledger-writer'))!;
    expect(ledger.ownerId).toBe('hum_0190a0b0c0d0e0f00000000000000001');
    expect(ledger.origin).toBe('kubernetes');
    const [cred] = (await store.credentials.list({ identityId: ledger.id }, {})).items;
    expect(cred?.secretSha256).toBe(createHash('sha256').update(fakeToken()).digest('hex'));
    const agent = (await store.identities.getByName('k8s:prod-eu:deployment/agents/support-agent'))!;
    expect(agent.labels['kw.unmanaged_reasons']).toContain('AI agent deployed outside the approval path');
    expect(first.run.summary.pendingEdges).toBeGreaterThanOrEqual(3); // IRSA, clusterrole/view, model-runner

    const counts = async () => ({ ids: await store.identities.count(), edges: await store.edges.count() });
    const before = await counts();
    clock.t += 60_000;
    const second = await service.importFiles('tester', {
      source: 'kubernetes',
      files: filesIn(EXAMPLES),
      options: { scope: 'k8s:prod-eu' },
    });
    expect(second.run.summary.created).toEqual({ identity: 0, resource: 0, edge: 0, credential: 0 });
    expect(second.run.summary.updated).toEqual({ identity: 0, resource: 0, edge: 0, credential: 0 });
    expect(await counts()).toEqual(before);

    clock.t += 60_000;
    const third = await service.importFiles('tester', {
      source: 'kubernetes',
      files: filesIn(EXAMPLES, ['agents.yaml']),
      options: { scope: 'k8s:prod-eu' },
    });
    expect(third.run.summary.missing.identity).toBe(2); // the agent's account and its deployment
    const gone = (await store.identities.getByName('k8s:prod-eu:agents/support-agent'))!;
    expect(gone.labels['kw.missing_since']).toBe(now().toISOString());
    expect(
      (await store.identities.getByName('k8s:prod-eu:payments/ledger-writer'))?.labels['kw.missing_since'],
    ).toBeUndefined();

    // The AWS side of IRSA arrives: the pending can_assume edge is made.
    const aws = emptyBatch('aws-iam', 'aws:123456789012', 'iam');
    aws.identities.push({
      externalId: 'arn:aws:iam::123456789012:role/deployer',
      name: 'aws:123456789012:role/deployer',
      kind: 'service_account',
      foundIn: { file: 'iam.json' },
    });
    await service.apply('tester', aws);
    const sa = (await store.identities.getByName('k8s:prod-eu:ci/ci-deployer'))!;
    const role = (await store.identities.getByName('aws:123456789012:role/deployer'))!;
    const assume = await store.edges.list({ kind: 'can_assume', fromId: sa.id, toId: role.id }, {});
    expect(assume.items).toHaveLength(1);
  });
});
