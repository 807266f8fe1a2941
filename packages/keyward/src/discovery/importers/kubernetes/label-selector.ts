/**
 * Kubernetes label selectors (`matchLabels` and `matchExpressions` with In, NotIn, Exists,
 * DoesNotExist), as ClusterRole aggregation uses them. All requirements must hold; an empty selector
 * matches everything, as in Kubernetes. An operator this code does not know matches nothing, so an
 * odd selector never widens a role.
 */
import { isRecord } from '../json-document.js';

export function selectorMatches(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  if (!isRecord(selector)) return false;
  const matchLabels = isRecord(selector['matchLabels']) ? selector['matchLabels'] : {};
  for (const [k, v] of Object.entries(matchLabels)) if (labels[k] !== String(v)) return false;
  const expressions = Array.isArray(selector['matchExpressions']) ? selector['matchExpressions'] : [];
  for (const e of expressions) {
    if (!isRecord(e) || typeof e['key'] !== 'string') return false;
    const key = e['key'];
    const values = Array.isArray(e['values']) ? e['values'].map(String) : [];
    const has = Object.hasOwn(labels, key);
    switch (e['operator']) {
      case 'In':
        if (!has || !values.includes(labels[key] ?? '')) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[key] ?? '')) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}
