/**
 * The change flow: edit a draft of the active set, see its text diff, replay recent decisions
 * against it (POST /v1/policies/diff), and only then apply it (admin; POST /v1/policies, reason
 * required). A replay belongs to the exact files it ran on; any edit after it makes it stale and
 * Apply waits for a new one, so what is applied is always what was replayed.
 */
import { useState } from 'react';
import { ApiError, apiCall } from '../api/api-client.js';
import { useSession } from '../api/use-session.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { SetDiff } from './diff-view.js';
import { FileEditor } from './file-editor.js';
import type { PolicyDiffResult, PolicyFile, PolicySetView } from './policy-types.js';
import { ProblemList } from './problem-list.js';
import { ReplayResult } from './replay-result.js';

const keyOf = (files: PolicyFile[]): string => JSON.stringify(files);

export function PolicyEditor({ active, onApplied }: { active: PolicySetView; onApplied: () => void }) {
  const { can } = useSession();
  const [files, setFiles] = useState<PolicyFile[]>(() => active.files.map((f) => ({ ...f })));
  const [replay, setReplay] = useState<{ key: string; result: PolicyDiffResult }>();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const unchanged = keyOf(files) === keyOf(active.files);
  const fresh = replay !== undefined && replay.key === keyOf(files);

  async function runReplay(): Promise<void> {
    setBusy(true);
    setError(undefined);
    const key = keyOf(files);
    try {
      const result = await apiCall<PolicyDiffResult>('/v1/policies/diff', {
        method: 'POST',
        body: { files },
      });
      setReplay({ key, result });
    } catch (err) {
      setReplay(undefined);
      setError(err instanceof ApiError ? err : new ApiError(0, 'client_error', String(err)));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="policy-editor" aria-label="Edit the policy set">
      <p className="muted">
        Editing a draft of v{active.version}. Nothing changes until you apply it; replay first to see which
        recent decisions it would change.
      </p>
      <FileEditor files={files} onChange={setFiles} />
      <div className="policy-editor-actions">
        <button type="button" className="btn" disabled={busy} onClick={() => void runReplay()}>
          {busy ? 'Replaying…' : 'Replay diff'}
        </button>
        {can('admin') ? (
          <button
            type="button"
            className="btn btn-primary"
            disabled={!fresh || busy || unchanged}
            title={
              unchanged ? 'The draft equals the active set' : fresh ? undefined : 'Replay the diff first'
            }
            onClick={() => setConfirming(true)}
          >
            Apply…
          </button>
        ) : (
          <span className="muted">Applying a policy set needs the admin role.</span>
        )}
        <button
          type="button"
          className="btn"
          disabled={unchanged || busy}
          onClick={() => {
            setFiles(active.files.map((f) => ({ ...f })));
            setReplay(undefined);
            setError(undefined);
          }}
        >
          Discard changes
        </button>
        {!fresh && !unchanged ? <span className="muted small">Replay the diff before applying.</span> : null}
      </div>
      {error ? <ProblemList error={error} /> : null}
      {replay ? <ReplayResult result={replay.result} stale={!fresh} /> : null}
      <section className="panel" aria-labelledby="draft-diff-title">
        <h2 id="draft-diff-title">Changes against v{active.version}</h2>
        <SetDiff before={active.files} after={files} />
      </section>
      {confirming && replay ? (
        <ConfirmDialog
          title="Apply this policy set?"
          body={
            <p>
              It becomes active at once for every decision. The replay found{' '}
              <strong>{replay.result.changed}</strong> recent decision{replay.result.changed === 1 ? '' : 's'}{' '}
              that would change. You can roll back from the version list.
            </p>
          }
          confirmLabel="Apply"
          reason="required"
          onConfirm={async (reason) => {
            await apiCall<PolicySetView>('/v1/policies', { method: 'POST', body: { files, reason } });
            onApplied();
          }}
          onClose={() => setConfirming(false)}
        />
      ) : null}
    </section>
  );
}
