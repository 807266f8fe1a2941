/** What the page shows before an identity is picked: the identities with the widest reach, as links. */
import type { GraphNodeRef } from '@keyward/sdk';
import { Link } from 'react-router';
import { useResource } from '../api/use-resource.js';

interface SummaryReach {
  topBlastRadius?: Array<{ identity: GraphNodeRef; reachable: number; critical: number }>;
}

export function GraphStart({ view }: { view: 'blast' | 'lineage' }) {
  const summary = useResource<SummaryReach>('/v1/summary');
  const top = summary.data?.topBlastRadius ?? [];
  return (
    <div className="panel">
      <p>
        Pick an identity above to see its {view === 'blast' ? 'blast radius' : 'lineage'}, or start with one
        of the widest reaches:
      </p>
      {top.length ? (
        <ul className="kw-start">
          {top.slice(0, 8).map((t) => (
            <li key={t.identity.id}>
              <Link to={`/graph?view=${view}&id=${t.identity.id}`}>{t.identity.name}</Link>{' '}
              <span className="muted small">
                reaches {t.reachable}, {t.critical} critical
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">{summary.loading ? 'Loading…' : 'No identities reach anything yet.'}</p>
      )}
    </div>
  );
}
