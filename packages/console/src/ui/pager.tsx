/**
 * Cursor pagination kept in the URL (`?cursor=`), with the cursors already seen kept in `?back=` so
 * "Previous" works and a shared link opens the same page.
 */
import { useSearchParams } from 'react-router';

export function usePager(): {
  cursor: string | undefined;
  next: (c: string) => void;
  prev: (() => void) | null;
} {
  const [params, setParams] = useSearchParams();
  const cursor = params.get('cursor') ?? undefined;
  const back = (params.get('back') ?? '').split(',').filter(Boolean);
  return {
    cursor,
    next: (c) =>
      setParams((p) => {
        const n = new URLSearchParams(p);
        n.set('back', [...back, cursor ?? '-'].join(','));
        n.set('cursor', c);
        return n;
      }),
    prev:
      back.length === 0
        ? null
        : () =>
            setParams((p) => {
              const n = new URLSearchParams(p);
              const last = back[back.length - 1];
              const rest = back.slice(0, -1);
              if (!last || last === '-') n.delete('cursor');
              else n.set('cursor', last);
              if (rest.length) n.set('back', rest.join(','));
              else n.delete('back');
              return n;
            }),
  };
}

export function Pager({
  nextCursor,
  pager,
  count,
}: {
  nextCursor: string | null | undefined;
  pager: ReturnType<typeof usePager>;
  count: number;
}) {
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" className="btn btn-small" disabled={!pager.prev} onClick={() => pager.prev?.()}>
        ← Previous
      </button>
      <span className="muted">{count} shown</span>
      <button
        type="button"
        className="btn btn-small"
        disabled={!nextCursor}
        onClick={() => nextCursor && pager.next(nextCursor)}
      >
        Next →
      </button>
    </nav>
  );
}

/** Reads and writes one filter in the URL; changing a filter goes back to the first page. */
export function useFilter(name: string): [string, (v: string) => void] {
  const [params, setParams] = useSearchParams();
  return [
    params.get(name) ?? '',
    (v) =>
      setParams((p) => {
        const n = new URLSearchParams(p);
        if (v) n.set(name, v);
        else n.delete(name);
        n.delete('cursor');
        n.delete('back');
        return n;
      }),
  ];
}
