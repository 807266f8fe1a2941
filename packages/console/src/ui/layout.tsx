/**
 * The frame around every signed-in page: navigation (also by keyboard: `g` then a letter), who is
 * signed in with which role, sign-out. Pages render into <main>.
 */
import { type ReactNode, useEffect } from 'react';
import { NavLink, useNavigate } from 'react-router';
import { saveSession } from '../api/session-store.js';
import { useSession } from '../api/use-session.js';

export const NAV: Array<{ to: string; label: string; key: string }> = [
  { to: '/', label: 'Overview', key: 'o' },
  { to: '/inventory', label: 'Inventory', key: 'i' },
  { to: '/graph', label: 'Graph', key: 'g' },
  { to: '/findings', label: 'Findings', key: 'f' },
  { to: '/alerts', label: 'Alerts', key: 'a' },
  { to: '/approvals', label: 'Approvals', key: 'p' },
  { to: '/audit', label: 'Audit', key: 'u' },
  { to: '/policies', label: 'Policies', key: 'l' },
];

function useGoShortcuts(): void {
  const navigate = useNavigate();
  useEffect(() => {
    let armed = 0;
    function onKey(e: KeyboardEvent): void {
      const target = e.target as HTMLElement | null;
      if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
      if (e.metaKey || e.ctrlKey || e.altKey) return;
      if (document.querySelector('dialog[open]')) return;
      if (e.key === '/') {
        const search = document.querySelector<HTMLInputElement>('input[type=search]');
        if (search) {
          e.preventDefault();
          search.focus();
        }
        return;
      }
      if (armed && Date.now() - armed < 1500) {
        const item = NAV.find((n) => n.key === e.key);
        armed = 0;
        if (item) navigate(item.to);
        return;
      }
      if (e.key === 'g') armed = Date.now();
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [navigate]);
}

export function Layout({ children }: { children: ReactNode }) {
  const { session } = useSession();
  useGoShortcuts();
  return (
    <div className="shell">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Keyward</span>
        <nav aria-label="Main">
          {NAV.map((n) => (
            <NavLink key={n.to} to={n.to} end={n.to === '/'} title={`g ${n.key}`} className="nav-link">
              {n.label}
            </NavLink>
          ))}
        </nav>
        <span className="who" data-testid="who">
          {session?.name} · <span className="role">{session?.role}</span>
        </span>
        <button type="button" className="btn btn-small" onClick={() => saveSession(null)}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}

/** Page heading with optional actions on the right. */
export function PageHeader({ title, children }: { title: ReactNode; children?: ReactNode }) {
  useEffect(() => {
    if (typeof title === 'string') document.title = `${title} · Keyward`;
  }, [title]);
  return (
    <div className="page-header">
      <h1>{title}</h1>
      <div className="page-actions">{children}</div>
    </div>
  );
}
