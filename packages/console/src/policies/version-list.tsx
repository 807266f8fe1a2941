/**
 * Every policy version, newest first, with the built-in default set (v0) at the end: view one,
 * compare it with the active set, or (admins) make it active again after a confirmation.
 */
import { useState } from 'react';
import { apiCall } from '../api/api-client.js';
import { useSession } from '../api/use-session.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { ago, when } from '../ui/format.js';
import { Empty } from '../ui/states.js';
import type { PolicyHistoryItem } from './policy-types.js';
import type { usePolicyUrl } from './use-policy-url.js';
import { versionLabel } from './version-meta.js';

const BUILTIN: PolicyHistoryItem = {
  version: 0,
  hash: '',
  kind: 'builtin',
  restoredFrom: null,
  createdAt: null,
  createdBy: null,
  reason: 'built-in default policy set',
  replaces: null,
};

export function withBuiltin(items: PolicyHistoryItem[]): PolicyHistoryItem[] {
  return items.some((i) => i.version === 0) ? items : [...items, BUILTIN];
}

export function VersionList(props: {
  items: PolicyHistoryItem[];
  active: number;
  url: ReturnType<typeof usePolicyUrl>;
  onChanged: () => void;
}) {
  const { can } = useSession();
  const [rollbackTo, setRollbackTo] = useState<number>();
  const items = withBuiltin(props.items);
  if (items.length === 0) return <Empty>No versions yet.</Empty>;
  return (
    <div className="table-wrap">
      <table className="data">
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Kind</th>
            <th scope="col">By</th>
            <th scope="col">When (UTC)</th>
            <th scope="col">Reason</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((v) => (
            <tr key={v.version} className={props.url.view === v.version ? 'selected' : undefined}>
              <td>
                {versionLabel(v)}
                {v.version === props.active ? <strong className="policy-active-tag"> active</strong> : null}
              </td>
              <td>
                {v.kind}
                {v.restoredFrom !== null ? ` (of v${v.restoredFrom})` : ''}
              </td>
              <td className="mono">{v.createdBy ?? '—'}</td>
              <td title={v.createdAt ? ago(v.createdAt) : undefined}>{when(v.createdAt)}</td>
              <td>{v.reason}</td>
              <td>
                <div className="policy-actions">
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() => props.url.go({ v: v.version })}
                  >
                    View
                  </button>
                  {v.version !== props.active ? (
                    <button
                      type="button"
                      className="btn btn-small"
                      onClick={() => props.url.go({ tab: 'compare', a: v.version, b: props.active, v: null })}
                    >
                      Compare with active
                    </button>
                  ) : null}
                  {can('admin') && v.version !== props.active ? (
                    <button
                      type="button"
                      className="btn btn-small btn-danger"
                      onClick={() => setRollbackTo(v.version)}
                    >
                      Roll back to this
                    </button>
                  ) : null}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rollbackTo !== undefined ? (
        <ConfirmDialog
          title={`Make v${rollbackTo} active again?`}
          body={
            <p>
              The policy set of {versionLabel({ version: rollbackTo, kind: '' })} becomes active at once, as a
              new version (audited as a rollback). Every decision from now on uses it.
            </p>
          }
          confirmLabel="Roll back"
          danger
          reason="required"
          onConfirm={async (reason) => {
            await apiCall('/v1/policies/rollback', { method: 'POST', body: { to: rollbackTo, reason } });
            props.onChanged();
          }}
          onClose={() => setRollbackTo(undefined)}
        />
      ) : null}
    </div>
  );
}
