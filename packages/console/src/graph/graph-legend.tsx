/** Legend for node colours (sensitivity) and shapes (node type); colour is never the only signal. */
import { LEGEND, SENSITIVITY_COLOURS } from './graph-style.js';

export function GraphLegend() {
  return (
    <div className="legend kw-legend">
      <span className="kw-legend-title">Legend:</span>
      {LEGEND.map((l) => (
        <span key={l.key}>
          <span className="swatch kw-swatch" style={{ background: SENSITIVITY_COLOURS[l.key] }} /> {l.label}
        </span>
      ))}
      <span>● identity</span>
      <span>▭ human</span>
      <span>◆ resource</span>
      <span>⬢ system</span>
      <span>- - walked against the edge</span>
    </div>
  );
}
