/**
 * Editing the draft's files: one textarea per file (with its line count, since errors name lines),
 * remove a file, add one by name and pasted text or by uploading .cedar files.
 */
import { useState } from 'react';
import type { PolicyFile } from './policy-types.js';

const NAME = /^[A-Za-z0-9_][A-Za-z0-9_./-]{0,199}$/;

export function FileEditor({
  files,
  onChange,
}: {
  files: PolicyFile[];
  onChange: (f: PolicyFile[]) => void;
}) {
  const [newName, setNewName] = useState('');
  const [uploadError, setUploadError] = useState<string>();
  const nameProblem =
    newName === ''
      ? undefined
      : !NAME.test(newName)
        ? 'letters, digits, _ . / - only'
        : files.some((f) => f.name === newName)
          ? 'a file with this name exists'
          : undefined;
  function setText(name: string, text: string): void {
    onChange(files.map((f) => (f.name === name ? { name, text } : f)));
  }
  async function upload(list: FileList | null): Promise<void> {
    setUploadError(undefined);
    if (!list) return;
    const added: PolicyFile[] = [];
    for (const file of Array.from(list)) {
      if (!NAME.test(file.name)) {
        setUploadError(`${file.name}: not a valid policy file name`);
        return;
      }
      added.push({ name: file.name, text: await file.text() });
    }
    const names = new Set(added.map((f) => f.name));
    // An uploaded file replaces the draft's file of the same name.
    onChange([...files.filter((f) => !names.has(f.name)), ...added]);
  }
  return (
    <div className="file-editor">
      {files.map((f) => (
        <div key={f.name} className="file-editor-file">
          <div className="policy-panel-head">
            <label htmlFor={`policy-file-${f.name}`} className="mono">
              {f.name} <span className="muted">· {f.text.split('\n').length} lines</span>
            </label>
            <button
              type="button"
              className="btn btn-small"
              onClick={() => onChange(files.filter((x) => x.name !== f.name))}
            >
              Remove file
            </button>
          </div>
          <textarea
            id={`policy-file-${f.name}`}
            name={`file:${f.name}`}
            className="policy-textarea"
            spellCheck={false}
            value={f.text}
            rows={Math.min(30, Math.max(6, f.text.split('\n').length + 1))}
            onChange={(e) => setText(f.name, e.target.value)}
          />
        </div>
      ))}
      <div className="filters file-editor-add">
        <label className="field">
          New file name
          <input
            name="newFileName"
            value={newName}
            placeholder="extra.cedar"
            onChange={(e) => setNewName(e.target.value.trim())}
            aria-invalid={nameProblem ? true : undefined}
          />
        </label>
        <button
          type="button"
          className="btn"
          disabled={!newName || nameProblem !== undefined}
          onClick={() => {
            onChange([...files, { name: newName, text: '' }]);
            setNewName('');
          }}
        >
          Add empty file
        </button>
        <label className="field">
          Or upload .cedar files
          <input
            type="file"
            accept=".cedar,text/plain"
            multiple
            onChange={(e) => void upload(e.target.files)}
          />
        </label>
        {nameProblem ? <span className="state-error small">{nameProblem}</span> : null}
        {uploadError ? <span className="state-error small">{uploadError}</span> : null}
      </div>
    </div>
  );
}
