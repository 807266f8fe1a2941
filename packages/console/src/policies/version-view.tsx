/** One stored policy version (GET /v1/policies/versions/:version): who/when/why and its files. */
import { useResource } from '../api/use-resource.js';
import { Loaded } from '../ui/states.js';
import { FilesView } from './code-view.js';
import type { PolicySetView } from './policy-types.js';
import { VersionMeta } from './version-meta.js';

export function VersionView({ version, onClose }: { version: number; onClose: () => void }) {
  const res = useResource<PolicySetView>(`/v1/policies/versions/${version}`);
  return (
    <section className="panel version-view" aria-labelledby="version-view-title">
      <div className="policy-panel-head">
        <h2 id="version-view-title">Version {version}</h2>
        <button type="button" className="btn btn-small" onClick={onClose}>
          Close
        </button>
      </div>
      <Loaded resource={res} what={`Loading v${version}`}>
        {(set) => (
          <>
            <VersionMeta meta={set} />
            <FilesView files={set.files} />
          </>
        )}
      </Loaded>
    </section>
  );
}
