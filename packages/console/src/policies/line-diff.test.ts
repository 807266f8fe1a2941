import { describe, expect, it } from 'vitest';
import { diffStats, foldUnchanged, lineDiff, splitLines } from './line-diff.js';

const render = (old: string, next: string): string[] =>
  lineDiff(old, next).map((l) => `${l.kind === 'add' ? '+' : l.kind === 'del' ? '-' : ' '}${l.text}`);

describe('lineDiff', () => {
  it('keeps equal texts as unchanged lines with both line numbers', () => {
    const d = lineDiff('a\nb\n', 'a\nb\n');
    expect(d).toEqual([
      { kind: 'same', text: 'a', oldNo: 1, newNo: 1 },
      { kind: 'same', text: 'b', oldNo: 2, newNo: 2 },
    ]);
  });

  it('marks a changed line in the middle as deleted then added', () => {
    expect(render('a\nb\nc', 'a\nB\nc')).toEqual([' a', '-b', '+B', ' c']);
  });

  it('finds the longest common subsequence across moves', () => {
    expect(render('a\nb\nc\nd', 'b\nc\nx\nd\ne')).toEqual(['-a', ' b', ' c', '+x', ' d', '+e']);
  });

  it('numbers lines on each side', () => {
    const d = lineDiff('x\ny', 'w\nx\ny');
    expect(d[0]).toEqual({ kind: 'add', text: 'w', newNo: 1 });
    expect(d[1]).toEqual({ kind: 'same', text: 'x', oldNo: 1, newNo: 2 });
  });

  it('handles empty sides', () => {
    expect(render('', 'a\nb')).toEqual(['+a', '+b']);
    expect(render('a', '')).toEqual(['-a']);
    expect(diffStats(lineDiff('a\nb\nc', 'a\nd'))).toEqual({ added: 1, deleted: 2 });
  });

  it('does not count a final newline as a line', () => {
    expect(splitLines('a\r\nb\n')).toEqual(['a', 'b']);
  });
});

describe('foldUnchanged', () => {
  const text = (n: number) => Array.from({ length: n }, (_, i) => `l${i + 1}`).join('\n');
  it('folds unchanged stretches beyond the context', () => {
    const old = text(20);
    const next = old.replace('l10', 'L10');
    const rows = foldUnchanged(lineDiff(old, next), 2);
    expect(rows.map((r) => (r.kind === 'skip' ? `…${r.count}` : r.text))).toEqual([
      '…7',
      'l8',
      'l9',
      'l10',
      'L10',
      'l11',
      'l12',
      '…8',
    ]);
  });
  it('shows a lone unchanged line instead of folding it', () => {
    const rows = foldUnchanged(lineDiff('a\nb\nc\nd', 'A\nb\nc\nD'), 0);
    expect(rows.map((r) => (r.kind === 'skip' ? `…${r.count}` : r.text))).toEqual(['a', 'A', '…2', 'd', 'D']);
    expect(foldUnchanged(lineDiff('a\nb\nc', 'a\nB\nc'), 0).map((r) => r.kind)).toEqual([
      'same',
      'del',
      'add',
      'same',
    ]);
  });
});
