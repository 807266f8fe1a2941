/**
 * The `git log -z --raw -c` parser on hand-written output: commit headers, raw changes, combined
 * (merge) changes, deletions, gitlinks, paths with newlines, and chunks split at every byte.
 */
import { describe, expect, it } from 'vitest';
import { createLogParser, type LogChange, type LogCommit } from '../../src/discovery/scan/git-log-parser.js';

const Z = '0'.repeat(40);
const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);
const H1 = '1'.repeat(40);
const H2 = '2'.repeat(40);
const H3 = '3'.repeat(40);

const OUTPUT = [
  `\x01${H1}\0Ann Author <ann@example.test>\x002024-03-01T10:00:00+01:00\0`,
  `\n:000000 100644 ${Z} ${A} A\0dir/a file\nwith newline\0`,
  `:000000 160000 ${Z} ${B} A\0vendor/sub\0`,
  `\x01${H2}\0Bob <bob@example.test>\x002024-03-02T10:00:00Z\0`,
  `\n:100644 100644 ${A} ${B} M\0dir/a file\nwith newline\0`,
  `:100644 000000 ${B} ${Z} D\0gone.txt\0`,
  `:100644 120000 ${A} ${C} T\0now-a-link\0`,
  `\x01${H3}\0Merge Person <m@example.test>\x002024-03-03T10:00:00Z\0`,
  `\0::100644 100644 100644 ${A} ${B} ${C} MM\0résumé.txt\0`,
  `::100644 100644 000000 ${A} ${B} ${Z} DD\0deleted-in-merge\0`,
].join('');

function parse(chunks: Buffer[]) {
  const commits: LogCommit[] = [];
  const changes: Array<LogChange & { commit: string }> = [];
  const parser = createLogParser(
    (commit) => commits.push(commit),
    (change) => changes.push({ ...change, commit: commits.at(-1)?.sha ?? '' }),
  );
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  return { commits, changes };
}

describe('createLogParser', () => {
  it('reads commits and the new side of every change that is not a deletion', () => {
    const { commits, changes } = parse([Buffer.from(OUTPUT, 'utf8')]);
    expect(commits).toEqual([
      { sha: H1, author: 'Ann Author <ann@example.test>', date: '2024-03-01T10:00:00+01:00' },
      { sha: H2, author: 'Bob <bob@example.test>', date: '2024-03-02T10:00:00Z' },
      { sha: H3, author: 'Merge Person <m@example.test>', date: '2024-03-03T10:00:00Z' },
    ]);
    expect(changes).toEqual([
      { oid: A, mode: '100644', path: 'dir/a file\nwith newline', commit: H1 },
      { oid: B, mode: '160000', path: 'vendor/sub', commit: H1 },
      { oid: B, mode: '100644', path: 'dir/a file\nwith newline', commit: H2 },
      { oid: C, mode: '120000', path: 'now-a-link', commit: H2 },
      { oid: C, mode: '100644', path: 'résumé.txt', commit: H3 },
    ]);
  });

  it('gives the same result however the stream is chunked', () => {
    const bytes = Buffer.from(OUTPUT, 'utf8');
    const whole = parse([bytes]);
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(parse([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual(whole);
    }
    const bytewise = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
    expect(parse(bytewise)).toEqual(whole);
  });

  it('ignores garbage and a truncated tail without throwing', () => {
    const { changes } = parse([Buffer.from(`noise\0:bad line\0path\0\x01${H1}\0au`)]);
    expect(changes).toEqual([]);
  });
});
