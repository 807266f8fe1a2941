/**
 * The detection threat narrative, driven against a real Keyward over HTTP (shared by
 * test/detection-scenario.test.ts and the audit bench's scenario run):
 *
 *   weeks of quiet normal traffic from five service identities (time driven through the server's
 *   clock and the reported event times, never by sleeping), one of which — a backup job — goes quiet
 *   after two weeks and whose owner later leaves; then, 5 weeks on, its forgotten key is used
 *   1. from a new source (entry), 2. to reach systems beyond its baseline (escalation),
 *   3. to move data in volume (impact), while the other four keep their normal traffic.
 *
 * Every activity item is reported through POST /v1/activity; alerts are read from GET /v1/alerts.
 */

import type { Keyward } from '../src/app.js';
import type { Alert } from '../src/detection/alert-types.js';

const DAY = 86_400_000;
const MINUTE = 60_000;
/** Monday 2026-01-05 00:00 UTC. */
export const SCENARIO_START = Date.parse('2026-01-05T00:00:00.000Z');

export interface ScenarioClock {
  now: number;
}

export interface ScenarioServer {
  url: string;
  adminToken: string;
  keyward: Keyward;
  clock: ScenarioClock;
}

interface Item {
  identityId: string;
  action: string;
  target: string;
  time: string;
  source: { ip: string; userAgent: string; workload?: string };
  bytes?: number;
  records?: number;
  outcome?: 'success' | 'denied';
}

export interface ScenarioResult {
  entry: Alert[];
  escalation: Alert[];
  impact: Alert[];
  /** Alerts on the four identities with only normal traffic, over the whole run. */
  falseAlerts: Alert[];
  /** Alerts raised before the attack began (normal traffic only, all five identities). */
  quietAlerts: Alert[];
  normalEvents: number;
  ids: Record<string, string>;
}

/** A small seeded PRNG (mulberry32), so every run replays the same traffic. */
export function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

async function api<T>(s: ScenarioServer, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${s.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${s.adminToken}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

async function setUp(s: ScenarioServer): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  const make = async (key: string, path: string, body: Record<string, unknown>) => {
    ids[key] = (await api<{ id: string }>(s, 'POST', path, body)).id;
  };
  await make('alice', '/v1/humans', { email: 'alice@example.com', name: 'Alice' });
  await make('bob', '/v1/humans', { email: 'bob@example.com', name: 'Bob' });
  for (const [key, sensitivity] of [
    ['metrics', 'low'],
    ['crm', 'medium'],
    ['billing', 'high'],
    ['warehouse', 'critical'],
    ['payroll', 'critical'],
    ['backups', 'medium'],
  ] as const) {
    await make(`sys:${key}`, '/v1/systems', { name: key, sensitivity });
  }
  const resources: Array<[string, string, string, string]> = [
    ['dash', 'metrics', 'dashboard', 'low'],
    ['series', 'metrics', 'timeseries', 'low'],
    ['contacts', 'crm', 'api', 'medium'],
    ['invoices', 'billing', 'table', 'high'],
    ['ledger', 'billing', 'table', 'high'],
    ['events', 'warehouse', 'table', 'critical'],
    ['customers', 'warehouse', 'table', 'critical'],
    ['salaries', 'payroll', 'table', 'critical'],
    ['snapshots', 'backups', 'bucket', 'medium'],
  ];
  for (const [key, system, kind, sensitivity] of resources) {
    await make(`res:${key}`, '/v1/resources', {
      name: key,
      kind,
      sensitivity,
      systemId: ids[`sys:${system}`],
    });
  }
  for (const [key, owner] of [
    ['ci-deployer', 'alice'],
    ['etl-nightly', 'alice'],
    ['billing-sync', 'alice'],
    ['report-bot', 'alice'],
    ['legacy-backup', 'bob'],
  ] as const) {
    await make(key, '/v1/identities', {
      name: key,
      kind: 'service_account',
      environment: 'prod',
      ownerId: ids[owner],
      purpose: `the ${key} job`,
      reviewDate: '2027-01-01T00:00:00.000Z',
    });
  }
  return ids;
}

/** One day of normal traffic for every identity still running (sorted by time). */
function normalDay(
  day: number,
  ids: Record<string, string>,
  random: () => number,
  backupRuns: boolean,
): Item[] {
  const t0 = SCENARIO_START + day * DAY;
  const weekday = new Date(t0).getUTCDay() % 6 !== 0;
  const items: Item[] = [];
  const ip = (net: string) => `10.0.${net}.${10 + Math.floor(random() * 40)}`;
  const at = (ms: number) => new Date(ms).toISOString();
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  // ci-deployer: weekdays 08–18 UTC, every 20–40 min, attested CI workload.
  if (weekday) {
    for (let m = 8 * 60 + random() * 20; m < 18 * 60; m += 20 + random() * 20) {
      items.push({
        identityId: ids['ci-deployer']!,
        action: pick(['deploy', 'read']),
        target: ids[pick(['res:dash', 'res:series', 'res:contacts'])]!,
        time: at(t0 + m * MINUTE),
        source: { ip: ip('1'), userAgent: 'ci-runner/3.2', workload: 'spiffe://prod/ci/deployer' },
        bytes: 2000 + Math.floor(random() * 8000),
      });
    }
  }
  // etl-nightly: 01:00–03:00 UTC, ~10 large warehouse reads.
  for (let m = 60 + random() * 10; m < 180; m += 10 + random() * 6) {
    items.push({
      identityId: ids['etl-nightly']!,
      action: 'select',
      target: ids[pick(['res:events', 'res:customers'])]!,
      time: at(t0 + m * MINUTE),
      source: { ip: ip('2'), userAgent: 'etl/1.4 (python)' },
      bytes: 30_000_000 + Math.floor(random() * 40_000_000),
      records: 100_000 + Math.floor(random() * 50_000),
    });
  }
  // billing-sync: every 15 min around the clock, the odd refusal.
  for (let m = random() * 5; m < 24 * 60; m += 15) {
    items.push({
      identityId: ids['billing-sync']!,
      action: pick(['read', 'write']),
      target: ids[pick(['res:invoices', 'res:ledger'])]!,
      time: at(t0 + (m + random()) * MINUTE),
      source: { ip: ip('3'), userAgent: 'billing-sync/2.0 (go-http-client)' },
      bytes: 500 + Math.floor(random() * 5000),
      ...(random() < 0.01 ? { outcome: 'denied' as const } : {}),
    });
  }
  // report-bot: hourly 06–20 UTC.
  for (let h = 6; h <= 20; h++) {
    items.push({
      identityId: ids['report-bot']!,
      action: 'read',
      target: ids[pick(['res:dash', 'res:contacts'])]!,
      time: at(t0 + (h * 60 + random() * 10) * MINUTE),
      source: { ip: ip('4'), userAgent: 'report-bot/0.9 (node)' },
      bytes: 10_000 + Math.floor(random() * 20_000),
    });
  }
  // legacy-backup: nightly at 02:00, six snapshot writes (only in the first two weeks).
  if (backupRuns) {
    for (let k = 0; k < 6; k++) {
      items.push({
        identityId: ids['legacy-backup']!,
        action: 'put',
        target: ids['res:snapshots']!,
        time: at(t0 + (120 + k * 4 + random() * 2) * MINUTE),
        source: { ip: ip('5'), userAgent: 'backup-agent/1.0 (curl)' },
        bytes: 1_000_000 + Math.floor(random() * 500_000),
      });
    }
  }
  return items.sort((a, b) => a.time.localeCompare(b.time));
}

async function report(s: ScenarioServer, items: Item[], clockAt: number): Promise<void> {
  for (let i = 0; i < items.length; i += 1000) {
    s.clock.now = clockAt;
    await api(s, 'POST', '/v1/activity', { items: items.slice(i, i + 1000) });
  }
  await s.keyward.services.detection.idle();
}

async function alertsSince(s: ScenarioServer, seen: Set<string>): Promise<Alert[]> {
  const all: Alert[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: Alert[]; nextCursor: string | null } = await api(
      s,
      'GET',
      `/v1/alerts?limit=200${cursor ? `&cursor=${cursor}` : ''}`,
    );
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  const fresh = all.filter((a) => !seen.has(a.id));
  for (const a of fresh) seen.add(a.id);
  return fresh;
}

export async function runDetectionScenario(s: ScenarioServer): Promise<ScenarioResult> {
  const random = rng(20260105);
  s.clock.now = SCENARIO_START - DAY;
  const ids = await setUp(s);
  const seen = new Set<string>();
  let normalEvents = 0;
  const ATTACK_DAY = 52;
  const quiet: Alert[] = [];
  for (let day = 0; day < ATTACK_DAY; day++) {
    const items = normalDay(day, ids, random, day < 14);
    normalEvents += items.length;
    await report(s, items, SCENARIO_START + (day + 1) * DAY - 1);
    if (day === 30) {
      // Bob, who owned the backup job, leaves; nobody revokes its key.
      const bob = await api<{ version: number }>(s, 'GET', `/v1/humans/${ids['bob']}`);
      await api(s, 'PATCH', `/v1/humans/${ids['bob']}`, { active: false, version: bob.version });
    }
  }
  quiet.push(...(await alertsSince(s, seen)));

  // Attack day: normal traffic up to 02:00, then the three stages, then the rest of the day.
  const t0 = SCENARIO_START + ATTACK_DAY * DAY;
  const day = normalDay(ATTACK_DAY, ids, random, false);
  normalEvents += day.length;
  const before = day.filter((i) => Date.parse(i.time) < t0 + 2 * 3_600_000);
  await report(s, before, t0 + 2 * 3_600_000);
  const attacker = { ip: '203.0.113.77', userAgent: 'python-requests/2.31' };
  const step = (min: number) => new Date(t0 + 2 * 3_600_000 + min * MINUTE).toISOString();
  const bk = ids['legacy-backup']!;

  // 1. Entry: the forgotten key, from a new network, doing what the key used to do.
  await report(
    s,
    [0, 1, 2].map((k) => ({
      identityId: bk,
      action: 'list',
      target: ids['res:snapshots']!,
      time: step(k * 0.5),
      source: attacker,
      bytes: 2_000,
    })),
    t0 + 2 * 3_600_000 + 2 * MINUTE,
  );
  const entry = await alertsSince(s, seen);

  // 2. Escalation: beyond its baseline, into the warehouse and payroll (critical systems).
  await report(
    s,
    (['res:customers', 'res:salaries', 'res:events'] as const).map((r, k) => ({
      identityId: bk,
      action: 'select',
      target: ids[r]!,
      time: step(5 + k),
      source: attacker,
      bytes: 50_000,
      records: 100,
    })),
    t0 + 2 * 3_600_000 + 9 * MINUTE,
  );
  const escalation = await alertsSince(s, seen);

  // 3. Impact: bulk export of the customer table, 25 × 200 MB.
  await report(
    s,
    Array.from({ length: 25 }, (_, k) => ({
      identityId: bk,
      action: 'export',
      target: ids['res:customers']!,
      time: step(12 + k * 0.2),
      source: attacker,
      bytes: 200_000_000,
      records: 400_000,
    })),
    t0 + 2 * 3_600_000 + 20 * MINUTE,
  );
  const impact = await alertsSince(s, seen);

  await report(
    s,
    day.filter((i) => Date.parse(i.time) >= t0 + 2 * 3_600_000),
    t0 + DAY - 1,
  );
  for (let d = ATTACK_DAY + 1; d < ATTACK_DAY + 3; d++) {
    const items = normalDay(d, ids, random, false);
    normalEvents += items.length;
    await report(s, items, SCENARIO_START + (d + 1) * DAY - 1);
  }
  await alertsSince(s, seen);
  const all = await alertsSince(s, new Set());
  const normal = new Set(['ci-deployer', 'etl-nightly', 'billing-sync', 'report-bot'].map((k) => ids[k]));
  return {
    entry,
    escalation,
    impact,
    falseAlerts: all.filter((a) => normal.has(a.identityId)),
    quietAlerts: quiet,
    normalEvents,
    ids,
  };
}
