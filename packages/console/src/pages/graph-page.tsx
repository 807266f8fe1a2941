/**
 * Graph page: lineage, blast radius and the path finder, one tab each. Everything the page shows is
 * in its URL (view, id, from, to, limit) so a shared link opens the same graph.
 */
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { BLAST_LIMITS, BlastView } from '../graph/blast-view.js';
import { GraphStart } from '../graph/graph-start.js';
import { LineageView } from '../graph/lineage-view.js';
import { NodePicker } from '../graph/node-picker.js';
import { PathView } from '../graph/path-view.js';
import { PageHeader } from '../ui/layout.js';
import '../graph/graph-page.css';

const VIEWS = [
  { key: 'blast', label: 'Blast radius' },
  { key: 'lineage', label: 'Lineage' },
  { key: 'path', label: 'Can X reach Y?' },
] as const;
type View = (typeof VIEWS)[number]['key'];

function FocusPicker({ id, onPick }: { id: string; onPick: (id: string) => void }) {
  const [text, setText] = useState(id);
  useEffect(() => setText(id), [id]);
  return (
    <form
      className="filters kw-focus"
      onSubmit={(e) => {
        e.preventDefault();
        if (text.trim()) onPick(text.trim());
      }}
    >
      <NodePicker
        label="Focus identity"
        name="id"
        value={text}
        onChange={setText}
        onPick={onPick}
        placeholder="Search by name, or paste an id"
      />
      <button type="submit" className="btn" disabled={!text.trim()}>
        Show
      </button>
    </form>
  );
}

export function GraphPage() {
  const [params, setParams] = useSearchParams();
  const view: View = VIEWS.some((v) => v.key === params.get('view')) ? (params.get('view') as View) : 'blast';
  const id = params.get('id') ?? '';
  const limitParam = Number(params.get('limit'));
  const limit = (BLAST_LIMITS as readonly number[]).includes(limitParam) ? limitParam : 2000;

  function update(next: Record<string, string | null>) {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) {
      if (v) p.set(k, v);
      else p.delete(k);
    }
    setParams(p);
  }

  const tabLink = (v: View) => {
    const p = new URLSearchParams(params);
    p.set('view', v);
    if (v === 'path' && id && !p.get('from')) p.set('from', id);
    return `/graph?${p.toString()}`;
  };

  return (
    <div className="kw-graph-page">
      <PageHeader title="Graph" />
      <div className="kw-toolbar">
        <nav className="tabs" aria-label="Graph views">
          {VIEWS.map((v) => (
            <Link
              key={v.key}
              to={tabLink(v.key)}
              className={v.key === view ? 'active' : undefined}
              aria-current={v.key === view ? 'page' : undefined}
            >
              {v.label}
            </Link>
          ))}
        </nav>
        {view !== 'path' ? <FocusPicker id={id} onPick={(next) => update({ id: next })} /> : null}
      </div>
      {view === 'path' ? (
        <PathView
          from={params.get('from') ?? ''}
          to={params.get('to') ?? ''}
          onAsk={(from, to) => update({ from, to })}
        />
      ) : !id ? (
        <GraphStart view={view} />
      ) : view === 'blast' ? (
        <BlastView id={id} limit={limit} onLimit={(n) => update({ limit: String(n) })} />
      ) : (
        <LineageView id={id} />
      )}
    </div>
  );
}
