/**
 * The git-history reader against real repositories built with the git CLI: every blob reachable from
 * any ref once (deleted, renamed, other branches, tags, merges), attribution to the oldest commit,
 * the HEAD tree, skipped binaries and large files, odd paths, empty/bare/shallow repositories,
 * worktrees, corrupt objects (problems, not rejections), backpressure and abort.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type HistoryBlob,
  type HistoryReadOptions,
  isGitRepository,
  readGitHistory,
} from '../../src/discovery/scan/git-history.js';
import { KeywardError } from '../../src/errors.js';
import { createGitFixture, gitEnv } from './git-fixture.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'kw-git-history-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

async function readAll(repo: string, options: Partial<HistoryReadOptions> = {}) {
  const blobs: HistoryBlob[] = [];
  const result = await readGitHistory(repo, {
    maxFileBytes: 1024 * 1024,
    onBlob: (blob) => {
      blobs.push(blob);
    },
    ...options,
  });
  const byContent = new Map(blobs.map((b) => [b.data.toString('utf8'), b]));
  return { result, blobs, byContent };
}

function looseObjectPath(repo: string, oid: string) {
  return join(repo, '.git', 'objects', oid.slice(0, 2), oid.slice(2));
}

describe('readGitHistory', () => {
  it('reads every blob of every ref once, attributed to the oldest commit that added it', async () => {
    const repo = createGitFixture(join(root, 'repo'));
    repo.write('config/app.env', 'TOKEN=first\n');
    repo.write('keep.txt', 'kept\n');
    const c1 = repo.commit('add config');
    const d1 = repo.lastDate();
    repo.write('config/app.env', 'TOKEN=second\n');
    repo.write('gone.txt', 'deleted later\n');
    const c2 = repo.commit('modify', { name: 'Other Person', email: 'other@example.test' });
    repo.remove('gone.txt');
    repo.git('mv', 'keep.txt', 'renamed.txt');
    repo.commit('delete and rename');
    repo.write('again.env', 'TOKEN=first\n'); // the first blob again, at another path
    repo.commit('reintroduce');
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write('feature.txt', 'only on a branch\n');
    const c5 = repo.commit('branch only');
    repo.git('checkout', '-q', 'main');
    repo.git('tag', 'blob-tag', writeTaggedBlob(repo.dir));

    const { result, blobs, byContent } = await readAll(repo.dir);
    expect(blobs.map((b) => b.data.toString()).sort()).toEqual(
      [
        'TOKEN=first\n',
        'TOKEN=second\n',
        'kept\n',
        'deleted later\n',
        'only on a branch\n',
        'only in a tag\n',
      ].sort(),
    );
    expect(new Set(blobs.map((b) => b.oid)).size).toBe(blobs.length);
    expect(result).toMatchObject({ commits: 5, blobs: 6, skipped: {}, problems: [] });

    expect(byContent.get('TOKEN=first\n')).toMatchObject({
      path: 'config/app.env',
      commit: c1,
      author: 'Test Author <author@example.test>',
      date: d1,
    });
    expect(byContent.get('TOKEN=second\n')).toMatchObject({
      commit: c2,
      author: 'Other Person <other@example.test>',
    });
    expect(byContent.get('deleted later\n')).toMatchObject({ path: 'gone.txt', commit: c2 });
    expect(byContent.get('kept\n')).toMatchObject({ path: 'keep.txt', commit: c1 });
    expect(byContent.get('only on a branch\n')).toMatchObject({ path: 'feature.txt', commit: c5 });
    expect(byContent.get('only in a tag\n')).toMatchObject({ path: 'refs/tags/blob-tag', commit: '' });
    expect(byContent.get('kept\n')?.oid).toBe(repo.blobOid('kept\n'));

    expect(result.headOids).toEqual(
      new Set([repo.blobOid('TOKEN=second\n'), repo.blobOid('kept\n'), repo.blobOid('TOKEN=first\n')]),
    );
  });

  it('reads what a merge itself introduced (a conflict resolution), once', async () => {
    const repo = createGitFixture(join(root, 'repo'));
    repo.write('a.txt', 'base\n');
    repo.commit('base');
    repo.git('checkout', '-q', '-b', 'left');
    repo.write('a.txt', 'left\n');
    repo.commit('left');
    repo.git('checkout', '-q', 'main');
    repo.write('a.txt', 'right\n');
    repo.commit('right');
    expect(() => repo.git('merge', '-q', 'left')).toThrow();
    repo.write('a.txt', 'resolved by hand\n');
    const merge = repo.commit('merge');
    const { byContent, blobs } = await readAll(repo.dir);
    expect(blobs).toHaveLength(4);
    expect(byContent.get('resolved by hand\n')).toMatchObject({ path: 'a.txt', commit: merge });
  });

  it('skips binaries, too-large blobs, symlinks and submodule links', async () => {
    const repo = createGitFixture(join(root, 'repo'));
    repo.write('image.bin', Buffer.from([0x89, 0x50, 0x00, 0x01, 0x02]));
    repo.write('big.txt', 'x'.repeat(5000));
    repo.write('small.txt', 'small\n');
    symlinkSync('small.txt', join(repo.dir, 'link'));
    repo.commit('mixed');
    const sub = repo.commit('for the gitlink');
    repo.git('update-index', '--add', '--cacheinfo', `160000,${sub},vendor/sub`);
    execFileSync('git', ['commit', '-q', '-m', 'submodule'], { cwd: repo.dir, env: gitEnv() });
    const { result, blobs } = await readAll(repo.dir, { maxFileBytes: 4096 });
    expect(blobs.map((b) => b.path)).toEqual(['small.txt']);
    expect(result.skipped).toEqual({ binary: 1, 'too large': 1 });
    expect(result.blobs).toBe(1);
  });

  it('keeps paths with spaces, unicode and newlines verbatim', async () => {
    const repo = createGitFixture(join(root, 'repo'));
    const odd = 'dir with space/ünï cödé\nsecond line "quoted".env';
    repo.write(odd, 'odd\n');
    repo.commit('odd path');
    const { blobs } = await readAll(repo.dir);
    expect(blobs.map((b) => b.path)).toEqual([odd]);
  });

  it('reads an empty repository as nothing', async () => {
    createGitFixture(join(root, 'empty'));
    const { result, blobs } = await readAll(join(root, 'empty'));
    expect(blobs).toEqual([]);
    expect(result).toMatchObject({ commits: 0, blobs: 0, problems: [], skipped: {} });
    expect(result.headOids.size).toBe(0);
  });

  it('rejects a directory that is not a repository, and a path that does not exist', async () => {
    await expect(readAll(root)).rejects.toBeInstanceOf(KeywardError);
    await expect(readAll(root)).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(readAll(join(root, 'nope'))).rejects.toMatchObject({ code: 'validation_failed' });
    expect(await isGitRepository(root)).toBe(false);
    expect(await isGitRepository(join(root, 'nope'))).toBe(false);
  });

  it('reads bare, shallow and orphan-branch repositories and works from a subdirectory or a worktree', async () => {
    const repo = createGitFixture(join(root, 'repo'));
    repo.write('src/one.txt', 'one\n');
    repo.commit('one');
    repo.write('src/two.txt', 'two\n');
    const c2 = repo.commit('two');
    repo.git('checkout', '-q', '--orphan', 'orphan');
    repo.git('rm', '-rq', '--cached', '.');
    repo.remove('src/one.txt');
    repo.remove('src/two.txt');
    repo.write('orphan.txt', 'orphan\n');
    repo.commit('orphan root');
    repo.git('checkout', '-q', 'main');

    const all = ['one\n', 'orphan\n', 'two\n'];
    const contents = async (dir: string) => (await readAll(dir)).blobs.map((b) => b.data.toString()).sort();
    expect(await contents(repo.dir)).toEqual(all);
    expect(await contents(join(repo.dir, 'src'))).toEqual(all);
    expect((await readAll(join(repo.dir, 'src'))).byContent.get('two\n')?.path).toBe('src/two.txt');

    const bare = join(root, 'bare.git');
    execFileSync('git', ['clone', '-q', '--bare', repo.dir, bare], { env: gitEnv() });
    expect(await isGitRepository(bare)).toBe(true);
    expect(await contents(bare)).toEqual(all);

    const shallow = join(root, 'shallow');
    execFileSync('git', ['clone', '-q', '--depth', '1', `file://${repo.dir}`, shallow], { env: gitEnv() });
    const read = await readAll(shallow);
    expect(read.blobs.map((b) => b.data.toString()).sort()).toEqual(['one\n', 'two\n']);
    expect(read.byContent.get('one\n')?.commit).toBe(c2); // the shallow boundary adds everything

    const worktree = join(root, 'worktree');
    repo.git('worktree', 'add', '-q', worktree, 'orphan');
    expect(await isGitRepository(worktree)).toBe(true);
    const fromWorktree = await readAll(worktree);
    expect(fromWorktree.blobs.map((b) => b.data.toString()).sort()).toEqual(all);
    expect(fromWorktree.result.headOids).toEqual(new Set([repo.blobOid('orphan\n')]));
  });

  it('reports a corrupt object as a problem and still delivers the other blobs', async () => {
    const repo = createGitFixture(join(root, 'repo'));
    repo.write('a.txt', 'first file\n');
    repo.write('b.txt', 'second file, overwritten with garbage\n');
    repo.write('c.txt', 'third file\n');
    const commit = repo.commit('three files');
    const bad = repo.blobOid('second file, overwritten with garbage\n');
    const file = looseObjectPath(repo.dir, bad);
    chmodSync(file, 0o644);
    writeFileSync(file, 'this is not a zlib stream');

    const { result, blobs } = await readAll(repo.dir);
    expect(blobs.map((b) => b.path).sort()).toEqual(['a.txt', 'c.txt']);
    expect(result.skipped).toEqual({ 'missing object': 1 });
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]?.path).toBe(`b.txt@${commit.slice(0, 7)}`);
    expect(result.problems[0]?.reason).toContain(bad);
  });

  it('carries on past an object git dies reading (a truncated body)', async () => {
    const repo = createGitFixture(join(root, 'repo'));
    const long = Array.from({ length: 400 }, (_, i) => `line ${i} ${(i * 7919) % 1000}`).join('\n');
    repo.write('1.txt', 'before\n');
    repo.write('2.txt', long);
    repo.write('3.txt', 'after\n');
    repo.commit('files');
    const bad = repo.blobOid(long);
    const file = looseObjectPath(repo.dir, bad);
    const whole = deflateSync(
      Buffer.concat([Buffer.from(`blob ${Buffer.byteLength(long)}\0`), Buffer.from(long)]),
    );
    expect(readFileSync(file).length).toBeGreaterThan(20);
    chmodSync(file, 0o644);
    writeFileSync(file, whole.subarray(0, Math.floor(whole.length / 2)));

    const { result, blobs } = await readAll(repo.dir);
    expect(blobs.map((b) => b.path).sort()).toEqual(['1.txt', '3.txt']);
    expect(result.problems.map((p) => p.path)).toEqual([expect.stringMatching(/^2\.txt@/)]);
    expect(result.skipped).toEqual({ 'corrupt object': 1 });
    expect(result.problems[0]?.reason).toContain(bad);
  });

  it('awaits onBlob before reading on, reports progress in blobs, and stops on abort', async () => {
    const repo = createGitFixture(join(root, 'repo'));
    for (let i = 0; i < 30; i++) repo.write(`f${i}.txt`, `file ${i}\n`);
    repo.commit('thirty');
    let active = 0;
    let maxActive = 0;
    const progress: Array<[number, number]> = [];
    const { blobs } = await readAll(repo.dir, {
      onBlob: async () => {
        maxActive = Math.max(maxActive, ++active);
        await new Promise((r) => setTimeout(r, 1));
        active--;
      },
      onProgress: (done, total) => progress.push([done, total]),
    });
    expect(blobs).toHaveLength(0); // the custom onBlob replaced the collector
    expect(maxActive).toBe(1);
    expect(progress.at(-1)).toEqual([30, 30]);

    const controller = new AbortController();
    let seen = 0;
    const reading = readGitHistory(repo.dir, {
      maxFileBytes: 1e6,
      signal: controller.signal,
      onBlob: () => {
        if (++seen === 3) controller.abort(new Error('stop'));
      },
    });
    await expect(reading).rejects.toThrow('stop');
    expect(seen).toBe(3);
  });
});

describe('readGitHistory, more refs and damage', () => {
  it('reads blobs behind annotated tags, tree tags and the stash', async () => {
    const repo = createGitFixture(join(root, 'repo'));
    repo.write('tracked.txt', 'committed\n');
    repo.commit('base');
    const blob = writeTaggedBlob(repo.dir, 'behind an annotated tag\n');
    execFileSync('git', ['tag', '-a', '-m', 'a blob', 'annotated', blob], {
      cwd: repo.dir,
      env: { ...gitEnv(), GIT_COMMITTER_DATE: '2024-05-05T05:05:05Z' },
    });
    const inTree = writeTaggedBlob(repo.dir, 'inside a tagged tree\n');
    const index = { ...gitEnv(), GIT_INDEX_FILE: join(root, 'other-index') };
    const cacheinfo = `100644,${inTree},deep/file.txt`;
    execFileSync('git', ['update-index', '--add', '--cacheinfo', cacheinfo], { cwd: repo.dir, env: index });
    const tree = execFileSync('git', ['write-tree'], { cwd: repo.dir, env: index, encoding: 'utf8' }).trim();
    repo.git('tag', 'a-tree', tree);
    repo.write('tracked.txt', 'stashed, never committed\n');
    repo.git('stash', '-q');

    const { byContent, result } = await readAll(repo.dir);
    expect(byContent.get('behind an annotated tag\n')).toMatchObject({
      path: 'refs/tags/annotated',
      commit: '',
      author: 'Test Committer <committer@example.test>',
      date: '2024-05-05T05:05:05+00:00',
    });
    expect(byContent.get('inside a tagged tree\n')).toMatchObject({ path: 'deep/file.txt', commit: '' });
    expect(byContent.get('stashed, never committed\n')).toMatchObject({ path: 'tracked.txt' });
    expect(byContent.get('stashed, never committed\n')?.commit).toBe(repo.git('rev-parse', 'refs/stash'));
    expect(result.problems).toEqual([]);
  });

  it('resolves with a problem when the log stops at a corrupt tree, keeping the blobs read before it', async () => {
    const repo = createGitFixture(join(root, 'repo'));
    repo.write('early.txt', 'early\n');
    repo.commit('early');
    repo.write('sub/late.txt', 'late\n');
    repo.commit('late');
    const subtree = repo.git('rev-parse', 'HEAD:sub');
    const file = looseObjectPath(repo.dir, subtree);
    chmodSync(file, 0o644);
    writeFileSync(file, 'garbage');
    const { result, blobs } = await readAll(repo.dir);
    expect(blobs.map((b) => b.path)).toContain('early.txt');
    expect(result.problems.length).toBeGreaterThan(0);
    expect(result.problems.some((p) => /git log stopped/.test(p.reason))).toBe(true);
  });

  it('resolves (nothing read, problems listed) when a commit object is corrupt', async () => {
    const repo = createGitFixture(join(root, 'repo'));
    repo.write('a.txt', 'a\n');
    const commit = repo.commit('only');
    const file = looseObjectPath(repo.dir, commit);
    chmodSync(file, 0o644);
    writeFileSync(file, 'garbage');
    const { result, blobs } = await readAll(repo.dir);
    expect(blobs).toEqual([]);
    expect(result.problems.length).toBeGreaterThan(0);
  });

  it('leaves no git process behind after a read, an abort or a throwing onBlob', async () => {
    const repo = createGitFixture(join(root, 'repo'));
    for (let i = 0; i < 20; i++) repo.write(`f${i}.txt`, `file ${i}\n`);
    repo.commit('twenty');
    const children = () =>
      execFileSync('ps', ['-o', 'pid=,stat=,comm=', '--ppid', String(process.pid)], { encoding: 'utf8' })
        .split('\n')
        .filter((line) => /\bgit\b/.test(line));
    await readAll(repo.dir);
    expect(children()).toEqual([]);
    const early = new AbortController();
    early.abort(new Error('before start'));
    await expect(readAll(repo.dir, { signal: early.signal })).rejects.toThrow('before start');
    await expect(
      readAll(repo.dir, {
        onBlob: () => {
          throw new Error('consumer failed');
        },
      }),
    ).rejects.toThrow('consumer failed');
    expect(children()).toEqual([]);
  });

  it('says so when git cannot be found', async () => {
    const path = process.env['PATH'];
    process.env['PATH'] = join(root, 'no-bin');
    try {
      await expect(isGitRepository(root)).rejects.toMatchObject({
        code: 'validation_failed',
        message: expect.stringMatching(/git is not installed/),
      });
    } finally {
      process.env['PATH'] = path;
    }
  });
});

/** A blob reachable only through a tag. */
function writeTaggedBlob(dir: string, content = 'only in a tag\n'): string {
  return execFileSync('git', ['hash-object', '-w', '--stdin'], {
    cwd: dir,
    env: gitEnv(),
    input: content,
    encoding: 'utf8',
  }).trim();
}
