/**
 * Canvas with its side panel and the loading / error / empty overlays, shared by all three views.
 * Keeps the picked node and derives what to highlight from the model.
 */
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import type { ApiError } from '../api/api-client.js';
import { ErrorBox, Loading } from '../ui/states.js';
import { GraphCanvas } from './graph-canvas.js';
import type { GraphModel } from './graph-model.js';
import { NodeDetails } from './node-details.js';

const MAX_CHOICES = 1500;

export interface GraphWorkspaceProps {
  model: GraphModel | null;
  focusId?: string | undefined;
  loading: boolean;
  error?: ApiError | undefined;
  onRetry?: () => void;
  /** Shown over the canvas when the answer is empty. */
  empty?: ReactNode;
  onExpand?: (groupId: string) => void;
  expandBlocked?: (groupId: string) => string | undefined;
  /** A shorter canvas, for small answers under a form (the path finder). */
  short?: boolean;
}

export function GraphWorkspace({
  model,
  focusId,
  loading,
  error,
  onRetry,
  empty,
  onExpand,
  expandBlocked,
  short,
}: GraphWorkspaceProps) {
  const [selected, setSelected] = useState<string | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new answer clears the pick
  useEffect(() => setSelected(null), [model]);
  const highlight = useMemo(
    () => (model ? (selected ? model.highlightFor(selected) : (model.initialHighlight ?? [])) : []),
    [model, selected],
  );
  const nameOf = (id: string) => model?.info.get(id)?.ref.name ?? id;
  const info = selected ? model?.info.get(selected) : undefined;
  // The canvas is mouse-first; this list reaches every drawn node by keyboard.
  const choices = useMemo(
    () =>
      (model?.elements ?? [])
        .filter((e) => e.group === 'nodes')
        .map((e) => ({ id: String(e.data.id), label: String(e.data['label']) }))
        .sort((a, b) => a.label.localeCompare(b.label))
        .slice(0, MAX_CHOICES),
    [model],
  );
  return (
    <div className={short ? 'kw-workspace kw-short' : 'kw-workspace'}>
      <div className="kw-stage">
        <GraphCanvas
          model={error ? null : model}
          focusId={focusId}
          highlight={highlight}
          selected={selected}
          onSelect={setSelected}
        />
        {loading || error || empty ? (
          <div className="kw-overlay">
            {loading ? <Loading what="Loading the graph" /> : null}
            {error ? <ErrorBox error={error} {...(onRetry ? { onRetry } : {})} /> : null}
            {!loading && !error && empty ? <div className="state state-empty">{empty}</div> : null}
          </div>
        ) : null}
      </div>
      <aside className="panel kw-side" aria-label="Node details">
        {choices.length ? (
          <label className="field kw-node-list">
            Node
            <select value={selected ?? ''} onChange={(e) => setSelected(e.target.value || null)}>
              <option value="">— pick a node —</option>
              {choices.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.label}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <NodeDetails
          info={info}
          nameOf={nameOf}
          onExpand={onExpand}
          expandBlocked={selected && expandBlocked ? expandBlocked(selected) : undefined}
        />
      </aside>
    </div>
  );
}
