/**
 * A line diff by longest common subsequence, for comparing policy versions. Common leading and
 * trailing lines are cut off first (edits are usually local, so the table stays small); past
 * MAX_CELLS the middle is shown as all-deleted then all-added rather than freezing the tab.
 */

export interface DiffLine {
  kind: 'same' | 'add' | 'del';
  text: string;
  /** 1-based line numbers in the old and the new text (absent on the side the line is not in). */
  oldNo?: number;
  newNo?: number;
}

const MAX_CELLS = 4_000_000;

export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r?\n/);
  // A final newline ends the last line rather than starting an empty one.
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function lineDiff(oldText: string, newText: string): DiffLine[] {
  const a = splitLines(oldText);
  const b = splitLines(newText);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const out: DiffLine[] = [];
  for (let i = 0; i < start; i++) out.push({ kind: 'same', text: a[i]!, oldNo: i + 1, newNo: i + 1 });
  out.push(...middle(a, b, start, endA, endB));
  for (let i = endA, j = endB; i < a.length; i++, j++) {
    out.push({ kind: 'same', text: a[i]!, oldNo: i + 1, newNo: j + 1 });
  }
  return out;
}

function middle(a: string[], b: string[], start: number, endA: number, endB: number): DiffLine[] {
  const n = endA - start;
  const m = endB - start;
  const out: DiffLine[] = [];
  if (n * m > MAX_CELLS) {
    for (let i = start; i < endA; i++) out.push({ kind: 'del', text: a[i]!, oldNo: i + 1 });
    for (let j = start; j < endB; j++) out.push({ kind: 'add', text: b[j]!, newNo: j + 1 });
    return out;
  }
  // lcs[i][j]: LCS length of a[start+i..endA) and b[start+j..endB), in one flat array.
  const w = m + 1;
  const lcs = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * w + j] =
        a[start + i] === b[start + j]
          ? lcs[(i + 1) * w + j + 1]! + 1
          : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
    }
  }
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[start + i] === b[start + j]) {
      out.push({ kind: 'same', text: a[start + i]!, oldNo: start + i + 1, newNo: start + j + 1 });
      i++;
      j++;
    } else if (i < n && (j === m || lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!)) {
      // On a tie the deletion goes first, so a changed line reads "- old" then "+ new".
      out.push({ kind: 'del', text: a[start + i]!, oldNo: start + i + 1 });
      i++;
    } else {
      out.push({ kind: 'add', text: b[start + j]!, newNo: start + j + 1 });
      j++;
    }
  }
  return out;
}

/** Counts of added and deleted lines, for a summary. */
export function diffStats(lines: DiffLine[]): { added: number; deleted: number } {
  let added = 0;
  let deleted = 0;
  for (const l of lines) {
    if (l.kind === 'add') added++;
    else if (l.kind === 'del') deleted++;
  }
  return { added, deleted };
}

export type DiffRow = DiffLine | { kind: 'skip'; count: number };

/**
 * The diff with long unchanged stretches folded to `{kind: 'skip'}`, keeping `context` lines around
 * each change, so a one-line edit in a long file reads at a glance.
 */
export function foldUnchanged(lines: DiffLine[], context = 3): DiffRow[] {
  const keep = new Uint8Array(lines.length);
  lines.forEach((l, i) => {
    if (l.kind === 'same') return;
    for (let k = Math.max(0, i - context); k <= Math.min(lines.length - 1, i + context); k++) keep[k] = 1;
  });
  const out: DiffRow[] = [];
  let skipped = 0;
  lines.forEach((l, i) => {
    if (keep[i]) {
      if (skipped) out.push({ kind: 'skip', count: skipped });
      skipped = 0;
      out.push(l);
    } else skipped++;
  });
  if (skipped) out.push({ kind: 'skip', count: skipped });
  // Folding a single line saves nothing: show it.
  return out.flatMap((r, idx) => {
    if (r.kind !== 'skip' || r.count > 1) return [r];
    const before = out.slice(0, idx).reduce((n, x) => n + (x.kind === 'skip' ? x.count : 1), 0);
    return [lines[before]!];
  });
}
