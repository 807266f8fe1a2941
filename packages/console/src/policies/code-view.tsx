/** One policy file's Cedar text, monospace, with line numbers (parse errors name lines). */
import { splitLines } from './line-diff.js';
import type { PolicyFile } from './policy-types.js';

export function CodeView({ file }: { file: PolicyFile }) {
  const lines = splitLines(file.text);
  return (
    <figure className="policy-file">
      <figcaption className="mono">
        {file.name} <span className="muted">· {lines.length} lines</span>
      </figcaption>
      <section className="code-view" aria-label={`${file.name} source`}>
        <table>
          <tbody>
            {lines.map((line, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: lines are positional
              <tr key={i}>
                <td className="ln" aria-hidden="true">
                  {i + 1}
                </td>
                <td className="src">{line || ' '}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </figure>
  );
}

export function FilesView({ files }: { files: PolicyFile[] }) {
  if (files.length === 0) return <p className="muted">This set has no files (everything is denied).</p>;
  return (
    <>
      {files.map((f) => (
        <CodeView key={f.name} file={f} />
      ))}
    </>
  );
}
