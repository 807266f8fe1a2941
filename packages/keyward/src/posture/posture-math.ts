/**
 * The small pure pieces of the estate KPIs: shares, medians, which grants count as over-privileged,
 * and finding counts folded by code and severity. Kept apart so each can be tested on its own.
 */
import type { PostureKpis } from '@keyward/sdk';

/** `part` of `whole` in %, one decimal; null for a share of nothing. */
export const share = (part: number, whole: number): number | null =>
  whole === 0 ? null : Math.round((part / whole) * 1000) / 10;

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** `*`, `s3:*`, `iam:Put*`: a grant of every action, or of a family of them. */
export const isWildcardAction = (action: string): boolean => action.includes('*');

/** Read-class actions (read, list, get, describe …, and `svc:Get…`-style cloud actions). */
const READ_ACTION = /^(?:[\w-]+:)?(?:read|list|get|describe|view|query|select|search)/i;

/**
 * Whether a has_permission grant is over-privileged on its own: a wildcard or admin action
 * anywhere, or anything beyond reading on a critical resource or system.
 */
export function isOverPrivilegedGrant(actions: readonly string[], onCritical: boolean): boolean {
  return actions.some(
    (a) => isWildcardAction(a) || a.toLowerCase() === 'admin' || (onCritical && !READ_ACTION.test(a)),
  );
}

/** Findings counts (FindingStore.countBy) folded into the KPI's open/accepted views. */
export function countFindings(
  rows: ReadonlyArray<{ code: string; severity: string; status: string; count: number }>,
): PostureKpis['findings'] {
  const result: PostureKpis['findings'] = {
    open: 0,
    accepted: 0,
    openByCode: {},
    openBySeverity: {},
    openByCodeAndSeverity: [],
  };
  const cells = new Map<string, { code: string; severity: string; count: number }>();
  for (const r of rows) {
    if (r.status === 'accepted') result.accepted += r.count;
    if (r.status !== 'open') continue;
    result.open += r.count;
    result.openByCode[r.code] = (result.openByCode[r.code] ?? 0) + r.count;
    result.openBySeverity[r.severity] = (result.openBySeverity[r.severity] ?? 0) + r.count;
    const key = `${r.code}\u0000${r.severity}`;
    const cell = cells.get(key) ?? { code: r.code, severity: r.severity, count: 0 };
    cell.count += r.count;
    cells.set(key, cell);
  }
  result.openByCodeAndSeverity = [...cells.values()].sort(
    (a, b) => a.code.localeCompare(b.code, 'en', { numeric: true }) || a.severity.localeCompare(b.severity),
  );
  return result;
}
