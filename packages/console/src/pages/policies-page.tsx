/**
 * PoliciesPage (/policies): the active Cedar policy set, its version history (view, compare as a
 * line diff, roll back), and the change flow (edit → replay diff → apply). Tab, viewed version and
 * compared versions live in the URL.
 */
import { useResource } from '../api/use-resource.js';
import { FilesView } from '../policies/code-view.js';
import { PolicyEditor } from '../policies/policy-editor.js';
import type { PolicyHistoryItem, PolicySetView } from '../policies/policy-types.js';
import { type PolicyTab, usePolicyUrl } from '../policies/use-policy-url.js';
import { VersionCompare } from '../policies/version-compare.js';
import { VersionList } from '../policies/version-list.js';
import { VersionMeta, versionLabel } from '../policies/version-meta.js';
import { VersionView } from '../policies/version-view.js';
import { PageHeader } from '../ui/layout.js';
import { Loaded } from '../ui/states.js';
import '../policies/policies.css';

const TAB_LABELS: Array<[PolicyTab, string]> = [
  ['current', 'Active set'],
  ['versions', 'Versions'],
  ['compare', 'Compare'],
  ['edit', 'Edit'],
];

export function PoliciesPage() {
  const url = usePolicyUrl();
  const active = useResource<PolicySetView>('/v1/policies');
  const history = useResource<{ items: PolicyHistoryItem[] }>('/v1/policies/versions');
  function changed(): void {
    active.reload();
    history.reload();
    url.go({ tab: 'current', v: null, a: null, b: null });
  }
  return (
    <>
      <PageHeader title="Policies">
        {active.data ? (
          <span className="policy-version-label">
            Active: <strong data-testid="policy-version">{versionLabel(active.data)}</strong>
          </span>
        ) : null}
      </PageHeader>
      <div className="tabs" role="tablist" aria-label="Policy views">
        {TAB_LABELS.map(([tab, label]) => (
          <button
            key={tab}
            type="button"
            role="tab"
            aria-selected={url.tab === tab}
            className={url.tab === tab ? 'active' : undefined}
            onClick={() => url.go({ tab, v: null })}
          >
            {label}
          </button>
        ))}
      </div>
      <Loaded resource={active} what="Loading the active policy set">
        {(set) => {
          if (url.tab === 'edit') return <PolicyEditor key={set.hash} active={set} onApplied={changed} />;
          if (url.tab === 'current') {
            return (
              <div className="policy-current">
                <section className="panel">
                  <h2>Active policy set</h2>
                  <VersionMeta meta={set} />
                  <p className="muted small">
                    {set.policyIds.length} policies: <span className="mono">{set.policyIds.join(', ')}</span>
                    {set.approvalPolicyIds.length
                      ? ` · needing approval: ${set.approvalPolicyIds.join(', ')}`
                      : ''}
                  </p>
                </section>
                <FilesView files={set.files} />
              </div>
            );
          }
          return (
            <Loaded resource={history} what="Loading versions">
              {(h) =>
                url.tab === 'compare' ? (
                  <VersionCompare items={h.items} active={set.version} url={url} />
                ) : (
                  <>
                    <VersionList items={h.items} active={set.version} url={url} onChanged={changed} />
                    {url.view !== undefined ? (
                      <VersionView version={url.view} onClose={() => url.go({ v: null })} />
                    ) : null}
                  </>
                )
              }
            </Loaded>
          );
        }}
      </Loaded>
    </>
  );
}
