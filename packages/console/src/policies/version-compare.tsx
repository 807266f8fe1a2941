/**
 * Compare two policy versions as a line diff. Both are picked from the version list and kept in the
 * URL (?a=&b=), so a comparison can be linked.
 */
import { useResource } from '../api/use-resource.js';
import { ErrorBox, Loading } from '../ui/states.js';
import { SetDiff } from './diff-view.js';
import type { PolicyHistoryItem, PolicySetView } from './policy-types.js';
import type { usePolicyUrl } from './use-policy-url.js';
import { withBuiltin } from './version-list.js';
import { versionLabel } from './version-meta.js';

export function VersionCompare(props: {
  items: PolicyHistoryItem[];
  active: number;
  url: ReturnType<typeof usePolicyUrl>;
}) {
  const versions = withBuiltin(props.items);
  const a = props.url.a ?? versions[1]?.version ?? props.active;
  const b = props.url.b ?? props.active;
  const ra = useResource<PolicySetView>(`/v1/policies/versions/${a}`);
  const rb = useResource<PolicySetView>(`/v1/policies/versions/${b}`);
  const select = (name: 'a' | 'b', value: number, label: string) => (
    <label className="field">
      {label}
      <select name={name} value={value} onChange={(e) => props.url.go({ [name]: Number(e.target.value) })}>
        {versions.map((v) => (
          <option key={v.version} value={v.version}>
            {versionLabel(v)}
            {v.version === props.active ? ' (active)' : ''}
          </option>
        ))}
      </select>
    </label>
  );
  const error = ra.error ?? rb.error;
  return (
    <section className="panel" aria-label="Compare versions">
      <div className="filters">
        {select('a', a, 'From (old)')}
        {select('b', b, 'To (new)')}
      </div>
      {error ? (
        <ErrorBox error={error} />
      ) : !ra.data || !rb.data ? (
        <Loading what="Loading both versions" />
      ) : (
        <SetDiff before={ra.data.files} after={rb.data.files} />
      )}
    </section>
  );
}
