/**
 * What of the request context a policy set can see, found by walking the policies' JSON form. The
 * decision cache keys only on those context attributes (a policy set that never reads the source IP
 * does not miss the cache per client), and on history counts only up to the comparisons policies
 * make: a count compared only with literals (`context.history.same_class_10m > 100`) is keyed by
 * its position among those literals, so counts that rise with every request still hit the cache.
 */
import type { PolicyJson } from '@cedar-policy/cedar-wasm/nodejs';

export interface ContextUse {
  /** Context attributes some policy reads or tests; 'all' when a policy uses `context` as a whole. */
  attributes: ReadonlySet<string> | 'all';
  /** History field → the sorted literals it is compared with, or 'raw' when used any other way. */
  history: ReadonlyMap<string, number[] | 'raw'>;
}

const COMPARISONS = new Set(['<', '<=', '>', '>=', '==', '!=']);
type Node = Record<string, unknown>;

const isContext = (e: unknown): boolean => (e as Node | null)?.Var === 'context';

/** `context.<attr>` → attr. */
function contextAttr(e: unknown): string | undefined {
  const dot = (e as Node | null)?.['.'] as { left?: unknown; attr?: string } | undefined;
  return dot && isContext(dot.left) ? dot.attr : undefined;
}

/** `context.history.<field>` → field. */
function historyField(e: unknown): string | undefined {
  const dot = (e as Node | null)?.['.'] as { left?: unknown; attr?: string } | undefined;
  return dot && contextAttr(dot.left) === 'history' ? dot.attr : undefined;
}

const literal = (e: unknown): number | undefined => {
  const v = (e as Node | null)?.Value;
  return typeof v === 'number' ? v : undefined;
};

export function contextUseOf(policies: readonly PolicyJson[]): ContextUse {
  const attributes = new Set<string>();
  let all = false;
  const history = new Map<string, Set<number> | 'raw'>();
  let historyRaw = false;

  const threshold = (field: string, value: number): void => {
    const seen = history.get(field);
    if (seen === 'raw') return;
    (seen ?? (history.set(field, new Set()).get(field) as Set<number>)).add(value);
  };

  function walk(e: unknown): void {
    if (e === null || typeof e !== 'object') return;
    if (Array.isArray(e)) {
      for (const x of e) walk(x);
      return;
    }
    const node = e as Node;
    if ('Value' in node) return;
    if (isContext(node)) {
      all = true;
      return;
    }
    const field = historyField(node);
    if (field !== undefined) {
      attributes.add('history');
      history.set(field, 'raw');
      return;
    }
    const attr = contextAttr(node);
    if (attr !== undefined) {
      attributes.add(attr);
      if (attr === 'history') historyRaw = true;
      return;
    }
    const has = node.has as { left?: unknown; attr?: string | string[] } | undefined;
    if (has && isContext(has.left)) {
      for (const a of [has.attr ?? []].flat()) attributes.add(a);
      return;
    }
    for (const [op, body] of Object.entries(node)) {
      if (COMPARISONS.has(op)) {
        const { left, right } = body as { left: unknown; right: unknown };
        const lf = historyField(left);
        const rf = historyField(right);
        const lv = literal(left);
        const rv = literal(right);
        if (lf !== undefined && rv !== undefined) {
          attributes.add('history');
          threshold(lf, rv);
          continue;
        }
        if (rf !== undefined && lv !== undefined) {
          attributes.add('history');
          threshold(rf, lv);
          continue;
        }
      }
      walk(body);
    }
  }

  for (const p of policies) for (const c of p.conditions) walk(c.body);
  const out = new Map<string, number[] | 'raw'>();
  for (const [field, seen] of history)
    out.set(field, seen === 'raw' ? 'raw' : [...seen].sort((a, b) => a - b));
  // A policy that used `context.history` as a whole sees every count: '*' keys on all of them.
  return { attributes: all ? 'all' : attributes, history: historyRaw ? new Map([['*', 'raw']]) : out };
}

/**
 * The cache-key form of the history counts: per field the policies read, the count's class among
 * the literals it is compared with (2k for "between the k-th and k+1-th", 2k+1 for "equal to the
 * k+1-th"), or the count itself when the field is used otherwise.
 */
export function historyKey(use: ContextUse, counts: Readonly<Record<string, number>>): string {
  if (use.history.size === 0) return '';
  if (use.history.has('*')) return JSON.stringify(counts);
  let key = '';
  for (const [field, thresholds] of use.history) {
    const c = counts[field] ?? 0;
    if (thresholds === 'raw') {
      key += `${field}=${c};`;
      continue;
    }
    let k = 0;
    while (k < thresholds.length && thresholds[k]! < c) k++;
    key += `${field}=${2 * k + (thresholds[k] === c ? 1 : 0)};`;
  }
  return key;
}
