import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scanGitHistory, scanTree } from '../../src/discovery/scan/secret-scanner.js';
import { KeywardError } from '../../src/errors.js';
import { createGitFixture } from './git-fixture.js';
import { githubToken, jwt, rand, serviceAccountJson, sha256 } from './secret-fakes.js';

const dirs: string[] = [];
function tree(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kw-scan-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}
afterAll(() => {
  for (const d of dirs) {
    try {
      chmodSync(path.join(d, 'locked'), 0o755);
    } catch {}
    rmSync(d, { recursive: true, force: true });
  }
});

const summary = (r: Awaited<ReturnType<typeof scanTree>>) =>
  r.findings.map((f) => `${f.location.path}:${f.location.line}:${f.ruleId}:${f.fingerprint}`).sort();

describe('scanTree', () => {
  const secrets = {
    gh: githubToken(),
    kw: `kw_${rand(43, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_')}`,
  };
  const sa = serviceAccountJson();
  const k8s = jwt({
    'kubernetes.io': { namespace: 'prod', serviceaccount: { name: 'api' } },
    sub: 'system:serviceaccount:prod:api',
  });

  it('finds secrets across a tree, never carrying them in the result or the SARIF', async () => {
    const root = tree({
      'app/.env': `GITHUB_TOKEN=${secrets.gh}\nKEYWARD_TOKEN=${secrets.kw}\n`,
      'keys/sa.json': sa.text,
      'k8s/token': `${k8s}\n`,
      'README.md': 'nothing to see here\n',
    });
    const result = await scanTree(root, { workers: 0 });
    expect(result.findings.map((f) => f.ruleId).sort()).toEqual([
      'gcp-service-account-key',
      'github-token',
      'keyward-api-token',
      'kubernetes-service-account-token',
    ]);
    expect(result.findings.find((f) => f.ruleId === 'keyward-api-token')!.fingerprint).toBe(
      sha256(secrets.kw),
    );
    expect(result.stats).toMatchObject({ files: 4, skipped: {} });
    const { toSarif } = await import('../../src/discovery/scan/scan-output.js');
    const sarif = JSON.stringify(toSarif(result, { toolVersion: '1.2.3', root }));
    for (const s of [secrets.gh, secrets.kw, k8s, sa.pem.split('\n')[1]!]) {
      expect(JSON.stringify(result)).not.toContain(s);
      expect(sarif).not.toContain(s);
    }
  });

  it('gives the same findings with workers and without', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 150; i++)
      files[`d${i % 7}/f${i}.ts`] =
        `const a${i} = 1;\n`.repeat(50) + (i % 10 === 0 ? `const t = "${githubToken()}";\n` : '');
    const root = tree(files);
    const inThread = await scanTree(root, { workers: 0 });
    const threaded = await scanTree(root, { workers: 2 });
    expect(inThread.findings).toHaveLength(15);
    expect(summary(threaded)).toEqual(summary(inThread));
    expect(threaded.stats.files).toBe(150);
  });

  it('honours .gitignore at every level, .keywardignore, and skips .git', async () => {
    const t = () => `x=${githubToken()}\n`;
    const root = tree({
      '.gitignore': 'build/\n*.log\n',
      'build/out.js': t(),
      'app.log': t(),
      'sub/.gitignore': 'local.env\n!keep.log\n',
      'sub/local.env': t(),
      'sub/keep.log': t(),
      'sub/seen.env': t(),
      '.keywardignore': 'vendor/\n',
      'vendor/lib.js': t(),
      '.git/config': t(),
    });
    const result = await scanTree(root, { workers: 0 });
    expect(result.findings.map((f) => f.location.path).sort()).toEqual(['sub/keep.log', 'sub/seen.env']);
    expect(result.stats.skipped['ignored']).toBe(4);
  });

  it('reports symlink loops, skips dangling links, binaries and large files as problems, not failures', async () => {
    const root = tree({
      'a/file.txt': `x=${githubToken()}\n`,
      'bin.dat': Buffer.from([1, 2, 0, 3]),
      'big.txt': 'y'.repeat(5000),
    });
    symlinkSync('..', path.join(root, 'a', 'up'));
    symlinkSync(path.join(root, 'missing'), path.join(root, 'dangling'));
    const result = await scanTree(root, { workers: 0, maxFileBytes: 4096 });
    expect(result.findings).toHaveLength(1);
    expect(result.problems.map((p) => p.reason).join('\n')).toMatch(/symlink loop/);
    expect(result.problems.find((p) => p.path === 'big.txt')!.reason).toMatch(/over the 4096-byte limit/);
    expect(result.stats.skipped).toMatchObject({ binary: 1, 'too large': 1, 'dangling symlink': 1 });
  });

  it.skipIf(process.getuid?.() === 0)('reports an unreadable directory as a problem', async () => {
    const root = tree({ 'locked/secret.env': `x=${githubToken()}\n`, 'ok.env': `x=${githubToken()}\n` });
    chmodSync(path.join(root, 'locked'), 0o000);
    const result = await scanTree(root, { workers: 0 });
    expect(result.findings).toHaveLength(1);
    expect(result.problems).toEqual([{ path: 'locked', reason: 'directory not read: permission denied' }]);
  });

  it('applies the allowlist: fingerprints, rules and path globs', async () => {
    const a = githubToken();
    const root = tree({
      'one.env': `A=${a}\n`,
      'test/fixtures/two.env': `B=${githubToken()}\n`,
      'three.env': `C=sk_live_${rand(24)}\n`,
    });
    const result = await scanTree(root, {
      workers: 0,
      allowlist: { fingerprints: [sha256(a)], rules: ['stripe-secret-key'], paths: ['test/fixtures/**'] },
    });
    expect(result.findings).toEqual([]);
  });

  it('runs user rules, in workers too', async () => {
    const root = tree({ 'x.cfg': `acme_key = ACME-${rand(32, '0123456789abcdef')}\n` });
    const rules = [
      {
        id: 'acme-key',
        description: 'ACME key',
        provider: 'acme',
        severity: 'high' as const,
        keywords: ['acme-'],
        pattern: /ACME-(?<secret>[0-9a-f]{32})/,
      },
    ];
    for (const workers of [0, 1]) {
      const r = await scanTree(root, { workers, rules });
      expect(r.findings.map((f) => f.ruleId)).toEqual(['acme-key']);
    }
  });

  it('rejects a root that does not exist', async () => {
    await expect(scanTree('/nonexistent/keyward-scan')).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(scanTree('/nonexistent/keyward-scan')).rejects.toBeInstanceOf(KeywardError);
  });
});

describe('history', () => {
  it('reports removed secrets as history-only, with their commit, and current ones once', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kw-scan-git-'));
    dirs.push(dir);
    const repo = createGitFixture(dir);
    const deleted = githubToken();
    const rewritten = githubToken();
    const kept = githubToken();
    repo.write('old.env', `TOKEN=${deleted}\n`);
    repo.write('app.env', `A=${rewritten}\nB=${kept}\n`);
    const first = repo.commit('add secrets');
    const firstDate = repo.lastDate();
    repo.remove('old.env');
    repo.write('app.env', `A=\${FROM_VAULT}\nB=${kept}\n`);
    repo.commit('remove secrets', { name: 'Cleaner', email: 'clean@example.test' });

    const progress: Array<[number, number, string]> = [];
    const result = await scanTree(dir, {
      history: true,
      workers: 1,
      onProgress: (done, total, phase) => progress.push([done, total, phase]),
    });
    const byFp = new Map(result.findings.map((f) => [f.fingerprint, f]));
    expect(result.findings).toHaveLength(3);
    // Progress: the tree in bytes, then the history in blobs, each ending complete.
    const phases = [...new Set(progress.map((p) => p[2]))];
    expect(phases).toEqual(['tree', 'history']);
    const lastOf = (phase: string) => progress.filter((p) => p[2] === phase).at(-1)!;
    expect(lastOf('tree')[0]).toBe(lastOf('tree')[1]);
    expect(lastOf('history')).toEqual([3, 3, 'history']);
    expect(byFp.get(sha256(deleted))!.location).toEqual({
      path: 'old.env',
      line: 1,
      column: 7,
      commit: first,
      author: 'Test Author <author@example.test>',
      date: expect.any(String),
      historyOnly: true,
    });
    expect(Date.parse(byFp.get(sha256(deleted))!.location.date!)).toBe(Date.parse(firstDate));
    expect(byFp.get(sha256(rewritten))!.location).toMatchObject({
      path: 'app.env',
      line: 1,
      historyOnly: true,
      commit: first,
    });
    const current = byFp.get(sha256(kept))!.location;
    expect(current).toMatchObject({ path: 'app.env', line: 2, commit: first });
    expect(current.historyOnly).toBeUndefined();
    expect(result.stats.commits).toBe(2);

    const historyOnly = await scanGitHistory(dir, { workers: 0 });
    expect(historyOnly.findings.map((f) => [f.fingerprint, f.location.historyOnly]).sort()).toEqual(
      [
        [sha256(deleted), true],
        [sha256(rewritten), true],
        [sha256(kept), false],
      ].sort(),
    );
  });

  it('notes a root that is not a repository', async () => {
    const root = tree({ 'a.env': `X=${githubToken()}\n` });
    const result = await scanTree(root, { history: true, workers: 0 });
    expect(result.findings).toHaveLength(1);
    expect(result.problems).toEqual([{ path: '.', reason: 'not a git repository: history not scanned' }]);
  });
});

describe('scan pool', () => {
  it('scans in-thread while its workers are still starting', async () => {
    const { createScanPool } = await import('../../src/discovery/scan/scan-pool.js');
    const root = tree({ 'a.env': `X=${githubToken()}\n` });
    const pool = createScanPool({ rules: [], allowlist: {} }, 1, false);
    try {
      const r = await pool.files([{ abs: path.join(root, 'a.env'), rel: 'a.env', size: 48 }]);
      expect(r.findings.map((f) => f.ruleId)).toEqual(['github-token']);
      expect(pool.counts()).toEqual({ worker: 0, inline: 1 });
    } finally {
      await pool.close();
    }
  });

  it('loads its worker from the TypeScript source (through tsx) and scans there', async () => {
    const { createScanPool } = await import('../../src/discovery/scan/scan-pool.js');
    const root = tree({ 'a.env': `X=${githubToken()}\n` });
    const pool = createScanPool({ rules: [], allowlist: {} }, 1, false);
    try {
      await pool.started();
      const r = await pool.files([{ abs: path.join(root, 'a.env'), rel: 'a.env', size: 48 }]);
      expect(r.findings.map((f) => f.ruleId)).toEqual(['github-token']);
      expect(pool.counts()).toEqual({ worker: 1, inline: 0 });
    } finally {
      await pool.close();
    }
  });
});
