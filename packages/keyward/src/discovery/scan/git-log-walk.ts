/**
 * The one `git log` of a history read: every commit of every ref, parents before children (so the
 * first commit that shows a blob is the oldest that introduced it), streamed through
 * git-log-parser.ts into a map of blob oid → where it first appeared. Only regular files count:
 * symlinks (120000) and submodule links (160000) are not content to scan.
 */
import { createLogParser, LOG_FORMAT_ARGS, type LogCommit } from './git-log-parser.js';
import { gitComplaint, gitUnavailable, spawnGit } from './git-process.js';

export interface BlobOrigin {
  path: string;
  commit: LogCommit;
}

export const NO_COMMIT: LogCommit = { sha: '', author: '', date: '' };

/** Streams the log into `origins`; resolves to git's complaint when it stopped early. */
export async function walkLog(
  repo: string,
  origins: Map<string, BlobOrigin>,
  signal: AbortSignal | undefined,
): Promise<{ commits: number; problem: string | undefined }> {
  let commits = 0;
  let current = NO_COMMIT;
  const parser = createLogParser(
    (commit) => {
      commits++;
      current = commit;
    },
    (change) => {
      // Regular files only (100644, 100755, the old 100664): not symlinks (120000), not submodules (160000).
      if (change.mode.startsWith('100') && !origins.has(change.oid)) {
        origins.set(change.oid, { path: change.path, commit: current });
      }
    },
  );
  const git = spawnGit(repo, [
    'log',
    '--all',
    '--reverse',
    '--date-order',
    '--no-renames',
    '--no-ext-diff',
    '--no-textconv',
    '--no-relative',
    ...LOG_FORMAT_ARGS,
    '--',
  ]);
  git.child.stdin.end();
  const onAbort = () => git.kill();
  signal?.addEventListener('abort', onAbort, { once: true });
  let finished = false;
  try {
    for await (const chunk of git.child.stdout as AsyncIterable<Buffer>) parser.push(chunk);
    parser.end();
    finished = true;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    if (!finished) git.kill();
    await git.exited;
  }
  const exit = await git.exited;
  if (exit.error) throw gitUnavailable(exit.error);
  signal?.throwIfAborted();
  const problem =
    exit.code === 0 ? undefined : `git log stopped: ${gitComplaint(git.stderr(), `exit code ${exit.code}`)}`;
  return { commits, problem };
}
