import { Link } from 'react-router';

/**
 * Two small SVG charts (bars and a line over time). Hand-written: the console needs only these two
 * shapes, and a charting library would triple the bundle for them.
 */

export interface Bar {
  label: string;
  value: number;
  tone?: string;
}

export function BarChart({ bars, title }: { bars: Bar[]; title: string }) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  return (
    <figure className="chart" aria-label={title}>
      <figcaption>{title}</figcaption>
      <ul className="bars">
        {bars.map((b) => (
          <li key={b.label}>
            <span className="bar-label">{b.label}</span>
            <span className="bar-track">
              <span
                className={`bar-fill tone-${b.tone ?? 'blue'}`}
                style={{ width: `${(b.value / max) * 100}%` }}
              />
            </span>
            <span className="bar-value">{b.value}</span>
          </li>
        ))}
      </ul>
    </figure>
  );
}

export interface Series {
  name: string;
  tone: string;
  points: Array<{ t: string; v: number }>;
}

export function LineChart({
  series,
  title,
  height = 140,
}: {
  series: Series[];
  title: string;
  height?: number;
}) {
  const width = 520;
  const pad = 24;
  const all = series.flatMap((s) => s.points);
  const max = Math.max(1, ...all.map((p) => p.v));
  const times = [...new Set(all.map((p) => p.t))].sort();
  const x = (t: string) =>
    pad + (times.length < 2 ? 0 : (times.indexOf(t) / (times.length - 1)) * (width - 2 * pad));
  const y = (v: number) => height - pad - (v / max) * (height - 2 * pad);
  return (
    <figure className="chart" aria-label={title}>
      <figcaption>{title}</figcaption>
      {times.length === 0 ? (
        <p className="muted">No data yet.</p>
      ) : (
        <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title} className="line-chart">
          <line x1={pad} x2={width - pad} y1={height - pad} y2={height - pad} className="axis" />
          <text x={pad} y={height - 6} className="tick">
            {times[0]}
          </text>
          <text x={width - pad} y={height - 6} className="tick" textAnchor="end">
            {times[times.length - 1]}
          </text>
          <text x={pad} y={pad - 8} className="tick">
            {max}
          </text>
          {series.map((s) => (
            <polyline
              key={s.name}
              className={`series tone-${s.tone}`}
              fill="none"
              points={s.points.map((p) => `${x(p.t)},${y(p.v)}`).join(' ')}
            />
          ))}
        </svg>
      )}
      <div className="legend">
        {series.map((s) => (
          <span key={s.name}>
            <i className={`swatch tone-${s.tone}`} /> {s.name}
          </span>
        ))}
      </div>
    </figure>
  );
}

export interface Stack {
  label: string;
  href?: string;
  parts: Array<{ name: string; value: number; tone: string }>;
}

/** Horizontal stacked bars (e.g. findings per NHI code split by severity), with a shared legend. */
export function StackedBars({ stacks, title }: { stacks: Stack[]; title: string }) {
  const max = Math.max(1, ...stacks.map((s) => s.parts.reduce((n, p) => n + p.value, 0)));
  const names = stacks[0]?.parts.map((p) => ({ name: p.name, tone: p.tone })) ?? [];
  return (
    <figure className="chart" aria-label={title}>
      <figcaption>{title}</figcaption>
      <ul className="bars">
        {stacks.map((s) => {
          const total = s.parts.reduce((n, p) => n + p.value, 0);
          return (
            <li key={s.label} title={s.parts.map((p) => `${p.name}: ${p.value}`).join(', ')}>
              <span className="bar-label">{s.href ? <Link to={s.href}>{s.label}</Link> : s.label}</span>
              <span className="bar-track stacked">
                {s.parts.map((p) =>
                  p.value > 0 ? (
                    <span
                      key={p.name}
                      className={`bar-fill tone-${p.tone}`}
                      style={{ width: `${(p.value / max) * 100}%` }}
                    />
                  ) : null,
                )}
              </span>
              <span className="bar-value">{total}</span>
            </li>
          );
        })}
      </ul>
      <div className="legend">
        {names.map((n) => (
          <span key={n.name}>
            <i className={`swatch tone-${n.tone}`} /> {n.name}
          </span>
        ))}
      </div>
    </figure>
  );
}
