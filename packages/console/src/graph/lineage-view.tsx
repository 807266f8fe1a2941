/** Lineage view: who created, owns and sponsors the identity, and what it created or delegates to. */
import type { Lineage } from '@keyward/sdk';
import { useMemo } from 'react';
import { useResource } from '../api/use-resource.js';
import { lineageModel } from './chain-elements.js';
import { GraphLegend } from './graph-legend.js';
import { GraphWorkspace } from './graph-workspace.js';

export function LineageView({ id }: { id: string }) {
  const lineage = useResource<Lineage>(`/v1/identities/${encodeURIComponent(id)}/lineage`);
  const model = useMemo(() => (lineage.data ? lineageModel(lineage.data) : null), [lineage.data]);
  const data = lineage.data;
  return (
    <>
      <p data-testid="graph-totals" className="kw-totals">
        {data ? (
          <>
            <strong>{data.subject.name}</strong>: {data.ancestors.length} ancestor
            {data.ancestors.length === 1 ? '' : 's'} (creators, owners, sponsors, delegators),{' '}
            {data.descendants.length} descendant
            {data.descendants.length === 1 ? '' : 's'}. Arrows point from parent to child.
          </>
        ) : null}
      </p>
      <GraphLegend />
      <GraphWorkspace
        model={model}
        focusId={id}
        loading={lineage.loading}
        error={lineage.error}
        onRetry={lineage.reload}
        empty={
          data && data.ancestors.length + data.descendants.length === 0
            ? 'No lineage recorded: nobody created, owns or sponsors this identity, and it delegates to nothing.'
            : undefined
        }
      />
    </>
  );
}
