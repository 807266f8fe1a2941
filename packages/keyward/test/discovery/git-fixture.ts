/**
 * Real git repositories for tests, built with the git CLI in a temporary directory: no user or
 * system configuration, fixed identities, and a clock that advances one minute per commit so the
 * order of commits (and the attribution of blobs) is deterministic.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface GitFixture {
  dir: string;
  git(...args: string[]): string;
  write(path: string, content: string | Buffer): void;
  remove(path: string): void;
  /** Stages everything and commits; returns the new commit's sha. */
  commit(message: string, author?: { name: string; email: string }): string;
  /** ISO date of the last commit made through `commit`. */
  lastDate(): string;
  /** The blob oid of `content`, as git would store it. */
  blobOid(content: string | Buffer): string;
}

const T0 = Date.parse('2024-03-01T10:00:00Z');

export function gitEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    GIT_AUTHOR_NAME: 'Test Author',
    GIT_AUTHOR_EMAIL: 'author@example.test',
    GIT_COMMITTER_NAME: 'Test Committer',
    GIT_COMMITTER_EMAIL: 'committer@example.test',
  };
}

export function createGitFixture(dir: string, init: string[] = ['init', '-q', '-b', 'main']): GitFixture {
  mkdirSync(dir, { recursive: true });
  let tick = 0;
  let last = '';
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: dir,
      env: envFor(),
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
    }).trim();
  const envFor = (author?: { name: string; email: string }) => {
    const date = new Date(T0 + tick * 60_000).toISOString();
    return {
      ...gitEnv(),
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_DATE: date,
      ...(author ? { GIT_AUTHOR_NAME: author.name, GIT_AUTHOR_EMAIL: author.email } : {}),
    };
  };
  git(...init);
  return {
    dir,
    git,
    write(path, content) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    },
    remove(path) {
      rmSync(join(dir, path), { force: true });
    },
    commit(message, author) {
      tick++;
      last = new Date(T0 + tick * 60_000).toISOString().replace('.000Z', '+00:00');
      const env = envFor(author);
      execFileSync('git', ['add', '-A'], { cwd: dir, env });
      execFileSync('git', ['commit', '-q', '--allow-empty', '-m', message], { cwd: dir, env });
      return git('rev-parse', 'HEAD');
    },
    lastDate: () => last,
    blobOid(content) {
      return execFileSync('git', ['hash-object', '--stdin'], {
        cwd: dir,
        env: envFor(),
        input: content,
        encoding: 'utf8',
      }).trim();
    },
  };
}
