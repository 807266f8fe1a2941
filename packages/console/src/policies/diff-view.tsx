/**
 * The line diff between two policy file sets, file by file (a file only on one side shows as wholly
 * added or deleted). Added lines carry `.diff-add`, deleted `.diff-del`, and a +/- sign so colour is
 * not the only signal. Long unchanged stretches are folded, with a button to show them all.
 */
import { useState } from 'react';
import { type DiffLine, diffStats, foldUnchanged, lineDiff } from './line-diff.js';
import type { PolicyFile } from './policy-types.js';

export function SetDiff({ before, after }: { before: PolicyFile[]; after: PolicyFile[] }) {
  const names = [...new Set([...before.map((f) => f.name), ...after.map((f) => f.name)])].sort();
  const textOf = (set: PolicyFile[], name: string) => set.find((f) => f.name === name)?.text;
  const files = names.map((name) => {
    const a = textOf(before, name);
    const b = textOf(after, name);
    const lines = lineDiff(a ?? '', b ?? '');
    return {
      name,
      lines,
      stats: diffStats(lines),
      status: a === undefined ? 'new file' : b === undefined ? 'removed' : '',
    };
  });
  const changed = files.filter((f) => f.stats.added + f.stats.deleted > 0);
  if (changed.length === 0)
    return (
      <p className="muted" data-testid="policy-set-diff">
        The two sets are identical.
      </p>
    );
  return (
    <div data-testid="policy-set-diff">
      {changed.map((f) => (
        <figure key={f.name} className="policy-file">
          <figcaption className="mono">
            {f.name} {f.status ? <em>({f.status})</em> : null}{' '}
            <span className="diff-add">+{f.stats.added}</span>{' '}
            <span className="diff-del">−{f.stats.deleted}</span>
          </figcaption>
          <FileDiff name={f.name} lines={f.lines} />
        </figure>
      ))}
    </div>
  );
}

function FileDiff({ name, lines }: { name: string; lines: DiffLine[] }) {
  const [all, setAll] = useState(false);
  const rows = all ? lines : foldUnchanged(lines);
  return (
    <section className="code-view" aria-label={`Changes in ${name}`}>
      <table>
        <tbody>
          {rows.map((l, i) =>
            l.kind === 'skip' ? (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional
              <tr key={i} className="diff-skip">
                <td colSpan={4}>
                  <button type="button" className="btn btn-small" onClick={() => setAll(true)}>
                    Show {l.count} unchanged lines
                  </button>
                </td>
              </tr>
            ) : (
              <tr
                // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional
                key={i}
                className={l.kind === 'add' ? 'diff-add' : l.kind === 'del' ? 'diff-del' : undefined}
              >
                <td className="ln" aria-hidden="true">
                  {l.oldNo ?? ''}
                </td>
                <td className="ln" aria-hidden="true">
                  {l.newNo ?? ''}
                </td>
                <td className="sign">{l.kind === 'add' ? '+' : l.kind === 'del' ? '−' : ' '}</td>
                <td className="src">{l.text || ' '}</td>
              </tr>
            ),
          )}
        </tbody>
      </table>
    </section>
  );
}
