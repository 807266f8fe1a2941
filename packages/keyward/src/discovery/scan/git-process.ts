/**
 * Running the git CLI for the history reader: argument arrays (never a shell), no prompts, no pager,
 * C locale, no replace objects, no signature checks or external diff drivers, and repository
 * discovery only from the directory given (GIT_DIR & co. of our own environment are dropped, or a
 * scan started from a git hook would read the hook's repository). stderr is captured (capped) for
 * problem reports; a child is killed when the caller aborts, and `exited` settles only once the
 * process is gone, so no read leaves a process behind.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { KeywardError } from '../../errors.js';

/** Options that make git's output independent of the user's and the repository's configuration. */
const GLOBAL_ARGS = [
  '--no-pager',
  '--no-replace-objects',
  '-c',
  'core.quotepath=off',
  '-c',
  'core.fsmonitor=false',
  '-c',
  'log.showSignature=false',
  '-c',
  'log.showRoot=true',
  '-c',
  'color.ui=false',
];

/** Variables that would point git at another repository, index or object store than `cwd`'s. */
const DROPPED_ENV = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_COMMON_DIR',
  'GIT_NAMESPACE',
  'GIT_REPLACE_REF_BASE',
];

/** Enough stderr to quote git's complaint and to find per-object errors; the rest is dropped. */
const STDERR_CAP = 64 * 1024;

export interface GitExit {
  code: number | null;
  /** A spawn failure (git not installed …); undefined when git ran. */
  error: Error | undefined;
}

export interface GitChild {
  child: ChildProcessWithoutNullStreams;
  /** Settles (never rejects) when the process has exited and its pipes are closed. */
  exited: Promise<GitExit>;
  /** What git wrote to stderr so far (at most 64 KiB). */
  stderr(): string;
  kill(): void;
}

function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of DROPPED_ENV) delete env[name];
  env['GIT_TERMINAL_PROMPT'] = '0';
  env['GIT_PAGER'] = 'cat';
  env['PAGER'] = 'cat';
  env['LC_ALL'] = 'C';
  env['LANGUAGE'] = 'C';
  // Reading must not take or wait for the index lock a concurrent `git commit` holds.
  env['GIT_OPTIONAL_LOCKS'] = '0';
  return env;
}

/** Starts `git <args>` in `cwd`. Every stream has an error listener: a dead pipe is not a crash. */
export function spawnGit(cwd: string, args: readonly string[]): GitChild {
  const child = spawn('git', [...GLOBAL_ARGS, ...args], {
    cwd,
    env: gitEnv(),
    stdio: ['pipe', 'pipe', 'pipe'],
    windowsHide: true,
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    if (stderr.length < STDERR_CAP) stderr += text.slice(0, STDERR_CAP - stderr.length);
  });
  // EPIPE when git exits while we still write oids, ECONNRESET on kill: the exit code tells the story.
  child.stdin.on('error', () => {});
  child.stdout.on('error', () => {});
  child.stderr.on('error', () => {});
  const exited = new Promise<GitExit>((resolve) => {
    let spawnError: Error | undefined;
    child.once('error', (error) => {
      spawnError = error;
      // A failed spawn emits no 'close' on some Node versions when no pipe was opened.
      if (child.pid === undefined) resolve({ code: null, error });
    });
    child.once('close', (code) => resolve({ code, error: spawnError }));
  });
  return {
    child,
    exited,
    stderr: () => stderr,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

/** The error for a git that could not be started at all. */
export function gitUnavailable(error: Error): KeywardError {
  const code = (error as NodeJS.ErrnoException).code;
  const message =
    code === 'ENOENT'
      ? 'git is not installed or not on PATH: reading a repository history needs the git CLI'
      : `git could not be started: ${error.message}`;
  return new KeywardError('validation_failed', message, { cause: error });
}

/** git's complaint for a problem report: its first `fatal:`/`error:` line (else first line), capped. */
export function gitComplaint(stderr: string, fallback: string): string {
  const lines = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const line = lines.find((l) => /^(fatal|error):/.test(l)) ?? lines[0];
  if (line === undefined) return fallback;
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

export interface GitOutput {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** Runs a short git command to completion (small outputs only: rev-parse, for-each-ref, ls-tree). */
export async function runGit(cwd: string, args: readonly string[], signal?: AbortSignal): Promise<GitOutput> {
  const git = spawnGit(cwd, args);
  const onAbort = () => git.kill();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    git.child.stdin.end();
    const chunks: Buffer[] = [];
    git.child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    const exit = await git.exited;
    if (exit.error) throw gitUnavailable(exit.error);
    signal?.throwIfAborted();
    return { code: exit.code, stdout: Buffer.concat(chunks), stderr: git.stderr() };
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
