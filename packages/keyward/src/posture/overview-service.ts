/**
 * The console's Overview: live counts of the estate, open findings by NHI code and severity, open
 * alerts by severity, and per-day trends over a window; and the open-findings badge of a page of
 * identities (Inventory). Everything is read as SQL aggregates from the store (counts, GROUP BY),
 * never by loading rows, so it costs the same on a demo estate and on 100,000 identities.
 */

import type { FindingCounts, Overview, OverviewTrendName as TrendName } from '@keyward/sdk';
import type { AlertSeverity } from '../detection/alert-types.js';
import { ALERT_SEVERITIES } from '../detection/alert-types.js';
import { FINDING_SEVERITIES, type FindingSeverity } from '../discovery/discovery-types.js';
import type { DayCount, Store } from '../storage/storage-types.js';

const DAY_MS = 86_400_000;
export const OVERVIEW_MAX_DAYS = 365;
export const OVERVIEW_DEFAULT_DAYS = 30;
/** OWASP NHI Top 10 (2025), in order: every code is listed, zeros included. */
export const NHI_CODES = ['NHI1', 'NHI2', 'NHI3', 'NHI4', 'NHI5', 'NHI6', 'NHI7', 'NHI8', 'NHI9', 'NHI10'];
/** Audit events of a credential handed out: access tokens (client credentials, exchange) and broker leases. */
export const CREDENTIAL_ISSUED_EVENTS = [
  'oauth.token.issued',
  'oauth.token.exchanged',
  'broker.lease.issued',
];
/** Most identity ids one findings-counts request may ask for. */
export const MAX_COUNT_IDS = 200;

/** Severities most severe first, as the wire lists them. */
const FINDING_WORST_FIRST = [...FINDING_SEVERITIES].reverse() as FindingSeverity[];
const ALERT_WORST_FIRST = [...ALERT_SEVERITIES].reverse() as AlertSeverity[];

export type { FindingCounts, Overview, OverviewTrendName as TrendName } from '@keyward/sdk';

export interface OverviewDeps {
  store: Store;
  now: () => Date;
}

const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** The window's days oldest first, each with its count (zero when the store had none). */
function fill(days: readonly string[], counts: readonly DayCount[]): Array<{ t: string; v: number }> {
  const byDay = new Map(counts.map((c) => [c.day, c.count]));
  return days.map((t) => ({ t, v: byDay.get(t) ?? 0 }));
}

export function createOverviewService({ store, now }: OverviewDeps) {
  async function overview(days: number = OVERVIEW_DEFAULT_DAYS): Promise<Overview> {
    const at = now();
    const nowIso = at.toISOString();
    // The window ends today (UTC) and holds `days` whole UTC days: today and the days - 1 before it.
    const today = Date.parse(`${utcDay(at.getTime())}T00:00:00.000Z`);
    const window = Array.from({ length: days }, (_, i) => utcDay(today - (days - 1 - i) * DAY_MS));
    const since = `${window[0]}T00:00:00.000Z`;

    const [identities, activeTasks, leases, liveTokens, pendingApprovals, alerts, findingRows, ...trends] =
      await Promise.all([
        store.identities.countByStatus(),
        store.tasks.countActive(nowIso),
        store.leases.countByStatus(),
        store.issuedTokens.countLive(nowIso),
        store.approvals.countPending(nowIso),
        store.alerts.countOpenBySeverity(),
        store.findings.countBy(),
        store.identities.createdPerDay(since),
        store.findings.openedPerDay(since),
        store.findings.resolvedPerDay(since),
        store.alerts.raisedPerDay(since),
        store.audit.countPerDay(CREDENTIAL_ISSUED_EVENTS, since),
      ]);

    const cells = new Map(
      NHI_CODES.map((code) => [code, Object.fromEntries(FINDING_SEVERITIES.map((s) => [s, 0]))]),
    );
    let openFindings = 0;
    for (const r of findingRows) {
      if (r.status !== 'open') continue;
      openFindings += r.count;
      const cell = cells.get(r.code);
      // A code outside the ten or an unknown severity still counts as open, just not in the table.
      if (cell && r.severity in cell) cell[r.severity] = (cell[r.severity] ?? 0) + r.count;
    }
    const findingsByCode = NHI_CODES.map((code) => {
      const cell = cells.get(code) as Record<FindingSeverity, number>;
      const bySeverity = Object.fromEntries(FINDING_WORST_FIRST.map((s) => [s, cell[s]])) as Record<
        FindingSeverity,
        number
      >;
      return { code, ...bySeverity, total: FINDING_SEVERITIES.reduce((n, s) => n + cell[s], 0) };
    });

    const names: TrendName[] = [
      'identitiesCreated',
      'findingsOpened',
      'findingsResolved',
      'alertsRaised',
      'credentialsIssued',
    ];
    return {
      generatedAt: nowIso,
      live: {
        // Live as the posture KPIs count it (posture-kpis.ts): active or orphaned, not disabled/revoked.
        identities: identities.active + identities.orphaned,
        activeTasks,
        activeLeases: leases.active,
        liveAccessTokens: liveTokens,
        pendingApprovals,
        openAlerts: ALERT_SEVERITIES.reduce((n, s) => n + alerts[s], 0),
        openFindings,
      },
      findingsByCode,
      alertsBySeverity: ALERT_WORST_FIRST.map((severity) => ({ severity, open: alerts[severity] })),
      trends: {
        days,
        series: names.map((name, i) => ({ name, points: fill(window, trends[i] as DayCount[]) })),
      },
    };
  }

  /** Open findings and the worst open severity of each asked identity (0 and null when none). */
  async function findingCounts(identityIds: readonly string[]): Promise<FindingCounts> {
    const counts: FindingCounts['counts'] = {};
    for (const id of identityIds) counts[id] = { open: 0, worst: null };
    const rank = (s: FindingSeverity | null) => (s === null ? -1 : FINDING_SEVERITIES.indexOf(s));
    for (const r of await store.findings.countOpenByIdentity([...new Set(identityIds)])) {
      const entry = counts[r.identityId];
      if (!entry) continue;
      entry.open += r.count;
      if (rank(r.severity) > rank(entry.worst)) entry.worst = r.severity;
    }
    return { counts };
  }

  return { overview, findingCounts };
}

export type OverviewService = ReturnType<typeof createOverviewService>;
