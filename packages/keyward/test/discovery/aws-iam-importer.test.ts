/**
 * The AWS IAM importer on the example exports (examples/discovery/aws/) and on broken or unusual
 * files (test/discovery/fixtures/aws/): what becomes an identity, resource, edge and credential,
 * which problems name their file, line and path, and that the batch applies to a real SQLite store
 * idempotently, marking a user gone from the export as missing.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuditRecorder } from '../../src/audit/audit-recorder.js';
import type { ImportBatch, ImportFile } from '../../src/discovery/import-batch.js';
import { createImportService } from '../../src/discovery/import-service.js';
import { actionSignals, nameSignals } from '../../src/discovery/importers/aws/agent-signals.js';
import { parseAwsIam } from '../../src/discovery/importers/aws/aws-iam-importer.js';
import { isBroadSubject } from '../../src/discovery/importers/aws/trust-policy.js';
import { createLeakFindings } from '../../src/discovery/leak-findings.js';
import type { GraphIndex } from '../../src/graph/graph-index.js';
import { loadGraphIndex } from '../../src/graph/graph-loader.js';
import { openStore } from '../../src/storage/open-store.js';
import type { Store } from '../../src/storage/storage-types.js';

const EXAMPLES = join(import.meta.dirname, '../../../../examples/discovery/aws');
const FIXTURES = join(import.meta.dirname, 'fixtures/aws');
const A = '123456789012';
const arn = (t: string) => `arn:aws:iam::${A}:${t}`;

const read = (dir: string, name: string): ImportFile => ({
  path: `${dir === EXAMPLES ? 'examples' : 'fixtures'}/${name}`,
  text: readFileSync(join(dir, name), 'utf8'),
});
const examples = (): ImportFile[] =>
  readdirSync(EXAMPLES)
    .sort()
    .map((f) => read(EXAMPLES, f));

const identity = (b: ImportBatch, externalId: string) => {
  const found = b.identities.find((i) => i.externalId === externalId);
  if (!found) throw new Error(`no identity ${externalId}`);
  return found;
};
const resource = (b: ImportBatch, externalId: string) => b.resources.find((r) => r.externalId === externalId);
const edge = (b: ImportBatch, kind: string, from: string, to: string) =>
  b.edges.find((e) => e.kind === kind && e.from === from && e.to === to);
const credential = (b: ImportBatch, externalId: string) =>
  b.credentials.find((c) => c.externalId === externalId);

describe('AWS IAM importer on the example exports', () => {
  const batch = parseAwsIam(examples(), {});

  it('derives scope, feed and counts from the files', () => {
    expect(batch.source).toBe('aws-iam');
    expect(batch.scope).toBe(`aws:${A}`);
    expect(batch.feed).toBe('access-keys+authorization-details+credential-report');
    expect(batch.partial).toBe(false);
    expect(batch.counts).toEqual({
      policies: 4,
      groups: 3,
      users: 5,
      roles: 8,
      'access keys': 3,
      'credential report rows': 6,
      'root account (skipped)': 1,
    });
  });

  it('makes users and roles service accounts with fields from their tags', () => {
    const ci = identity(batch, arn('user/automation/ci-deployer'));
    expect(ci).toMatchObject({
      name: `aws:${A}:user/ci-deployer`,
      kind: 'service_account',
      environment: 'prod',
      ownerEmail: 'platform@acme-robotics.example',
      purpose: 'CI pushes build artifacts and assumes the deployer role',
      businessSystem: 'release-pipeline',
      firstSeen: '2020-11-03T15:42:10.000Z',
      lastSeen: '2026-05-31T18:20:00.000Z',
    });
    expect(ci.labels).toMatchObject({
      'aws.type': 'user',
      'aws.path': '/automation/',
      'aws.tag.system': 'release-pipeline',
    });
    // One identity per user, though both the authorization details and the report name it.
    expect(batch.identities.filter((i) => i.externalId === ci.externalId)).toHaveLength(1);
    expect(batch.identities).toHaveLength(13);

    const admin = identity(batch, arn('user/ops-admin'));
    expect(admin.ownerEmail).toBe('ada@acme-robotics.example');
    expect(admin.details).toMatchObject({ passwordAuth: true, mfaActive: true, groups: ['admins'] });

    const ec2 = identity(batch, arn('role/service-role/ec2-fleet-role'));
    expect(ec2).toMatchObject({
      kind: 'service_account',
      lastSeen: '2026-05-31T23:59:02.000Z',
      businessSystem: 'robot-fleet',
    });
    expect(ec2.details?.['instanceProfiles']).toEqual([
      { name: 'ec2-fleet', arn: arn('instance-profile/ec2-fleet') },
    ]);
    expect(identity(batch, arn('role/github-actions-deploy')).purpose).toMatch(/GitHub Actions deploys/);

    const ecs = identity(batch, arn('role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS'));
    expect(ecs.labels).toMatchObject({ 'aws.type': 'role', 'aws.service_linked': 'true' });
    expect(identity(batch, arn('role/deployer')).labels?.['aws.service_linked']).toBeUndefined();
  });

  it('flags AI agents by permissions, names, tags and Bedrock trust', () => {
    const bot = identity(batch, arn('user/bots/support-llm-bot'));
    expect(bot.kind).toBe('agent'); // its tag kind=agent says so
    expect(bot.agentSignals).toContain('may call a model: bedrock:InvokeModel');
    expect(bot.agentSignals).toContain('name mentions "llm"');

    const bedrock = identity(batch, arn('role/service-role/bedrock-agent-support'));
    expect(bedrock.kind).toBe('service_account');
    expect(bedrock.agentSignals).toEqual(
      expect.arrayContaining(['assumable by bedrock.amazonaws.com', 'may call a model: bedrock:InvokeModel']),
    );
    expect(identity(batch, arn('user/data-pipeline')).agentSignals).toContain(
      'may call a model: bedrock:InvokeModel (via group ml-engineers)',
    );
    expect(identity(batch, arn('user/ops-admin')).agentSignals).toBeUndefined();
    expect(identity(batch, arn('role/deployer')).agentSignals).toBeUndefined();
  });

  it('makes groups resources their users are members of', () => {
    expect(resource(batch, arn('group/developers'))).toMatchObject({
      kind: 'group',
      name: `aws:${A}:group/developers`,
    });
    expect(edge(batch, 'member_of', arn('user/legacy-reporting'), arn('group/developers'))).toBeDefined();
    expect(edge(batch, 'member_of', arn('user/data-pipeline'), arn('group/ml-engineers'))).toBeDefined();
  });

  it('turns Allow statements into has_permission edges, using the default policy version', () => {
    const dev = edge(batch, 'has_permission', arn('group/developers'), 'arn:aws:s3:::invoices/*');
    expect(dev?.actions).toEqual(['s3:GetObject', 's3:PutObject']);
    expect(dev?.details).toMatchObject({
      policy: 'DevS3ReadWrite',
      policyArn: arn('policy/DevS3ReadWrite'),
      sid: 'InvoicesReadWrite',
      wildcard: true,
    });
    // v1 (s3:* on *) is not the default version: it grants nothing.
    expect(edge(batch, 'has_permission', arn('group/developers'), '*')).toBeUndefined();

    const admin = edge(batch, 'has_permission', arn('user/ops-admin'), '*');
    expect(admin?.actions).toEqual(['*']);
    expect(admin?.details).toMatchObject({ policy: 'AdministratorAccess', wildcard: true });

    const kms = `arn:aws:kms:eu-west-1:${A}:key/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d`;
    expect(
      edge(batch, 'has_permission', arn('role/service-role/ec2-fleet-role'), kms)?.details?.['wildcard'],
    ).toBe(false);

    // A grant on a role's ARN reaches that role (an identity), not a resource of the same id.
    expect(
      edge(batch, 'has_permission', arn('user/automation/ci-deployer'), arn('role/deployer'))?.actions,
    ).toEqual(['sts:AssumeRole']);
    expect(resource(batch, arn('role/deployer'))).toBeUndefined();
  });

  it('records NotAction as * with the exclusions, and Deny statements in details', () => {
    const power = edge(batch, 'has_permission', arn('role/deployer'), '*');
    expect(power?.actions).toEqual(['*']);
    expect(power?.details).toMatchObject({
      notAction: ['iam:*', 'organizations:*', 'account:*'],
      wildcard: true,
    });
    expect(identity(batch, arn('role/deployer')).details?.['denies']).toEqual([
      {
        policy: 'DeployPowerUser',
        sid: 'NoBucketDeletes',
        effect: 'Deny',
        actions: ['s3:DeleteBucket'],
        resources: ['*'],
      },
    ]);
  });

  it('records an attached policy missing from the export as policy:<name> on *, with a warning', () => {
    const lambda = edge(batch, 'has_permission', arn('role/invoice-lambda-role'), '*');
    expect(lambda?.actions).toEqual(['policy:AWSLambdaBasicExecutionRole']);
    expect(lambda?.details).toMatchObject({ unresolvedPolicy: true });
    expect(batch.problems).toContainEqual({
      file: 'examples/authorization-details.json',
      path: '/RoleDetailList/4/AttachedManagedPolicies/0',
      severity: 'warning',
      reason: expect.stringContaining('AWSLambdaBasicExecutionRole is not in the export'),
    });
  });

  it('gives resources a kind and sensitivity by service', () => {
    expect(resource(batch, '*')).toMatchObject({
      name: `aws:${A}:*`,
      kind: 'account',
      sensitivity: 'critical',
    });
    expect(resource(batch, 'arn:aws:s3:::invoices/*')).toMatchObject({
      name: 'aws:s3:::invoices/*',
      kind: 'bucket',
      sensitivity: 'high',
    });
    expect(resource(batch, `arn:aws:secretsmanager:eu-west-1:${A}:secret:fleet/db-*`)).toMatchObject({
      kind: 'secret_store',
      sensitivity: 'critical',
    });
    expect(resource(batch, `arn:aws:dynamodb:eu-west-1:${A}:table/invoices`)).toMatchObject({
      kind: 'database',
      sensitivity: 'high',
    });
    expect(resource(batch, `arn:aws:sqs:eu-west-1:${A}:support-tickets`)).toMatchObject({
      kind: 'queue',
      sensitivity: 'medium',
    });
  });

  it('turns trust policies into can_assume edges: same account, cross-account, services, OIDC', () => {
    expect(edge(batch, 'can_assume', arn('user/automation/ci-deployer'), arn('role/deployer'))).toBeDefined();
    const partner = edge(batch, 'can_assume', 'account:999988887777', arn('role/deployer'));
    expect(partner?.details).toMatchObject({
      crossAccount: true,
      conditions: { StringEquals: { 'sts:ExternalId': 'acme-partner-7731' } },
    });
    expect(resource(batch, 'account:999988887777')).toMatchObject({ kind: 'account' });
    const auditor = edge(
      batch,
      'can_assume',
      'aws:999988887777|arn:aws:iam::999988887777:role/auditor',
      arn('role/partner-audit-role'),
    );
    expect(auditor?.details?.['crossAccount']).toBe(true);
    expect(
      edge(batch, 'can_assume', 'service:ec2.amazonaws.com', arn('role/service-role/ec2-fleet-role')),
    ).toBeDefined();
    expect(resource(batch, 'service:lambda.amazonaws.com')).toMatchObject({ kind: 'service' });

    const provider = `federated:${arn('oidc-provider/token.actions.githubusercontent.com')}`;
    const broad = edge(batch, 'can_assume', provider, arn('role/github-actions-deploy'));
    expect(broad?.details).toMatchObject({ broadSubject: true, subjects: ['repo:acme-robotics/*'] });
    expect(broad?.details?.['conditions']).toBeDefined();
    const narrow = edge(batch, 'can_assume', provider, arn('role/github-actions-firmware'));
    expect(narrow?.details?.['broadSubject']).toBe(false);
    expect(resource(batch, provider)).toMatchObject({
      kind: 'service',
      name: `aws:${A}:federated/token.actions.githubusercontent.com`,
    });
  });

  it('joins report key slots to listed key ids by creation time, and keeps the rest by slot', () => {
    expect(credential(batch, 'AKIACIDEPLOYAEXAMPLE')).toMatchObject({
      identity: arn('user/automation/ci-deployer'),
      kind: 'aws_access_key',
      status: 'active',
      hint: 'AKIACIDEPLOYAEXAMPLE',
      createdAt: '2024-02-10T09:15:32.000Z',
      lastRotatedAt: '2024-02-10T09:15:32.000Z',
      lastUsedAt: '2026-05-31T18:20:00.000Z',
    });
    expect(credential(batch, 'AKIACIDEPLOYBEXAMPLE')).toMatchObject({ status: 'inactive' });
    // From the text-format list, its last use from get-access-key-last-used (later than the report's).
    expect(credential(batch, 'AKIAOPSADMINAEXAMPLE')).toMatchObject({
      identity: arn('user/ops-admin'),
      status: 'active',
      lastUsedAt: '2026-05-30T14:12:00.000Z',
    });
    const neverUsed = credential(batch, `${arn('user/legacy-reporting')}#access_key_1`);
    expect(neverUsed).toMatchObject({ status: 'active', createdAt: '2018-07-09T08:05:00.000Z' });
    expect(neverUsed?.lastUsedAt).toBeUndefined();
    expect(neverUsed?.hint).toBeUndefined();
    expect(batch.credentials).toHaveLength(5);
    expect(identity(batch, arn('user/legacy-reporting')).credential).toEqual({
      createdAt: '2018-07-09T08:05:00.000Z',
      lastRotatedAt: '2018-07-09T08:05:00.000Z',
    });
  });

  it('skips the root account row, warning about its active key', () => {
    expect(batch.identities.some((i) => i.externalId.endsWith(':root'))).toBe(false);
    expect(batch.problems).toContainEqual({
      file: 'examples/credential-report.csv',
      line: 2,
      severity: 'warning',
      reason: expect.stringContaining('root account has 1 active access key'),
    });
  });
});

describe('AWS IAM importer on broken and unusual files', () => {
  it('reports a truncated export with its file and line', () => {
    const b = parseAwsIam([read(FIXTURES, 'truncated-authorization-details.json.txt')], {
      scope: `aws:${A}`,
    });
    expect(b.identities).toEqual([]);
    expect(b.problems).toHaveLength(1);
    expect(b.problems[0]).toMatchObject({
      file: 'fixtures/truncated-authorization-details.json.txt',
      severity: 'error',
      reason: expect.stringContaining('truncated'),
    });
    expect(b.problems[0]?.line).toBeGreaterThan(100);
  });

  const messy = parseAwsIam([read(FIXTURES, 'missing-arn.json')], {});

  it('skips records missing a required field, naming their JSON pointer, and imports the rest', () => {
    expect(messy.problems).toContainEqual({
      file: 'fixtures/missing-arn.json',
      path: '/UserDetailList/0',
      severity: 'error',
      reason: 'user skipped: it has no Arn',
    });
    expect(identity(messy, arn('user/svc-reports')).name).toBe(`aws:${A}:user/svc-reports`);
    expect(messy.counts['users']).toBe(1);
  });

  it('reports unreadable policy documents and statements, keeping the good statements', () => {
    const paths = messy.problems.map((p) => p.path);
    expect(paths).toContain('/UserDetailList/1/UserPolicyList/0/PolicyDocument');
    expect(paths).toContain('/UserDetailList/1/UserPolicyList/1/PolicyDocument/Statement/0');
    expect(
      edge(messy, 'has_permission', arn('user/svc-reports'), `arn:aws:sqs:eu-west-1:${A}:reports`),
    ).toBeDefined();
  });

  it('refuses records of another account than the batch', () => {
    expect(messy.scope).toBe(`aws:${A}`);
    expect(messy.problems).toContainEqual(
      expect.objectContaining({
        path: '/RoleDetailList/0',
        severity: 'error',
        reason: expect.stringContaining('999988887777'),
      }),
    );
    expect(messy.identities.some((i) => i.externalId.includes('999988887777'))).toBe(false);
  });

  it('reads odd trusts: anyone, OIDC without a subject, an account id, a dangling unique id', () => {
    expect(resource(messy, 'principal:*')).toMatchObject({ kind: 'service', sensitivity: 'critical' });
    expect(edge(messy, 'can_assume', 'principal:*', arn('role/open-role'))?.details?.['anyone']).toBe(true);
    const eks = messy.edges.find((e) => e.kind === 'can_assume' && e.from.startsWith('federated:'));
    expect(eks?.details?.['broadSubject']).toBe(true);
    expect(
      edge(messy, 'can_assume', `account:${A}`, arn('role/eks-oidc-role'))?.details?.['crossAccount'],
    ).toBeUndefined();
    expect(messy.problems).toContainEqual(
      expect.objectContaining({
        severity: 'warning',
        reason: expect.stringContaining('AROAEXAMPLEDELETED001'),
      }),
    );
  });

  it('keeps only email owners, sanitises tag keys, and names unknown groups by ARN', () => {
    const u = identity(messy, arn('user/svc-reports'));
    expect(u.ownerEmail).toBeUndefined();
    expect(u.labels?.['aws.tag.cost_center_']).toBe('42');
    expect(edge(messy, 'member_of', u.externalId, arn('group/ghost-group'))).toBeDefined();
  });

  it('reads concatenated pages as one export, and reports a bad page with its own line', () => {
    const pages = read(FIXTURES, 'concatenated-pages.json.txt');
    const b = parseAwsIam([pages], {});
    expect(b.problems).toEqual([]);
    expect(b.identities.map((i) => i.externalId).sort()).toEqual([
      arn('role/page-two-role'),
      arn('user/page-one-user'),
    ]);
    expect(edge(b, 'can_assume', arn('user/page-one-user'), arn('role/page-two-role'))).toBeDefined();

    const broken = { path: 'pages.json', text: `${pages.text}{"UserDetailList": [\n  {"UserName": "x",\n` };
    const c = parseAwsIam([broken], {});
    expect(c.identities).toHaveLength(2);
    expect(c.problems).toHaveLength(1);
    expect(c.problems[0]?.line).toBeGreaterThan(pages.text.split('\n').length - 1);
  });

  it('reports files that are not IAM exports, and never throws on garbage', () => {
    const b = parseAwsIam(
      [read(FIXTURES, 'not-iam.yaml'), { path: 'x.json', text: '{"hello": 1}' }, ...examples()],
      {},
    );
    expect(b.problems.filter((p) => p.reason.startsWith('not an AWS IAM export'))).toHaveLength(2);
    expect(b.identities.length).toBeGreaterThan(0);
    for (const text of [
      '',
      'null',
      '[]',
      '{"UserDetailList": 5}',
      '{"Policies": [null, {"Arn": 3}]}',
      '\u0000\u0001',
    ]) {
      expect(() => parseAwsIam([{ path: 'g', text }], { scope: `aws:${A}` })).not.toThrow();
    }
  });

  it('reads a credential report still base64-encoded, or inside get-credential-report JSON', () => {
    const csv = readFileSync(join(EXAMPLES, 'credential-report.csv'), 'utf8');
    const base64 = Buffer.from(csv).toString('base64');
    for (const text of [base64, JSON.stringify({ Content: base64, ReportFormat: 'text/csv' })]) {
      const b = parseAwsIam([{ path: 'report', text }], {});
      expect(b.feed).toBe('credential-report');
      expect(b.identities).toHaveLength(5);
      expect(b.counts['credential report rows']).toBe(6);
    }
  });

  it('reads access keys on their own as a partial batch, needing the account from --scope', () => {
    const keys = read(EXAMPLES, 'list-access-keys-ci-deployer.json');
    const b = parseAwsIam([keys], { scope: `aws:${A}` });
    expect(b).toMatchObject({ feed: 'access-keys', partial: true, scope: `aws:${A}` });
    // The user's path is unknown here: the ARN is built without it.
    expect(credential(b, 'AKIACIDEPLOYAEXAMPLE')).toMatchObject({
      identity: arn('user/ci-deployer'),
      hint: 'AKIACIDEPLOYAEXAMPLE',
      status: 'active',
      createdAt: '2024-02-10T09:15:32.000Z',
    });
    const unknown = parseAwsIam([keys], {});
    expect(unknown.scope).toBe('');
    expect(unknown.problems[0]?.reason).toMatch(/account is unknown.*--scope/);
  });

  it('uses --env only where no tag says', () => {
    const b = parseAwsIam(examples(), { environment: 'staging' });
    expect(identity(b, arn('user/legacy-reporting')).environment).toBe('staging');
    expect(identity(b, arn('user/automation/ci-deployer')).environment).toBe('prod');
  });
});

describe('AWS agent signals and subject patterns', () => {
  it('matches agent words as words', () => {
    expect(nameSignals('SupportAgentRole', {})).toEqual(['name mentions "agent"']);
    expect(nameSignals('openai-proxy', {})).toEqual(['name mentions "openai"']);
    expect(nameSignals('useragent-parser', {})).toEqual([]);
    expect(nameSignals('billing', { team: 'langchain-pilot' })).toEqual([
      'tag team=langchain-pilot mentions "langchain"',
    ]);
    expect(actionSignals(['bedrock:*', 's3:GetObject', 'sagemaker:InvokeEndpoint'])).toHaveLength(2);
    expect(actionSignals(['*', 'bedrock:ListFoundationModels'])).toEqual([]);
  });

  it('tells broad GitHub subjects from narrow ones', () => {
    const gh = 'token.actions.githubusercontent.com';
    const like = (value: string) => ({ value, like: true });
    expect(isBroadSubject(gh, like('*'))).toBe(true);
    expect(isBroadSubject(gh, like('repo:acme/*'))).toBe(true);
    expect(isBroadSubject(gh, like('repo:acme/app:*'))).toBe(true);
    expect(isBroadSubject(gh, like('repo:acme/app:ref:refs/heads/*'))).toBe(true);
    expect(isBroadSubject(gh, like('repo:acme/app:environment:prod'))).toBe(false);
    expect(isBroadSubject(gh, like('repo:acme/app:ref:refs/tags/v*'))).toBe(false);
    expect(isBroadSubject(gh, { value: 'repo:acme/*', like: false })).toBe(false);
  });
});

describe('AWS IAM import into a real store', () => {
  let dir: string;
  let store: Store;
  let index: GraphIndex;
  const now = () => new Date('2026-06-01T00:00:00Z');

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kw-aws-'));
    store = await openStore({ backend: 'sqlite', file: join(dir, 'kw.db') });
    await store.migrate();
    index = await loadGraphIndex(store);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const service = () => {
    const audit = createAuditRecorder(now);
    return createImportService({
      store,
      graph: index,
      audit,
      now,
      leaks: createLeakFindings({ audit }),
      parsers: { 'aws-iam': parseAwsIam } as never,
    });
  };

  /** The example files without the user legacy-reporting (as if it were deleted in IAM). */
  function withoutLegacy(): ImportFile[] {
    return examples().map((f) => {
      if (f.path.endsWith('authorization-details.json')) {
        const doc = JSON.parse(f.text) as { UserDetailList: Array<{ UserName: string }> };
        doc.UserDetailList = doc.UserDetailList.filter((u) => u.UserName !== 'legacy-reporting');
        return { ...f, text: JSON.stringify(doc) };
      }
      if (f.path.endsWith('.csv'))
        return {
          ...f,
          text: f.text
            .split('\n')
            .filter((l) => !l.startsWith('legacy-reporting,'))
            .join('\n'),
        };
      return f;
    });
  }

  it('imports idempotently, every edge fitting the graph, and marks a removed user missing', async () => {
    const imports = service();
    const first = await imports.apply('tester', parseAwsIam(examples(), {}));
    const s = first.run.summary;
    expect(s.created.identity).toBe(13);
    expect(s.created.credential).toBe(5);
    expect(s.created.resource).toBeGreaterThan(20);
    expect(s.created.edge).toBeGreaterThan(30);
    // The partner's auditor role is not imported yet: its edge waits.
    expect(s.pendingEdges).toBe(1);
    expect(s.problems.filter((p) => p.reason.includes('skipped'))).toEqual([]);
    const bot = await store.identities.getByName(`aws:${A}:user/support-llm-bot`);
    expect(bot?.kind).toBe('agent');
    expect(bot?.labels['kw.agent_signals']).toContain('bedrock:InvokeModel');

    const before = { ids: await store.identities.count(), edges: await store.edges.count() };
    const second = await imports.apply('tester', parseAwsIam(examples(), {}));
    expect(second.run.summary.created).toEqual({ identity: 0, resource: 0, edge: 0, credential: 0 });
    expect(second.run.summary.updated).toEqual({ identity: 0, resource: 0, edge: 0, credential: 0 });
    expect({ ids: await store.identities.count(), edges: await store.edges.count() }).toEqual(before);

    const third = await imports.apply('tester', parseAwsIam(withoutLegacy(), {}));
    expect(third.run.summary.missing.identity).toBe(1);
    expect(third.run.summary.missing.credential).toBe(1);
    const legacy = await store.identities.getByName(`aws:${A}:user/legacy-reporting`);
    expect(legacy?.labels['kw.missing_since']).toBe('2026-06-01T00:00:00.000Z');
    const [key] = (await store.credentials.list({ identityId: legacy?.id ?? '' }, {})).items;
    expect(key?.status).toBe('revoked');
    expect(await store.identities.count()).toBe(before.ids);
  });
});
