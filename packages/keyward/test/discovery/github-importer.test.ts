/**
 * The GitHub importer on the acme-robotics bundle, on raw `gh api` responses and on messy and
 * broken input; then its batch applied to a real SQLite store twice (nothing changes the second
 * time) and once more without a deploy key (the key's identity is marked missing, its credential
 * revoked).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAuditRecorder } from '../../src/audit/audit-recorder.js';
import type { ImportBatch, ImportFile } from '../../src/discovery/import-batch.js';
import { createImportService } from '../../src/discovery/import-service.js';
import { parseGitHub } from '../../src/discovery/importers/github/github-importer.js';
import { createLeakFindings } from '../../src/discovery/leak-findings.js';
import { loadGraphIndex } from '../../src/graph/graph-loader.js';
import { openStore } from '../../src/storage/open-store.js';
import type { Store } from '../../src/storage/storage-types.js';

const root = join(import.meta.dirname, '../../../..');
const ACME = 'examples/discovery/github/acme-robotics.json';
const fixture = (name: string) => `packages/keyward/test/discovery/fixtures/github/${name}`;
const file = (path: string): ImportFile => ({ path, text: readFileSync(join(root, path), 'utf8') });

const acme = () => parseGitHub([file(ACME)], {});
const identity = (b: ImportBatch, id: string) => b.identities.find((i) => i.externalId === id);
const resource = (b: ImportBatch, id: string) => b.resources.find((r) => r.externalId === id);
const edge = (b: ImportBatch, from: string, to: string) =>
  b.edges.find((e) => e.from === from && e.to === to);
const credential = (b: ImportBatch, id: string) => b.credentials.find((c) => c.externalId === id);

describe('GitHub importer: the acme-robotics bundle', () => {
  it('describes the org feed of github:<login>, with what it read counted and no problems', () => {
    const b = acme();
    expect(b).toMatchObject({ source: 'github', scope: 'github:acme-robotics', feed: 'org', partial: false });
    expect(b.problems).toEqual([]);
    expect(b.counts).toMatchObject({
      org: 1,
      repository: 4,
      installation: 4,
      'deploy key': 3,
      'Actions secret': 5,
      'Actions variable': 3,
      'fine-grained PAT': 3,
      'SSO-authorized classic token': 2,
      'SSO-authorized SSH key': 1,
      'PAT request (not granted; ignored)': 1,
      'key copilot_seats (ignored)': 1,
    });
    expect(parseGitHub([file(ACME)], { scope: 'github:acme-eu' }).scope).toBe('github:acme-eu');
  });

  it('makes app installations bots with their grants, flagging the AI coding agent and code writers', () => {
    const b = acme();
    const ai = identity(b, 'installation/41000001');
    expect(ai).toMatchObject({
      name: 'github:acme-robotics:app/devbot-ai-coder',
      kind: 'bot',
      firstSeen: '2025-11-03T14:12:00.000Z',
      labels: { 'github.app_slug': 'devbot-ai-coder', 'github.app_owner': 'devbot-inc' },
    });
    expect(ai?.ownerEmail).toBeUndefined();
    expect(ai?.agentSignals).toEqual([
      'GitHub App devbot-ai-coder is named like an AI coding agent ("bot-ai")',
      'GitHub App devbot-ai-coder acting as a bot with contents:write and pull_requests:write',
    ]);
    // Selected repositories: one edge per repository, never the whole org.
    expect(edge(b, 'installation/41000001', 'org/acme-robotics')).toBeUndefined();
    expect(edge(b, 'installation/41000001', 'repo/acme-robotics/firmware')).toMatchObject({
      kind: 'has_permission',
      actions: ['contents:write', 'issues:write', 'metadata:read', 'pull_requests:write', 'workflows:write'],
      details: { wildcard: false, broad: true, broadActions: ['workflows:write'] },
    });
    expect(edge(b, 'installation/41000001', 'repo/acme-robotics/fleet-api')).toBeDefined();
    // The dependency updater writes code on every repository: a code writer, and a wildcard grant.
    expect(identity(b, 'installation/41000002')?.agentSignals).toEqual([
      'GitHub App depupdater acting as a bot with contents:write and pull_requests:write',
    ]);
    expect(edge(b, 'installation/41000002', 'org/acme-robotics')?.details).toMatchObject({
      wildcard: true,
      repositorySelection: 'all',
    });
    expect(identity(b, 'installation/41000003')?.agentSignals).toBeUndefined();
    const admin = edge(b, 'installation/41000004', 'org/acme-robotics');
    expect(admin?.details).toMatchObject({
      broad: true,
      broadActions: ['administration:write', 'members:write', 'organization_administration:write'],
    });
    expect(identity(b, 'installation/41000004')?.labels?.['github.suspended_at']).toBe(
      '2026-01-10T00:00:00.000Z',
    );
  });

  it('rates repositories by visibility and puts secrets, variable names and the OIDC subject on them', () => {
    const b = acme();
    expect(resource(b, 'repo/acme-robotics/firmware')).toMatchObject({
      kind: 'repository',
      sensitivity: 'high',
    });
    expect(resource(b, 'repo/acme-robotics/docs-site')?.sensitivity).toBe('medium');
    const org = resource(b, 'org/acme-robotics');
    expect(org).toMatchObject({ name: 'github:acme-robotics', kind: 'account' });
    expect(org?.details).toMatchObject({
      actionsSecrets: 3,
      staticCloudKeys: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'],
      actionsVariables: ['DEFAULT_REGION'],
      oidc: { includeClaimKeys: ['repository_owner', 'context'], subIncludesRepo: false },
    });
    expect((org!.details!['oidc'] as { note?: string }).note).toMatch(/matches any repository/);
    const fleet = resource(b, 'repo/acme-robotics/fleet-api');
    expect(fleet?.details).toMatchObject({
      staticCloudKeys: ['GCP_SA_KEY'],
      actionsVariables: ['DEPLOY_ENV', 'LEGACY_API_TOKEN'],
      oidc: { useDefault: false, subIncludesRepo: true },
    });
    expect((fleet!.details!['oidc'] as { note?: string }).note).toBeUndefined();
    const key = resource(b, 'actions-secret/acme-robotics/AWS_ACCESS_KEY_ID');
    expect(key).toMatchObject({
      kind: 'secret_store',
      sensitivity: 'high',
      details: { staticCloudKey: true },
    });
    expect(
      resource(b, 'actions-secret/acme-robotics/NPM_TOKEN')?.details?.['staticCloudKey'],
    ).toBeUndefined();
    expect(
      edge(b, 'repo/acme-robotics/fleet-api', 'actions-secret/acme-robotics/fleet-api/GCP_SA_KEY'),
    ).toMatchObject({ actions: ['secrets:read'] });
    // Variable values never reach the batch, only their names.
    const text = JSON.stringify(b);
    expect(text).not.toContain('example-not-a-real-token-0000');
    expect(text).not.toContain('eu-west-1');
  });

  it('makes deploy keys service accounts with a key credential matched by its SSH fingerprint', () => {
    const b = acme();
    expect(identity(b, 'deploykey/88000001')).toMatchObject({
      name: 'github:acme-robotics:deploy-key/firmware/build-farm',
      kind: 'service_account',
      firstSeen: '2022-03-04T05:06:07.000Z',
      lastSeen: '2026-05-18T22:00:00.000Z',
    });
    expect(edge(b, 'deploykey/88000001', 'repo/acme-robotics/firmware')?.actions).toEqual(['contents:write']);
    expect(edge(b, 'deploykey/88000002', 'repo/acme-robotics/firmware')?.actions).toEqual(['contents:read']);
    const blob = 'AAAAC3NzaC1lZDI1NTE5AAAAIIvDnfMpxR5JbBa9oQH8Y0Hu08RSYQpC+JPYHei+xl6F';
    const fp = `SHA256:${createHash('sha256').update(Buffer.from(blob, 'base64')).digest('base64').replace(/=+$/, '')}`;
    expect(credential(b, 'deploykey/88000001#credential')).toMatchObject({
      identity: 'deploykey/88000001',
      kind: 'github_deploy_key',
      status: 'active',
      hint: fp,
      createdAt: '2022-03-04T05:06:07.000Z',
      lastUsedAt: '2026-05-18T22:00:00.000Z',
    });
    expect(credential(b, 'deploykey/88000002#credential')?.lastUsedAt).toBeUndefined();
  });

  it('makes tokens identities: fine-grained PATs with expiry, classic tokens with their last eight', () => {
    const b = acme();
    expect(identity(b, 'fgpat/25381')).toMatchObject({
      kind: 'token',
      name: 'github:acme-robotics:fine-grained-pat/hgreen/release-automation',
      labels: { 'github.owner': 'hgreen' },
      credential: { expiresAt: '2026-10-01T12:00:00.000Z', lastUsedAt: '2026-05-19T06:00:00.000Z' },
    });
    expect(credential(b, 'fgpat/25381#credential')).toMatchObject({ kind: 'github_token', status: 'active' });
    expect(credential(b, 'fgpat/25382#credential')?.status).toBe('inactive');
    expect(credential(b, 'fgpat/25383#credential')?.expiresAt).toBeUndefined();
    expect(identity(b, 'fgpat/25383')?.credential?.expiresAt).toBeUndefined();
    expect(edge(b, 'fgpat/25381', 'repo/acme-robotics/fleet-api')).toMatchObject({
      actions: ['contents:write', 'metadata:read', 'secrets:write'],
      details: { broad: true, broadActions: ['secrets:write'] },
    });
    expect(edge(b, 'fgpat/25381', 'org/acme-robotics')?.actions).toEqual(['members:read']);
    expect(edge(b, 'fgpat/25382', 'org/acme-robotics')?.details).toMatchObject({ wildcard: true });

    expect(identity(b, 'classic/161195')).toMatchObject({
      kind: 'token',
      labels: { 'github.owner': 'hgreen' },
    });
    expect(credential(b, 'classic/161195#credential')).toMatchObject({
      kind: 'github_token',
      hint: 'fa4e0001',
      lastUsedAt: '2026-05-19T05:00:00.000Z',
    });
    expect(edge(b, 'classic/161195', 'org/acme-robotics')).toMatchObject({
      actions: ['admin:org', 'repo', 'workflow'],
      details: { wildcard: true },
    });
    expect(edge(b, 'classic/161196', 'org/acme-robotics')?.details).toMatchObject({ wildcard: false });
    expect(credential(b, 'ssh/161197#credential')).toMatchObject({
      kind: 'other',
      identity: 'ssh/161197',
      externalId: 'ssh/161197#credential',
    });
  });
});

describe('GitHub importer: raw responses and messy input', () => {
  it('reads single raw responses recognised by their shape', () => {
    const b = parseGitHub(
      [file(fixture('raw-installations.json')), file(fixture('raw-credential-authorizations.json'))],
      {},
    );
    expect(b.scope).toBe('github:raw-org');
    expect(b.problems).toEqual([]);
    expect(identity(b, 'installation/123')?.agentSignals?.[0]).toMatch(
      /named like an AI coding agent \("sweep"\)/,
    );
    expect(edge(b, 'installation/123', 'org/raw-org')?.details).toMatchObject({ wildcard: true });
    expect(credential(b, 'classic/42#credential')?.hint).toBe('c0ffee42');
    expect(identity(b, 'installation/123')?.foundIn).toEqual({
      file: fixture('raw-installations.json'),
      path: '/installations/0',
    });
  });

  it('names the line of invalid JSON and the JSON pointer of records without ids; the rest proceeds', () => {
    const b = parseGitHub(
      [file(fixture('truncated-bundle.json.txt')), file(fixture('messy-bundle.json'))],
      {},
    );
    expect(b.scope).toBe('github:messy-co');
    expect(b.problems[0]).toMatchObject({
      file: fixture('truncated-bundle.json.txt'),
      line: 58,
      severity: 'error',
      reason: expect.stringMatching(/truncated/),
    });
    const paths = b.problems.slice(1).map((p) => p.path);
    expect(paths).toEqual([
      '/installations/0',
      '/installations/2',
      '/deploy_keys/messy-co~1app/0',
      '/actions_secrets/org/secrets/0',
      '/fine_grained_pats/0',
      '/credential_authorizations/0',
    ]);
    expect(b.identities.map((i) => i.externalId)).toEqual([
      'installation/5',
      'installation/6',
      'deploykey/77',
      'fgpat/9',
      'classic/3',
    ]);
    expect(b.counts['key something_new (ignored)']).toBe(1);
    // Selected repositories the export does not list: the grant is recorded on the org, marked so.
    expect(edge(b, 'installation/6', 'org/messy-co')?.details).toMatchObject({
      selectedRepositoriesUnknown: true,
    });
  });

  it('never throws: garbage documents become problems, and an unknown org is an error', () => {
    const docs = ['null', '[]', '"text"', '42', '{"installations": 5}', '{"repos": [null, 3]}', '{}'];
    const b = parseGitHub(
      docs.map((text, i) => ({ path: `g${i}.json`, text })),
      {},
    );
    expect(b.scope).toBe('');
    expect(b.identities).toEqual([]);
    expect(b.problems.some((p) => /cannot tell which organisation/.test(p.reason))).toBe(true);
    expect(b.problems.filter((p) => /not a GitHub export/.test(p.reason)).length).toBe(5);
    const scoped = parseGitHub([{ path: 'r.json', text: '{"repos": [null, {"full_name": "x/y"}]}' }], {
      scope: 'github:x',
    });
    expect(scoped.problems).toEqual([
      {
        file: 'r.json',
        path: '/repos/0',
        severity: 'error',
        reason: 'repository without a full_name; skipped',
      },
    ]);
    expect(scoped.resources.map((r) => r.externalId)).toEqual(['repo/x/y']);
  });
});

describe('GitHub importer into the inventory', () => {
  let dir: string | undefined;
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('applies idempotently, links tokens by their last eight, and marks what the org no longer has', async () => {
    dir = mkdtempSync(join(tmpdir(), 'kw-github-'));
    const s = await openStore({ backend: 'sqlite', file: join(dir, 'kw.db') });
    store = s;
    await s.migrate();
    const index = await loadGraphIndex(s);
    let clock = Date.parse('2026-06-01T00:00:00Z');
    const now = () => new Date(clock);
    const audit = createAuditRecorder(now);
    const imports = createImportService({
      store: s,
      graph: index,
      audit,
      now,
      leaks: createLeakFindings({ audit }),
      parsers: { github: parseGitHub } as never,
    });
    const request = { source: 'github' as const, files: [file(ACME)] };
    const first = await imports.importFiles('tester', request);
    expect(first.run.summary.created).toEqual({ identity: 13, resource: 10, edge: 21, credential: 9 });
    expect(first.run.summary.problems).toEqual([]);
    expect(first.run.summary.pendingEdges).toBe(0);
    const second = await imports.importFiles('tester', request);
    expect(second.run.summary.created).toEqual({ identity: 0, resource: 0, edge: 0, credential: 0 });
    expect(second.run.summary.updated).toEqual({ identity: 0, resource: 0, edge: 0, credential: 0 });

    const ai = (await s.identities.getByName('github:acme-robotics:app/devbot-ai-coder'))!;
    expect(ai.origin).toBe('github');
    expect(ai.labels['kw.unmanaged_reasons']).toMatch(/AI agent deployed outside the approval path/);
    expect(index.blastRadius(ai.id).totals.reachable).toBeGreaterThanOrEqual(2);
    const classic = (await s.identities.getByName('github:acme-robotics:classic-pat/hgreen/161195'))!;
    const [token] = (await s.credentials.list({ identityId: classic.id }, {})).items;
    expect(token).toMatchObject({ kind: 'github_token', hint: 'fa4e0001', scope: 'github:acme-robotics' });

    clock += 86_400_000;
    const bundle = JSON.parse(file(ACME).text) as { deploy_keys: Record<string, unknown[]> };
    bundle.deploy_keys['acme-robotics/firmware'] = bundle.deploy_keys['acme-robotics/firmware']!.slice(1);
    const third = await imports.importFiles('tester', {
      source: 'github',
      files: [{ path: ACME, text: JSON.stringify(bundle) }],
    });
    expect(third.run.summary.missing).toMatchObject({ identity: 1, edge: 1 });
    const gone = (await s.identities.getByName('github:acme-robotics:deploy-key/firmware/build-farm'))!;
    expect(gone.labels['kw.missing_since']).toBe(now().toISOString());
    const [key] = (await s.credentials.list({ identityId: gone.id }, {})).items;
    expect(key?.status).toBe('revoked');
    expect((await s.edges.list({ fromId: gone.id }, {})).items).toEqual([]);
  });
});
