/**
 * List + detail layout of the triage pages: the `:id` route's detail sits beside the list on wide
 * screens and below it on narrow ones (triage.css). Escape closes the detail, unless a dialog is open
 * (the dialog's own Escape cancels it). The list's filters survive opening and closing a detail.
 */
import { type ReactNode, useCallback, useEffect, useRef } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router';
import './triage.css';

/** The open detail's id, a link builder that keeps the list's query, and close(). */
export function useDetailRoute(base: string): {
  id: string | undefined;
  hrefFor: (id: string) => string;
  close: () => void;
} {
  const { id } = useParams();
  const { search } = useLocation();
  const navigate = useNavigate();
  const close = useCallback(() => navigate(`${base}${search}`), [navigate, base, search]);
  return { id, hrefFor: (x) => `${base}/${encodeURIComponent(x)}${search}`, close };
}

/** Matches triage.css: at this width and up the detail sits beside the list. */
const SIDE_BY_SIDE = '(min-width: 1200px)';

export function SplitView({
  list,
  detail,
  detailId,
  onClose,
}: {
  list: ReactNode;
  detail: ReactNode | null;
  /** The open detail's id: a new one below the list is scrolled into view. */
  detailId: string | undefined;
  onClose: () => void;
}) {
  const open = detail !== null;
  const pane = useRef<HTMLElement>(null);
  useEffect(() => {
    // Below a long list the new detail would open out of sight; beside it, it is already in view.
    if (!detailId || window.matchMedia(SIDE_BY_SIDE).matches) return;
    pane.current?.scrollIntoView({ block: 'start' });
  }, [detailId]);
  useEffect(() => {
    if (!open) return;
    function onKey(e: KeyboardEvent): void {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      if (document.querySelector('dialog[open]')) return;
      e.preventDefault();
      onClose();
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open, onClose]);
  return (
    <div className={open ? 'triage-split triage-split-open' : 'triage-split'}>
      <div className="triage-list-pane">{list}</div>
      {open ? (
        <aside ref={pane} className="triage-detail-pane" aria-label="Detail">
          {detail}
        </aside>
      ) : null}
    </div>
  );
}

/** Detail panel frame: a heading, a close button (Escape too), then the content. */
export function DetailFrame({
  testId,
  status,
  heading,
  onClose,
  children,
}: {
  testId: string;
  status?: string | undefined;
  heading: ReactNode;
  onClose: () => void;
  children: ReactNode;
}) {
  return (
    <section className="panel triage-detail" data-testid={testId} data-status={status}>
      <div className="triage-detail-head">
        <h2>{heading}</h2>
        <button type="button" className="btn btn-small" onClick={onClose} title="Close (Escape)">
          Close
        </button>
      </div>
      {children}
    </section>
  );
}
