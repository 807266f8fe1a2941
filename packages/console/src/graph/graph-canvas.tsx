/**
 * The cytoscape canvas: draws a GraphModel, runs its layout, reports node taps and highlights the
 * ids it is given. Exposes the test hooks data-ready / data-nodes once the layout has finished.
 * A new cytoscape instance per model, because the viewport speed-ups are init-only options.
 */
import cytoscape from 'cytoscape';
import { useEffect, useRef, useState } from 'react';
import type { GraphModel } from './graph-model.js';
import { graphStyle } from './graph-style.js';

/** Above this many elements: cheaper rendering while panning/zooming. */
const BIG = 800;

export interface GraphCanvasProps {
  model: GraphModel | null;
  focusId?: string | undefined;
  highlight: string[];
  selected: string | null;
  onSelect: (nodeId: string | null) => void;
}

export function GraphCanvas({ model, focusId, highlight, selected, onSelect }: GraphCanvasProps) {
  const box = useRef<HTMLDivElement>(null);
  const cyRef = useRef<cytoscape.Core | null>(null);
  const [ready, setReady] = useState(false);
  const [drawn, setDrawn] = useState(0);
  const selectRef = useRef(onSelect);
  selectRef.current = onSelect;

  useEffect(() => {
    setReady(false);
    if (!model || !box.current) return;
    const big = model.elements.length > BIG;
    const cy = cytoscape({
      container: box.current,
      style: graphStyle(big),
      layout: { name: 'preset' },
      textureOnViewport: big,
      hideEdgesOnViewport: big,
      hideLabelsOnViewport: big,
      motionBlur: false,
      pixelRatio: big ? 1 : 'auto',
      minZoom: 0.02,
      maxZoom: 4,
    });
    cyRef.current = cy;
    let cancelled = false;
    // Yield a frame first so the loading state paints before a large layout runs.
    const timer = window.setTimeout(() => {
      if (cancelled) return;
      cy.add(model.elements);
      if (focusId) cy.getElementById(focusId).addClass('focus');
      cy.on('tap', 'node', (e) => selectRef.current(e.target.id() as string));
      cy.on('tap', (e) => {
        if (e.target === cy) selectRef.current(null);
      });
      const layout = cy.layout({ ...model.layout, fit: true, padding: 30 } as cytoscape.LayoutOptions);
      layout.one('layoutstop', () => {
        if (cancelled) return;
        setDrawn(cy.nodes().length);
        setReady(true);
      });
      layout.run();
    }, 16);
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
      cy.destroy();
      cyRef.current = null;
    };
  }, [model, focusId]);

  useEffect(() => {
    const cy = cyRef.current;
    if (!cy || !ready) return;
    cy.batch(() => {
      cy.elements().removeClass('hl faded');
      if (!highlight.length) return;
      cy.elements().addClass('faded');
      for (const id of highlight) cy.getElementById(id).removeClass('faded').addClass('hl');
    });
  }, [highlight, ready]);

  // A pick from the node list (keyboard) selects and centres the node on the canvas too.
  useEffect(() => {
    const cy = cyRef.current;
    if (!cy || !ready) return;
    cy.nodes(':selected').unselect();
    if (!selected) return;
    const node = cy.getElementById(selected);
    if (node.nonempty()) {
      node.select();
      const bb = node.renderedBoundingBox();
      if (bb.x2 < 0 || bb.y2 < 0 || bb.x1 > cy.width() || bb.y1 > cy.height()) cy.center(node);
    }
  }, [selected, ready]);

  const fit = () => cyRef.current?.fit(undefined, 30);
  const reset = () => {
    onSelect(null);
    const cy = cyRef.current;
    if (cy && model) cy.layout({ ...model.layout, fit: true, padding: 30 } as cytoscape.LayoutOptions).run();
  };

  return (
    <div className="graph-frame">
      <div className="graph-tools">
        <button type="button" className="btn btn-small" onClick={fit} disabled={!ready}>
          Zoom to fit
        </button>
        <button type="button" className="btn btn-small" onClick={reset} disabled={!ready}>
          Reset
        </button>
      </div>
      <div
        ref={box}
        className="graph-canvas kw-graph-canvas"
        data-testid="graph-canvas"
        data-ready={ready ? 'true' : 'false'}
        data-nodes={ready ? String(drawn) : undefined}
        role="img"
        aria-label={model ? `Graph of ${model.nodeCount} nodes` : 'Graph'}
      />
    </div>
  );
}
