/**
 * Reading many objects through one long-lived `git cat-file --batch` (contents) or `--batch-check`
 * (type and size only). Oids are written while answers are read, so neither pipe fills up;
 * `onObject` is awaited before more output is read, which is the backpressure: a slow consumer stops
 * git, not our memory. Git answers `<oid> missing` for absent objects and for loose objects it cannot
 * even unpack the header of; those are listed with the stderr line that names them. An object git
 * dies on (a loose object whose body is truncated) ends the process: it is reported as failed and a
 * fresh process reads on from the next oid, so one bad object does not hide the rest.
 */
import { once } from 'node:events';
import { gitComplaint, gitUnavailable, spawnGit } from './git-process.js';

export interface GitObject {
  oid: string;
  type: string;
  size: number;
  /** The object's bytes (contents mode only); the Buffer owns its memory, so it can be transferred. */
  data: Buffer | undefined;
}

export interface ObjectReadOptions {
  contents: boolean;
  onObject: (object: GitObject) => void | Promise<void>;
  /** An object git reported missing (or could not unpack) or died reading; `reason` is git's line. */
  onUnreadable: (oid: string, reason: string) => void;
  signal?: AbortSignal | undefined;
}

/** After this many git processes died on bad objects, the remaining oids are reported unread. */
const MAX_FAILED_SESSIONS = 50;
const WRITE_BATCH = 2000;

interface Session {
  /** Index of the first oid git did not answer. */
  next: number;
  missing: string[];
  stderr: string;
  failed: boolean;
}

async function writeOids(
  stdin: NodeJS.WritableStream,
  oids: readonly string[],
  from: number,
  exited: Promise<unknown>,
  dead: () => boolean,
) {
  for (let i = from; i < oids.length && !dead(); i += WRITE_BATCH) {
    const text = `${oids.slice(i, i + WRITE_BATCH).join('\n')}\n`;
    if (!stdin.write(text)) await Promise.race([once(stdin, 'drain'), exited]);
  }
  stdin.end();
}

async function session(
  repo: string,
  oids: readonly string[],
  from: number,
  options: ObjectReadOptions,
): Promise<Session> {
  const git = spawnGit(repo, ['cat-file', options.contents ? '--batch' : '--batch-check', '--buffer']);
  const onAbort = () => git.kill();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let exited = false;
  void git.exited.then(() => {
    exited = true;
  });
  // A write that fails because git died is not an error of its own: the missing answers are.
  const writing = writeOids(git.child.stdin, oids, from, git.exited, () => exited).catch(() => {});
  const missing: string[] = [];
  let next = from;
  let head = Buffer.alloc(0);
  let body: { object: GitObject; parts: Buffer[]; have: number } | undefined;

  const finishBody = async (current: NonNullable<typeof body>) => {
    const data = Buffer.allocUnsafeSlow(current.object.size);
    let at = 0;
    for (const part of current.parts) at += part.copy(data, at, 0, Math.min(part.length, data.length - at));
    body = undefined;
    next++;
    await options.onObject({ ...current.object, data });
  };

  let finished = false;
  try {
    for await (const chunk of git.child.stdout as AsyncIterable<Buffer>) {
      let data = head.length > 0 ? Buffer.concat([head, chunk]) : chunk;
      head = Buffer.alloc(0);
      while (data.length > 0) {
        if (body) {
          // The body plus git's trailing newline.
          const want = body.object.size + 1 - body.have;
          const take = Math.min(want, data.length);
          body.parts.push(data.subarray(0, take));
          body.have += take;
          data = data.subarray(take);
          if (take === want) await finishBody(body);
          continue;
        }
        const newline = data.indexOf(0x0a);
        if (newline === -1) {
          head = Buffer.from(data);
          break;
        }
        const line = data.toString('latin1', 0, newline);
        data = data.subarray(newline + 1);
        const [oid = '', type = '', size = ''] = line.split(' ');
        if (type === 'missing' || type === 'ambiguous' || size === '') {
          missing.push(oid);
          next++;
          continue;
        }
        const object: GitObject = { oid, type, size: Number(size), data: undefined };
        if (options.contents) body = { object, parts: [], have: 0 };
        else {
          next++;
          await options.onObject(object);
        }
      }
    }
    finished = true;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    // Killed only when we stop early (onObject threw): a git that answered everything exits by itself.
    if (!finished) git.kill();
    await writing;
    // The process is reaped before the read settles, whichever way it ends.
    await git.exited;
  }
  const exit = await git.exited;
  if (exit.error) throw gitUnavailable(exit.error);
  options.signal?.throwIfAborted();
  return { next, missing, stderr: git.stderr(), failed: next < oids.length };
}

/** Reads `oids` in order; resolves when each was delivered or reported unreadable. */
export async function readObjects(
  repo: string,
  oids: readonly string[],
  options: ObjectReadOptions,
): Promise<void> {
  let from = 0;
  let failures = 0;
  while (from < oids.length) {
    const result = await session(repo, oids, from, options);
    for (const oid of result.missing) {
      const line = result.stderr.split('\n').find((l) => l.includes(oid));
      options.onUnreadable(oid, line ? gitComplaint(line, 'object missing') : 'object missing');
    }
    if (!result.failed) return;
    const bad = oids[result.next];
    if (bad === undefined) return;
    options.onUnreadable(bad, gitComplaint(result.stderr, 'git cat-file stopped reading this object'));
    from = result.next + 1;
    if (++failures >= MAX_FAILED_SESSIONS) {
      for (const oid of oids.slice(from))
        options.onUnreadable(oid, `not read: git failed on ${failures} objects already`);
      return;
    }
  }
}
