/**
 * Incremental parser of `git log -z --raw -c --format=%x01%H%x00%an <%ae>%x00%aI` output (the
 * arguments are LOG_FORMAT_ARGS, kept here next to the parser that depends on them). With -z every
 * field ends in NUL, so paths with spaces, quotes or newlines arrive verbatim. The stream is a
 * sequence of NUL-terminated tokens:
 *
 *   \x01<commit sha>  <author>  <ISO date>                    one commit header
 *   [\n]:<old mode> <new mode> <old sha> <new sha> <status>  <path>          one change
 *   [\n]::<modes…> <parent shas…> <result sha> <statuses>    <path>          a merge's combined change
 *
 * Merges show (with -c) only paths that differ from every parent: content a merge itself created
 * (a conflict resolution, an "evil" merge); a merge result equal to one parent came from that parent.
 * Chunks may split a token anywhere; the parser keeps the partial tail. It never throws.
 */

export const LOG_FORMAT_ARGS = ['--format=%x01%H%x00%an <%ae>%x00%aI', '-z', '--raw', '-c', '--no-abbrev'];

export interface LogCommit {
  sha: string;
  author: string;
  date: string;
}

export interface LogChange {
  /** The blob (or gitlink) the path has after the commit. */
  oid: string;
  /** Its mode after the commit: 100644, 100755, 120000 (symlink), 160000 (submodule) … */
  mode: string;
  path: string;
}

export interface LogParser {
  push(chunk: Buffer): void;
  /** Flushes a final token that had no NUL (a truncated stream). */
  end(): void;
}

type State = 'any' | 'author' | 'date' | 'path';

const ZERO_OID = /^0+$/;

/** The new side of a raw line: last mode and last oid; undefined for deletions and malformed lines. */
function parseRaw(token: string): { oid: string; mode: string } | undefined {
  const colons = token.startsWith('::') ? token.search(/[^:]/) : 1;
  const parents = Math.max(colons, 1);
  const fields = token.slice(colons).split(' ');
  // parents+1 modes, parents+1 oids, then the status letters.
  if (fields.length !== 2 * (parents + 1) + 1) return undefined;
  const mode = fields[parents];
  const oid = fields[2 * parents + 1];
  const status = fields[fields.length - 1] ?? '';
  if (mode === undefined || oid === undefined || ZERO_OID.test(oid) || !/^[0-9a-f]+$/.test(oid))
    return undefined;
  if (/^D+$/.test(status)) return undefined;
  return { oid, mode };
}

export function createLogParser(
  onCommit: (commit: LogCommit) => void,
  onChange: (change: LogChange) => void,
): LogParser {
  let state: State = 'any';
  let tail: Buffer | undefined;
  let sha = '';
  let author = '';
  let pending: { oid: string; mode: string } | undefined;

  const token = (bytes: Buffer) => {
    switch (state) {
      case 'author':
        author = bytes.toString('utf8');
        state = 'date';
        return;
      case 'date':
        onCommit({ sha, author, date: bytes.toString('latin1') });
        state = 'any';
        return;
      case 'path':
        if (pending) onChange({ ...pending, path: bytes.toString('utf8') });
        pending = undefined;
        state = 'any';
        return;
      case 'any': {
        let start = 0;
        while (start < bytes.length && bytes[start] === 0x0a) start++;
        if (start === bytes.length) return;
        const first = bytes[start];
        if (first === 0x01) {
          sha = bytes.toString('latin1', start + 1);
          state = 'author';
        } else if (first === 0x3a /* ':' */) {
          pending = parseRaw(bytes.toString('latin1', start));
          state = 'path';
        }
        // Anything else is noise git does not print with these arguments; skipped, not fatal.
      }
    }
  };

  return {
    push(chunk) {
      const data = tail ? Buffer.concat([tail, chunk]) : chunk;
      tail = undefined;
      let from = 0;
      for (let nul = data.indexOf(0, from); nul !== -1; nul = data.indexOf(0, from)) {
        token(data.subarray(from, nul));
        from = nul + 1;
      }
      if (from < data.length) tail = Buffer.from(data.subarray(from));
    },
    end() {
      if (tail && tail.length > 0) token(tail);
      tail = undefined;
    },
  };
}
