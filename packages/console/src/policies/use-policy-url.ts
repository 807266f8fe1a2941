/**
 * The Policies page's state in the URL: which tab, which version is being viewed, which two are
 * compared. Several keys change in one navigation (react-router's functional updates do not queue).
 */
import { useSearchParams } from 'react-router';

export type PolicyTab = 'current' | 'versions' | 'compare' | 'edit';
const TABS: PolicyTab[] = ['current', 'versions', 'compare', 'edit'];

function num(v: string | null): number | undefined {
  return v !== null && /^\d{1,9}$/.test(v) ? Number(v) : undefined;
}

export function usePolicyUrl(): {
  tab: PolicyTab;
  view: number | undefined;
  a: number | undefined;
  b: number | undefined;
  go: (patch: { tab?: PolicyTab; v?: number | null; a?: number | null; b?: number | null }) => void;
} {
  const [params, setParams] = useSearchParams();
  const t = params.get('tab') as PolicyTab | null;
  return {
    tab: t && TABS.includes(t) ? t : 'current',
    view: num(params.get('v')),
    a: num(params.get('a')),
    b: num(params.get('b')),
    go: (patch) =>
      setParams((p) => {
        const n = new URLSearchParams(p);
        for (const [k, v] of Object.entries(patch)) {
          if (v === null || v === undefined) n.delete(k);
          else n.set(k, String(v));
        }
        if (n.get('tab') === 'current') n.delete('tab');
        return n;
      }),
  };
}
