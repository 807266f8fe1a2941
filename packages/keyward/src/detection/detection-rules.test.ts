/**
 * The alert rules on the engine alone (the inventory given as a fixed table): each kind fires on the
 * behaviour it names and stays silent on the baseline's normal; the learning period holds back
 * baseline-relative kinds.
 */
import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../audit/audit-types.js';
import { createDetectionEngine } from './detection-engine.js';
import { networkOf } from './event-observation.js';
import type { InventoryResolver, TargetInfo } from './inventory-resolver.js';

const T0 = Date.parse('2026-03-02T00:00:00.000Z');
const MIN = 60_000;
const DAY = 86_400_000;

const targets: Record<string, TargetInfo> = {
  res_a: { system: 'sys_app', resourceClass: 'api/low', sensitivity: 'low' },
  res_db: { system: 'sys_db', resourceClass: 'table/critical', sensitivity: 'critical' },
};
const resolver: InventoryResolver = {
  target: (id) => targets[id],
  identity: (id) => ({ name: id, ownerId: null, ownerActive: undefined }),
  prefetch: async () => {},
};

let n = 0;
function ev(at: number, over: Partial<AuditEvent> & { details?: Record<string, unknown> } = {}): AuditEvent {
  n++;
  return {
    id: `evt_${n}`,
    seq: n,
    time: new Date(at).toISOString(),
    actor: 'nhi_job',
    delegationChain: [],
    type: 'activity.access',
    action: 'read',
    targetId: 'res_a',
    taskId: null,
    outcome: 'success',
    policyIds: [],
    source: { ip: '10.1.1.5', userAgent: 'job/1.0' },
    details: {},
    prevHash: '',
    hash: '',
    ...over,
  };
}

/** Ten days of a job that runs every 15 minutes from 09:00 to 17:00 UTC. */
function trained() {
  const engine = createDetectionEngine(resolver);
  const history: AuditEvent[] = [];
  for (let d = 0; d < 10; d++) {
    for (let m = 9 * 60; m < 17 * 60; m += 15) history.push(ev(T0 + d * DAY + m * MIN));
  }
  expect(engine.processResolved(history)).toEqual([]);
  expect(engine.baseline('nhi_job')?.learned).toBe(true);
  return engine;
}
const day10 = T0 + 10 * DAY;
const kinds = (fs: Array<{ kind: string }>) => [...new Set(fs.map((f) => f.kind))].sort();

describe('detection rules', () => {
  it('normal behaviour on the next day raises nothing', () => {
    const engine = trained();
    expect(engine.processResolved([ev(day10 + 10 * 3_600_000), ev(day10 + 11 * 3_600_000)])).toEqual([]);
  });

  it('off hours, new source, scope drift each fire with the baseline they broke', () => {
    const engine = trained();
    expect(kinds(engine.processResolved([ev(day10 + 3 * 3_600_000)]))).toEqual(['off_hours']);
    const src = engine.processResolved([ev(day10 + 10 * 3_600_000, { source: { ip: '198.51.100.4' } })]);
    expect(src).toMatchObject([{ kind: 'new_source', baseline: { networks: ['10.1.1.0/24'] } }]);
    const drift = engine.processResolved([ev(day10 + 10.5 * 3_600_000, { targetId: 'res_db' })]);
    expect(drift).toMatchObject([
      { kind: 'scope_drift', severity: 'high', baseline: { systems: ['sys_app'] } },
    ]);
  });

  it('rate spikes (a burst of requests in one minute)', () => {
    const engine = trained();
    const burst = Array.from({ length: 40 }, (_, i) => ev(day10 + 12 * 3_600_000 + i * 1000));
    expect(kinds(engine.processResolved(burst))).toEqual(['rate_spike']);
  });

  it('escalation attempts and repeated denials need no baseline', () => {
    const engine = createDetectionEngine(resolver);
    expect(kinds(engine.processResolved([ev(T0, { type: 'authz.escalation', outcome: 'denied' })]))).toEqual([
      'escalation_attempt',
    ]);
    const denied = Array.from({ length: 5 }, (_, i) => ev(T0 + (i + 1) * MIN, { outcome: 'denied' }));
    expect(kinds(engine.processResolved(denied))).toEqual(['repeated_denials']);
  });

  it('human use: a browser user agent at once, irregular human pacing once learned', () => {
    const fresh = createDetectionEngine(resolver);
    const ua =
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 Version/17.0 Safari/605.1.15';
    expect(kinds(fresh.processResolved([ev(T0, { source: { ip: '10.1.1.5', userAgent: ua } })]))).toEqual([
      'human_use',
    ]);
    const engine = trained();
    const gaps = [3, 41, 7, 120, 12, 2, 65, 9, 30, 4];
    const start = day10 + 13 * 3_600_000 + 7 * MIN;
    const times = gaps.map((_, i) => start + gaps.slice(0, i + 1).reduce((a, g) => a + g, 0) * 1000);
    const clicks = times.map((t) => ev(t));
    expect(kinds(engine.processResolved(clicks))).toContain('human_use');
  });

  it('a new identity learns first: no baseline-relative alert during its learning period', () => {
    const engine = createDetectionEngine(resolver);
    const early = [
      ev(T0 + 3 * 3_600_000),
      ev(T0 + 4 * 3_600_000, { source: { ip: '198.51.100.4' }, targetId: 'res_db' }),
      ...Array.from({ length: 40 }, (_, i) => ev(T0 + 5 * 3_600_000 + i * 1000)),
    ];
    expect(engine.processResolved(early)).toEqual([]);
  });

  it('a baseline survives its JSON form', () => {
    const engine = trained();
    const json = engine.baseline('nhi_job')!.toJSON();
    const other = createDetectionEngine(resolver);
    other.load('nhi_job', JSON.parse(JSON.stringify(json)));
    expect(other.baseline('nhi_job')!.toJSON()).toEqual(json);
    expect(
      kinds(other.processResolved([ev(day10 + 10 * 3_600_000, { source: { ip: '198.51.100.4' } })])),
    ).toEqual(['new_source']);
  });

  it('groups sources by /24 and /64', () => {
    expect(networkOf('10.1.2.3')).toBe('cidr:10.1.2.0/24');
    expect(networkOf('2001:db8:0:12:abcd::1')).toBe('cidr:2001:db8:0:12::/64');
    expect(networkOf('::ffff:192.0.2.9')).toBe('cidr:192.0.2.0/24');
    expect(networkOf('not-an-ip')).toBeUndefined();
  });
});
