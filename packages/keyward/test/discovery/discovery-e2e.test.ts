/**
 * Discovery end to end, on each storage backend: the CLI (in-process) against a real server imports
 * every example source, re-imports without duplicating, scans a real git repository with history,
 * links the leaked secrets to the imported inventory as NHI2 findings, writes SARIF, resolves a
 * finding when the leaked key is deactivated at the source, and turns bad input into clear errors
 * that change nothing.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../../src/cli/cli-io.js';
import { runCli } from '../../src/cli/program.js';
import type { DiscoveryRun, Finding } from '../../src/discovery/discovery-types.js';
import type { ScanResult } from '../../src/discovery/scan/scan-types.js';
import { startTestServer, TEST_BACKENDS, type TestServer } from '../test-server.js';

const EXAMPLES = path.resolve(import.meta.dirname, '../../../../examples/discovery');
const ACCOUNT = '123456789012';

const b32 = (n: number) =>
  Array.from(randomBytes(n), (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[b % 32]).join('');
const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=Dev One', '-c', 'user.email=dev1@example.com', ...args], {
    cwd,
    env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
    stdio: 'pipe',
  });

// biome-ignore lint/suspicious/noExplicitAny: the tests read arbitrary problem and run bodies
type Json = any;

interface Outcome {
  run: DiscoveryRun;
  dryRun: boolean;
}

describe.each(TEST_BACKENDS)('discovery end to end (%s)', (backend) => {
  let server: TestServer;
  let work: string;

  beforeAll(async () => {
    work = mkdtempSync(path.join(os.tmpdir(), 'keyward-discovery-'));
    server = await startTestServer({
      backend,
      config: { discoveryRoots: [work, EXAMPLES], discoveryMaxBytes: 4 * 1024 * 1024 },
    });
  });
  afterAll(async () => {
    await server?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  async function cli(args: string[], token: string | null = server.adminToken) {
    const cap = captureIo({ KEYWARD_URL: server.url, KEYWARD_TOKEN: token ?? undefined });
    const code = await runCli(args, cap.io);
    return { code, out: cap.out(), err: cap.err() };
  }
  async function cliJson<T>(args: string[]): Promise<T> {
    const r = await cli([...args, '--json']);
    expect(r.code, r.err).toBe(0);
    return JSON.parse(r.out) as T;
  }
  const api = async (method: string, url: string, body?: unknown, token = server.adminToken) => {
    const res = await fetch(server.url + url, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as Json };
  };

  it('imports every example source, and a re-import changes nothing', async () => {
    const imports: Array<[string[], string]> = [
      [['import', 'aws', path.join(EXAMPLES, 'aws')], `aws:${ACCOUNT}`],
      [['import', 'kubernetes', path.join(EXAMPLES, 'kubernetes'), '--cluster', 'prod-eu'], 'k8s:prod-eu'],
      [['import', 'github', path.join(EXAMPLES, 'github')], 'github:acme-robotics'],
      [
        [
          'import',
          'csv',
          path.join(EXAMPLES, 'generic', 'saas-keys.csv'),
          '--source',
          'saas',
          ...genericMaps(),
        ],
        'csv:saas',
      ],
    ];
    for (const [args, scope] of imports) {
      const first = await cliJson<Outcome>(args);
      expect(first.run.scope).toBe(scope);
      expect(first.run.summary.created.identity, args.join(' ')).toBeGreaterThan(0);
      const again = await cliJson<Outcome>(args);
      expect(again.run.summary.created, args.join(' ')).toEqual({
        identity: 0,
        resource: 0,
        edge: 0,
        credential: 0,
      });
      expect(again.run.summary.updated.identity, args.join(' ')).toBe(0);
    }
    const table = await cli(['import', 'aws', path.join(EXAMPLES, 'aws'), '--dry-run']);
    expect(table.code, table.err).toBe(0);
    expect(table.out).toMatch(/unchanged/i);

    const scopes = await cliJson<{ items: Array<{ scope: string }> }>(['discovery', 'scopes']);
    expect(scopes.items.map((s) => s.scope).sort()).toEqual(
      ['aws:123456789012', 'csv:saas', 'github:acme-robotics', 'k8s:prod-eu'].sort(),
    );
    const summary = await cliJson<{ discovery?: { unmanaged: number; unmanagedAgents: number } }>([
      'summary',
    ]);
    expect(summary.discovery?.unmanaged).toBeGreaterThan(0);
    expect(summary.discovery?.unmanagedAgents).toBeGreaterThan(0);
    const text = await cli(['summary']);
    expect(text.out).toMatch(/Discovery/);

    // The lineage graph holds the imported trust: something can assume the CI deployer role.
    const role = `aws:${ACCOUNT}:role/deployer`;
    const lineage = await cli(['lineage', role]);
    expect(lineage.code, lineage.err).toBe(0);
    const prov = await cliJson<{ items: Array<{ scope: string; externalId: string }> }>([
      'identity',
      'provenance',
      role,
    ]);
    expect(prov.items.some((r) => r.externalId === `arn:aws:iam::${ACCOUNT}:role/deployer`)).toBe(true);
  });

  it('scans a repository with history, links leaked secrets to the inventory, and tracks them to revocation', async () => {
    // A key of an imported IAM user, known to Keyward by a list-access-keys export.
    const user = firstIamUser();
    const keyId = `AKIA${b32(16)}`;
    const keysFile = path.join(work, 'keys.json');
    writeFileSync(
      keysFile,
      JSON.stringify({
        AccessKeyMetadata: [
          { UserName: user, AccessKeyId: keyId, Status: 'Active', CreateDate: '2026-01-05T10:00:00Z' },
        ],
      }),
    );
    await cliJson<Outcome>(['import', 'aws', keysFile, '--scope', `aws:${ACCOUNT}`]);

    const repo = path.join(work, 'payments-repo');
    mkdirSync(path.join(repo, 'deploy'), { recursive: true });
    git(repo, 'init', '-q', '-b', 'main');
    const secretKey = randomBytes(30).toString('base64').replace(/[+/]/g, 'Q').slice(0, 40);
    writeFileSync(
      path.join(repo, 'deploy', 'aws.env'),
      `AWS_ACCESS_KEY_ID=${keyId}\nAWS_SECRET_ACCESS_KEY=${secretKey}\n`,
    );
    // A Kubernetes service-account token of an imported service account, still at HEAD.
    const jwt = [
      b64url({ alg: 'RS256', kid: 'k1' }),
      b64url({
        iss: 'kubernetes/serviceaccount',
        'kubernetes.io/serviceaccount/namespace': 'payments',
        'kubernetes.io/serviceaccount/service-account.name': 'ledger-writer',
        sub: 'system:serviceaccount:payments:ledger-writer',
      }),
      randomBytes(256).toString('base64url'),
    ].join('.');
    writeFileSync(path.join(repo, 'kubeconfig.yaml'), `users:\n- name: ledger\n  user:\n    token: ${jwt}\n`);
    writeFileSync(path.join(repo, 'README.md'), '# payments\n');
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'initial');
    git(repo, 'rm', '-q', 'deploy/aws.env');
    git(repo, 'commit', '-q', '-m', 'remove the key');

    const scan = await cli(['scan', repo, '--history', '--format', 'json', '--workers', '1']);
    expect(scan.code, scan.err).toBe(0);
    const result = JSON.parse(scan.out) as ScanResult;
    expect(scan.out).not.toContain(secretKey);
    expect(scan.out).not.toContain(jwt);
    const aws = result.findings.find((f) => f.identifiers['awsAccessKeyId'] === keyId);
    expect(aws?.location.historyOnly).toBe(true);
    expect(aws?.location.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(aws?.location.author).toContain('dev1@example.com');
    const k8s = result.findings.find((f) => f.identifiers['k8sServiceAccount'] === 'payments/ledger-writer');
    expect(k8s?.fingerprint).toBe(`sha256:${createHash('sha256').update(jwt).digest('hex')}`);
    expect(scan.err).toMatch(/recorded as run_/);

    const findings = await cliJson<{ items: Finding[] }>(['findings', 'list', '--code', 'NHI2']);
    const awsFinding = findings.items.find((f) => f.evidence['fingerprint'] === aws?.fingerprint);
    expect(awsFinding?.status, JSON.stringify(findings.items, null, 1)).toBe('open');
    expect(awsFinding?.identityId).toMatch(/^nhi_/);
    expect(awsFinding?.credentialId).toMatch(/^crd_/);
    const k8sFinding = findings.items.find((f) => f.evidence['fingerprint'] === k8s?.fingerprint);
    expect(k8sFinding?.identityId).toMatch(/^nhi_/);
    const shown = await cli(['findings', 'show', awsFinding!.id]);
    expect(shown.out, shown.err).toContain('deploy/aws.env');
    expect(shown.out).not.toContain(secretKey);

    // Scanning again joins the same findings instead of adding new ones.
    const again = await cli(['scan', repo, '--history', '--format', 'json']);
    expect(again.err).toMatch(/0 new findings/);

    // SARIF for code-scanning tools, never holding the secrets.
    const sarifFile = path.join(work, 'out.sarif');
    const sarif = await cli([
      'scan',
      repo,
      '--history',
      '--no-submit',
      '--format',
      'sarif',
      '--output',
      sarifFile,
    ]);
    expect(sarif.code, sarif.err).toBe(0);
    const doc = JSON.parse(readFileSync(sarifFile, 'utf8'));
    expect(doc.version).toBe('2.1.0');
    expect(doc.runs[0].results.length).toBeGreaterThanOrEqual(2);
    expect(readFileSync(sarifFile, 'utf8')).not.toContain(secretKey);

    // The key is deactivated at the source: the next import resolves the finding (time-to-revoke).
    writeFileSync(
      keysFile,
      JSON.stringify({
        AccessKeyMetadata: [
          { UserName: user, AccessKeyId: keyId, Status: 'Inactive', CreateDate: '2026-01-05T10:00:00Z' },
        ],
      }),
    );
    await cliJson<Outcome>(['import', 'aws', keysFile, '--scope', `aws:${ACCOUNT}`]);
    const resolved = await cliJson<Finding>(['findings', 'show', awsFinding!.id]);
    expect(resolved.status).toBe('resolved');
    expect(resolved.resolution).toBe('credential revoked');
    // The summary is cached for a few seconds; its figures come from this service.
    const figures = await server.keyward.services.findings.figures();
    expect(figures.leakedSecrets.revoked).toBeGreaterThanOrEqual(1);
    expect(figures.leakedSecrets.medianHoursToRevoke).not.toBeNull();

    // --fail-on-findings for CI.
    const failing = await cli(['scan', repo, '--no-submit', '--fail-on-findings']);
    expect(failing.code).toBe(1);
    expect(failing.err).toMatch(/secrets? found/);
  });

  it('the server scans and imports paths under KEYWARD_DISCOVERY_ROOTS only', async () => {
    const dir = path.join(work, 'server-side');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      path.join(dir, 'app.env'),
      `NPM_TOKEN=npm_${randomBytes(27).toString('base64url').replace(/[-_]/g, 'x').slice(0, 36)}\n`,
    );
    symlinkSync(dir, path.join(dir, 'loop'));
    const scanned = await api('POST', '/v1/discovery/scans', { path: dir });
    expect(scanned.status, JSON.stringify(scanned.body)).toBe(201);
    expect(scanned.body.findings.length).toBeGreaterThanOrEqual(1);
    const imported = await api('POST', '/v1/discovery/imports', {
      source: 'kubernetes',
      path: path.join(EXAMPLES, 'kubernetes'),
      scope: 'k8s:prod-eu',
      dryRun: true,
    });
    expect(imported.status).toBe(200);
    expect(imported.body.run.summary.created.identity).toBe(0);

    const outside = await api('POST', '/v1/discovery/scans', { path: os.tmpdir() });
    expect(outside.status).toBe(403);
    expect(outside.type).toContain('application/problem+json');
    expect(outside.body.code).toBe('forbidden');
  });

  it('bad input gets a clear error and changes nothing', async () => {
    const before = await api('GET', '/v1/discovery/runs?limit=200');
    const truncated = await api('POST', '/v1/discovery/imports', {
      source: 'aws-iam',
      files: [{ path: 'auth.json', text: '{"UserDetailList": [{"UserName": "x", "Arn": "arn:aws:iam::' }],
      scope: `aws:${ACCOUNT}`,
      partial: true,
    });
    expect(truncated.status).toBe(201);
    expect(truncated.body.run.summary.problems[0].reason).toMatch(/truncated|ends early/);
    expect(truncated.body.run.summary.created.identity).toBe(0);

    const tooLarge = await api('POST', '/v1/discovery/imports', {
      source: 'generic',
      scope: 'csv:big',
      files: [{ path: 'big.csv', text: `name\n${'x'.repeat(5 * 1024 * 1024)}\n` }],
    });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.type).toContain('application/problem+json');
    expect(tooLarge.body.code).toBe('body_too_large');

    const noScope = await api('POST', '/v1/discovery/imports', {
      source: 'generic',
      files: [{ path: 'x.csv', text: 'name\nfoo\n' }],
    });
    expect(noScope.status).toBe(400);
    expect(noScope.body.code).toBe('validation_failed');

    const token = await cliJson<{ secret: string }>([
      'token',
      'create',
      '--name',
      'reader',
      '--role',
      'auditor',
    ]);
    const forbidden = await api(
      'POST',
      '/v1/discovery/imports',
      { source: 'generic', scope: 'csv:x', files: [{ path: 'x.csv', text: 'name\nfoo\n' }] },
      token.secret,
    );
    expect(forbidden.status).toBe(403);
    const after = await api('GET', '/v1/discovery/runs?limit=200');
    expect(after.body.items.length).toBe(before.body.items.length + 1);

    // The CLI: a binary file and a symlink loop are reported, the good file still imported.
    const dir = path.join(work, 'messy');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'export.csv'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1, 2, 3]));
    writeFileSync(path.join(dir, 'good.csv'), 'name,kind\nreport-bot,bot\n');
    symlinkSync(dir, path.join(dir, 'again'));
    // A 10 GB file (sparse: it takes no disk) is refused by its size, never read.
    writeFileSync(path.join(dir, 'huge.csv'), '');
    truncateSync(path.join(dir, 'huge.csv'), 10 * 1024 ** 3);
    const messy = await cli(['import', 'csv', dir, '--source', 'messy', '--json']);
    expect(messy.code, messy.err).toBe(0);
    const outcome = JSON.parse(messy.out) as Outcome;
    expect(outcome.run.summary.created.identity).toBe(1);
    const reasons = outcome.run.summary.problems.map((p) => `${p.file}: ${p.reason}`).join('\n');
    expect(reasons).toMatch(/export\.csv: .*binary/);
    expect(reasons).toMatch(/loop/);
    expect(reasons).toMatch(/huge\.csv: 10737418240 bytes would take the import past its limit/);
    const scanned = await cli(['scan', dir, '--no-submit', '--format', 'json']);
    expect(scanned.code, scanned.err).toBe(0);
    const scan = JSON.parse(scanned.out) as ScanResult;
    expect(scan.stats.skipped['too large']).toBe(1);
    expect(scan.stats.skipped['binary']).toBe(1);
    expect(scan.problems.map((p) => p.reason).join('\n')).toMatch(/symlink loop/);
    const strict = await cli(['import', 'csv', dir, '--source', 'messy', '--strict']);
    expect(strict.code).not.toBe(0);

    const unknown = await cli(['import', 'ldap', dir]);
    expect(unknown.code).not.toBe(0);
    expect(unknown.err).toMatch(/unknown source "ldap"/);
    const missing = await cli(['scan', path.join(work, 'nope'), '--no-submit']);
    expect(missing.code).not.toBe(0);
    expect(missing.err.trim().split('\n')).toHaveLength(1);
  });
});

/** The --map options the generic example needs (as docs/import-generic.md gives them). */
function genericMaps(): string[] {
  return [
    'Team Lead=owner_email',
    'Category=kind',
    'Key Ref=credential_id',
    'Notes=purpose',
    'Is AI Agent=agent',
  ].flatMap((m) => ['--map', m]);
}

/** The first IAM user in the example authorization details. */
function firstIamUser(): string {
  const doc = JSON.parse(readFileSync(path.join(EXAMPLES, 'aws', 'authorization-details.json'), 'utf8'));
  const name = doc.UserDetailList?.[0]?.UserName;
  if (typeof name !== 'string') throw new Error('the AWS example has no IAM user');
  return name;
}
