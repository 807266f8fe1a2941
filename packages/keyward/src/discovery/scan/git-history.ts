/**
 * The git-history reader of the secret scanner: every distinct blob reachable from any ref (all
 * branches, tags, remotes, the stash, other worktrees' HEADs), including files deleted since, handed
 * to the caller once each with the path, commit, author and date of the oldest commit that added it.
 *
 * Three git processes, whatever the size of the history:
 * 1. one `git log --all --reverse --date-order --raw -c -z` (git-log-walk.ts): parents come before
 *    children, so the first commit showing a blob is its attribution. Merges contribute only what
 *    differs from every parent (conflict resolutions, "evil" merges); submodule links and symlinks
 *    are not files and are skipped. Refs to a blob or a tree (git-refs.ts) are added after the log,
 *    with no commit: `commit` is '' and author/date are the tagger's (or '').
 * 2. one `git cat-file --batch-check` for every oid: sizes, so too-large blobs are never read, and
 *    missing objects.
 * 3. one `git cat-file --batch` for the rest (git-object-reader.ts), `onBlob` awaited per blob.
 *
 * A damaged repository never rejects: a log that stops half-way, an object git cannot read, a HEAD
 * tree it cannot list are problems, and everything that could be read is still delivered. It rejects
 * only when `repo` is not a git repository or git cannot run (KeywardError 'validation_failed'), when
 * `onBlob` throws, or when `signal` aborts (with the signal's reason, every git process killed).
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { KeywardError } from '../../errors.js';
import type { LogCommit } from './git-log-parser.js';
import { type BlobOrigin, NO_COMMIT, walkLog } from './git-log-walk.js';
import { readObjects } from './git-object-reader.js';
import { gitComplaint, runGit } from './git-process.js';
import { nonCommitRefs, readTree } from './git-refs.js';
import type { ScanProblem } from './scan-types.js';

export interface HistoryBlob {
  /** The blob's sha. */
  oid: string;
  /** Repo-relative path at the commit that first introduced this blob (for a ref to a blob: the ref name). */
  path: string;
  /** Sha of the oldest commit (date order, parents first) that introduced this blob at any path; '' for a blob only a tag reaches. */
  commit: string;
  /** `Name <email>` of that commit's author. */
  author: string;
  /** ISO-8601 author date of that commit. */
  date: string;
  /** The blob's bytes (a Buffer of its own, not a slice of a shared pool). */
  data: Buffer;
}

export interface HistoryReadOptions {
  /** Larger blobs are skipped (counted as 'too large', never read into memory). */
  maxFileBytes: number;
  /** Awaited before the next blob is read: backpressure. */
  onBlob: (blob: HistoryBlob) => void | Promise<void>;
  /** Units: blobs (delivered or skipped) out of every distinct blob found. */
  onProgress?: ((done: number, total: number) => void) | undefined;
  signal?: AbortSignal | undefined;
}

export interface HistoryReadResult {
  commits: number;
  /** Blobs handed to onBlob. */
  blobs: number;
  /** Reason → count: 'binary', 'too large', 'missing object', 'corrupt object'. */
  skipped: Record<string, number>;
  /** Unreadable objects (`<path>@<short commit>`), a log or tree git could not read completely. */
  problems: ScanProblem[];
  /** Every blob oid in the HEAD tree (empty for a repository without commits). */
  headOids: Set<string>;
}

/** Git's own heuristic: a NUL in the first 8000 bytes makes a file binary. */
const BINARY_SNIFF_BYTES = 8000;

async function probe(dir: string): Promise<{ ok: boolean; stderr: string }> {
  const stats = await stat(dir).catch(() => undefined);
  if (!stats?.isDirectory()) return { ok: false, stderr: '' };
  const result = await runGit(dir, ['rev-parse', '--git-dir']);
  return { ok: result.code === 0, stderr: result.stderr };
}

/** True when `dir` is inside a git work tree (or is a bare repo). Rejects only when git cannot run. */
export async function isGitRepository(dir: string): Promise<boolean> {
  return (await probe(resolve(dir))).ok;
}

/** Blobs reachable only through a ref to a blob or a tree, after everything the log found. */
async function addNonCommitRefs(
  repo: string,
  origins: Map<string, BlobOrigin>,
  problems: ScanProblem[],
  signal?: AbortSignal,
) {
  for (const ref of await nonCommitRefs(repo, signal)) {
    const commit: LogCommit = { sha: '', author: ref.tagger, date: ref.date };
    if (ref.type === 'blob') {
      if (!origins.has(ref.oid)) origins.set(ref.oid, { path: ref.ref, commit });
      continue;
    }
    const tree = await readTree(repo, ref.oid, signal);
    if (tree.problem) problems.push({ path: ref.ref, reason: tree.problem });
    for (const entry of tree.entries) {
      if (entry.type === 'blob' && entry.mode.startsWith('100') && !origins.has(entry.oid)) {
        origins.set(entry.oid, { path: entry.path, commit });
      }
    }
  }
}

export async function readGitHistory(repo: string, options: HistoryReadOptions): Promise<HistoryReadResult> {
  const { maxFileBytes, onBlob, onProgress, signal } = options;
  if (typeof onBlob !== 'function') throw new TypeError('readGitHistory: options.onBlob must be a function');
  if (!(maxFileBytes >= 0)) throw new TypeError('readGitHistory: options.maxFileBytes must be a number ≥ 0');
  const dir = resolve(repo);
  const found = await probe(dir);
  if (!found.ok) {
    const why = /dubious ownership/.test(found.stderr) ? ` (${gitComplaint(found.stderr, '')})` : '';
    throw new KeywardError('validation_failed', `${repo} is not a git repository${why}`);
  }
  signal?.throwIfAborted();

  const problems: ScanProblem[] = [];
  const skipped: Record<string, number> = {};
  const skip = (reason: string) => {
    skipped[reason] = (skipped[reason] ?? 0) + 1;
  };

  const origins = new Map<string, BlobOrigin>();
  const log = await walkLog(dir, origins, signal);
  if (log.problem) problems.push({ path: repo, reason: log.problem });
  await addNonCommitRefs(dir, origins, problems, signal);
  const head = await readTree(dir, 'HEAD', signal);
  if (head.problem) problems.push({ path: 'HEAD', reason: head.problem });
  const headOids = new Set(head.entries.filter((e) => e.type === 'blob').map((e) => e.oid));

  const total = origins.size;
  let done = 0;
  const progress = () => onProgress?.(++done, total);
  const where = (oid: string) => {
    const origin = origins.get(oid);
    if (!origin) return oid;
    return origin.commit.sha === '' ? origin.path : `${origin.path}@${origin.commit.sha.slice(0, 7)}`;
  };
  const unreadable = (kind: string) => (oid: string, reason: string) => {
    problems.push({ path: where(oid), reason: `${kind} ${oid}: ${reason}` });
    skip(kind);
    progress();
  };

  const wanted: string[] = [];
  await readObjects(dir, [...origins.keys()], {
    contents: false,
    signal,
    onUnreadable: unreadable('missing object'),
    onObject: (object) => {
      if (object.type !== 'blob') {
        skip('not a blob');
        progress();
      } else if (object.size > maxFileBytes) {
        skip('too large');
        progress();
      } else wanted.push(object.oid);
    },
  });

  let blobs = 0;
  await readObjects(dir, wanted, {
    contents: true,
    signal,
    onUnreadable: unreadable('corrupt object'),
    onObject: async (object) => {
      const data = object.data ?? Buffer.alloc(0);
      const origin = origins.get(object.oid) ?? { path: object.oid, commit: NO_COMMIT };
      if (data.subarray(0, BINARY_SNIFF_BYTES).includes(0)) skip('binary');
      else {
        blobs++;
        const { sha: commit, author, date } = origin.commit;
        await onBlob({ oid: object.oid, path: origin.path, commit, author, date, data });
        signal?.throwIfAborted();
      }
      progress();
    },
  });

  return { commits: log.commits, blobs, skipped, problems, headOids };
}
