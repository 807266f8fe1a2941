/**
 * Links for the ids Keyward prints (`nhi_…` identity, `alr_…` alert, `fnd_…` finding, `apr_…`
 * approval), used in evidence, remedies and explanations so an id is always one click from its page.
 * Identity links show the identity's name (api/use-names: one cached look-up per id) with the id as title.
 */
import { Link } from 'react-router';
import { useNames } from '../api/use-names.js';
import { shortId } from '../ui/format.js';

const ROUTES: Record<string, string> = {
  nhi: '/identities/',
  alr: '/alerts/',
  fnd: '/findings/',
  apr: '/approvals/',
};

/** Matches an id the console has a page for. */
export const ID_PATTERN = /\b(?:nhi|alr|fnd|apr)_[0-9a-zA-Z]{8,}\b/g;

export function routeForId(id: string): string | undefined {
  const prefix = ROUTES[id.slice(0, id.indexOf('_'))];
  return prefix ? `${prefix}${encodeURIComponent(id)}` : undefined;
}

export function IdentityLink({ id }: { id: string | null | undefined }) {
  const nameOf = useNames([id]);
  if (!id) return <span className="muted">—</span>;
  // useNames answers the id itself until the name has arrived (or when it cannot be read).
  const name = nameOf(id);
  return (
    <Link to={`/identities/${encodeURIComponent(id)}`} title={id}>
      {name === id ? <span className="mono">{shortId(id)}</span> : name}
    </Link>
  );
}

export function IdLink({ id }: { id: string }) {
  if (id.startsWith('nhi_')) return <IdentityLink id={id} />;
  const to = routeForId(id);
  if (!to) return <span className="mono">{id}</span>;
  return (
    <Link to={to} className="mono" title={id}>
      {shortId(id)}
    </Link>
  );
}

/** Plain text with every known id turned into a link (remedies and explanations name ids). */
export function LinkedText({ text }: { text: string }) {
  const parts: Array<string | { id: string }> = [];
  let last = 0;
  for (const m of text.matchAll(ID_PATTERN)) {
    const at = m.index ?? 0;
    if (at > last) parts.push(text.slice(last, at));
    parts.push({ id: m[0] });
    last = at + m[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return (
    <>
      {parts.map((p, i) =>
        // biome-ignore lint/suspicious/noArrayIndexKey: parts of one fixed string, never reordered
        typeof p === 'string' ? <span key={i}>{p}</span> : <IdLink key={i} id={p.id} />,
      )}
    </>
  );
}
