/**
 * Blast-radius view: everything the focus identity reaches, concentric by hop, coloured by
 * sensitivity; totals above, groups when the reach is large (click a group, then Expand).
 */
import type { BlastRadius } from '@keyward/sdk';
import { useEffect, useMemo, useState } from 'react';
import { withQuery } from '../api/api-client.js';
import { useResource } from '../api/use-resource.js';
import { blastModel, MAX_DRAWN } from './blast-elements.js';
import { GraphLegend } from './graph-legend.js';
import { GraphWorkspace } from './graph-workspace.js';

export const BLAST_LIMITS = [100, 500, 2000, 5000, 10000] as const;

export function BlastView({
  id,
  limit,
  onLimit,
}: {
  id: string;
  limit: number;
  onLimit: (n: number) => void;
}) {
  const blast = useResource<BlastRadius>(
    withQuery(`/v1/identities/${encodeURIComponent(id)}/blast-radius`, { limit }),
  );
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new focus starts folded again
  useEffect(() => setExpanded(new Set()), [id, limit]);
  const model = useMemo(() => (blast.data ? blastModel(blast.data, expanded) : null), [blast.data, expanded]);
  const data = blast.data;
  return (
    <>
      <div className="kw-summary">
        {data ? (
          <p data-testid="graph-totals" className="kw-totals">
            <strong>{data.subject.name}</strong> reaches <strong>{data.totals.reachable}</strong> node
            {data.totals.reachable === 1 ? '' : 's'} ({data.totals.identities} identities,{' '}
            {data.totals.resources} resources, {data.totals.systems} systems),{' '}
            <strong className="kw-critical">{data.totals.bySensitivity.critical} critical</strong>,{' '}
            {data.totals.bySensitivity.high} high.
            {data.truncated ? ` Showing the ${data.entries.length} most sensitive.` : ''}
            {model?.grouped
              ? ` ${model.grouped} nodes grouped; click a group to expand (Expand in the side panel).`
              : ''}
          </p>
        ) : (
          <p className="muted kw-totals">{blast.loading ? 'Counting…' : ''}</p>
        )}
        <label className="field kw-inline">
          Show up to
          <select value={limit} onChange={(e) => onLimit(Number(e.target.value))}>
            {BLAST_LIMITS.map((n) => (
              <option key={n} value={n}>
                {n.toLocaleString()} nodes
              </option>
            ))}
          </select>
        </label>
      </div>
      <GraphLegend />
      <GraphWorkspace
        model={model}
        focusId={id}
        loading={blast.loading}
        error={blast.error}
        onRetry={blast.reload}
        empty={data && data.entries.length === 0 ? 'This identity reaches nothing.' : undefined}
        onExpand={(g) => setExpanded((s) => new Set([...s, g]))}
        expandBlocked={(g) => {
          const size = model?.info.get(g)?.members?.length ?? 0;
          return model && model.nodeCount + size > MAX_DRAWN
            ? `Too many to draw at once (${model.nodeCount + size} > ${MAX_DRAWN}); lower "Show up to".`
            : undefined;
        }}
      />
    </>
  );
}
