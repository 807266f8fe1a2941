/**
 * Path finder: "Can X reach Y?" over traversable edges. The question lives in the URL (from, to);
 * the answer is a plain yes/no plus the shortest path drawn highlighted.
 */
import type { GraphPath } from '@keyward/sdk';
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { withQuery } from '../api/api-client.js';
import { useResource } from '../api/use-resource.js';
import { pathModel } from './chain-elements.js';
import { GraphLegend } from './graph-legend.js';
import { GraphWorkspace } from './graph-workspace.js';
import { NodePicker } from './node-picker.js';

export interface PathViewProps {
  from: string;
  to: string;
  onAsk: (from: string, to: string) => void;
}

export function PathView({ from, to, onAsk }: PathViewProps) {
  const [fromText, setFromText] = useState(from);
  const [toText, setToText] = useState(to);
  const [missing, setMissing] = useState(false);
  useEffect(() => setFromText(from), [from]);
  useEffect(() => setToText(to), [to]);
  const asked = from && to ? withQuery('/v1/graph/path', { from, to }) : null;
  const answer = useResource<GraphPath>(asked);
  const model = useMemo(() => (answer.data ? pathModel(answer.data) : null), [answer.data]);

  function submit(e: FormEvent) {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    const f = String(form.get('from') ?? '').trim();
    const t = String(form.get('to') ?? '').trim();
    setMissing(!f || !t);
    if (f && t) onAsk(f, t);
  }

  const data = answer.data;
  return (
    <>
      <form className="filters kw-path-form" onSubmit={submit} aria-label="Can X reach Y?">
        <NodePicker label="Can (identity)" name="from" value={fromText} onChange={setFromText} />
        <NodePicker
          label="reach (identity, resource or human)"
          name="to"
          value={toText}
          onChange={setToText}
          sources={['identities', 'resources', 'humans']}
        />
        <button type="submit" className="btn btn-primary">
          Check
        </button>
        {missing ? <span role="alert">Fill in both: who, and what it should reach.</span> : null}
      </form>
      {data ? (
        <p
          data-testid="path-result"
          data-reachable={data.reachable ? 'true' : 'false'}
          className={`kw-verdict ${data.reachable ? 'kw-yes' : 'kw-no'}`}
          role="status"
        >
          {data.reachable ? (
            <>
              <strong>Yes.</strong> {data.from.name} can reach {data.to.name} in {data.steps.length} hop
              {data.steps.length === 1 ? '' : 's'}: {data.nodes.map((n) => n.name).join(' → ')}
            </>
          ) : (
            <>
              <strong>No.</strong> {data.from.name} cannot reach {data.to.name} over any traversable edge.
            </>
          )}
        </p>
      ) : null}
      {asked ? (
        <>
          <p data-testid="graph-totals" className="kw-totals muted">
            {data ? `${model?.nodeCount ?? 0} nodes on the path.` : ''}
          </p>
          <GraphLegend />
          <GraphWorkspace
            model={model}
            focusId={from}
            loading={answer.loading}
            error={answer.error}
            onRetry={answer.reload}
            short
          />
        </>
      ) : (
        <p className="muted">Pick who (from) and what (to), then Check. Pasting ids works too.</p>
      )}
    </>
  );
}
