/**
 * The detection figures of `npm run bench -- audit`:
 *
 * - detect_us_per_event: the engine's cost per audit event on a realistic mix (500 identities, each
 *   with its own systems, resources, /24 and working hours; token issuance, decisions, tool calls and
 *   reported activity with bytes; 3% denials), baselines warm (two weeks learned first) and the
 *   inventory resolved from a real SQLite store (cached, as in the server).
 * - false_alerts: the scenario of test/detection-scenario.test.ts run against a real server; the
 *   alerts raised on its normal traffic.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Resource, System } from '@keyward/sdk';
import type { AuditEvent } from '../packages/keyward/src/audit/audit-types.js';
import { createDetectionEngine } from '../packages/keyward/src/detection/detection-engine.js';
import { createInventoryResolver } from '../packages/keyward/src/detection/inventory-resolver.js';
import { newId } from '../packages/keyward/src/ids.js';
import { openStore } from '../packages/keyward/src/storage/open-store.js';
import { rng, runDetectionScenario } from '../packages/keyward/test/detection-scenario-driver.js';
import { startTestServer } from '../packages/keyward/test/test-server.js';

const T0 = Date.parse('2026-02-02T00:00:00.000Z');
const SENS = ['low', 'medium', 'high', 'critical'] as const;
const TYPES = ['oauth.token.issued', 'authz.decision', 'mcp.tool_call', 'activity.access'] as const;

interface Persona {
  id: string;
  net: string;
  targets: string[];
  startHour: number;
  tools: string[];
}

/** `count` events spread over `days` days from `startDay`, every persona within its working hours. */
function traffic(personas: Persona[], startDay: number, days: number, count: number, random: () => number) {
  const events: AuditEvent[] = [];
  const perDay = Math.ceil(count / days);
  for (let d = 0; d < days; d++) {
    const dayStart = T0 + (startDay + d) * 86_400_000;
    const times = Array.from({ length: perDay }, () => random()).sort((a, b) => a - b);
    for (const [k, r] of times.entries()) {
      const p = personas[Math.floor(random() * personas.length)]!;
      const type = TYPES[k % TYPES.length]!;
      const at = dayStart + p.startHour * 3_600_000 + Math.floor(r * 8 * 3_600_000);
      events.push({
        id: newId('auditEvent'),
        seq: events.length + 1,
        time: new Date(at).toISOString(),
        actor: p.id,
        delegationChain: k % 3 === 0 ? ['hum_0190a0b0c0d0e0f00000000000000001'] : [],
        type,
        action: type === 'mcp.tool_call' ? 'call' : 'read',
        targetId: p.targets[k % p.targets.length]!,
        taskId: null,
        outcome: random() < 0.03 ? 'denied' : 'success',
        policyIds: [],
        source: { ip: `${p.net}.${1 + Math.floor(random() * 200)}`, userAgent: 'keyward-sdk/0.1' },
        details: type === 'mcp.tool_call' ? { tool: p.tools[k % p.tools.length] } : { bytes: 1000 + k },
        prevHash: '',
        hash: '',
      });
    }
  }
  return events;
}

export async function detectionCost(
  events: number,
): Promise<{ usPerEvent: number; findings: number; byKind: Record<string, number> }> {
  const dir = mkdtempSync(join(tmpdir(), 'keyward-detect-bench-'));
  const store = await openStore({ backend: 'sqlite', file: join(dir, 'd.db'), migrate: true });
  try {
    const at = new Date(T0).toISOString();
    const systems: System[] = Array.from({ length: 50 }, (_, i) => ({
      id: newId('system'),
      name: `sys-${i}`,
      sensitivity: SENS[i % 4]!,
      ownerId: null,
      description: null,
      createdAt: at,
      updatedAt: at,
      version: 1,
    }));
    const resources: Resource[] = Array.from({ length: 2000 }, (_, i) => ({
      id: newId('resource'),
      name: `res-${i}`,
      kind: ['table', 'bucket', 'api', 'queue'][i % 4]!,
      systemId: systems[i % 50]!.id,
      environment: 'prod',
      sensitivity: SENS[(i >> 2) % 4]!,
      labels: {},
      createdAt: at,
      updatedAt: at,
      version: 1,
    }));
    await store.systems.createMany(systems);
    await store.resources.createMany(resources);
    const random = rng(7);
    const personas: Persona[] = Array.from({ length: 500 }, (_, i) => ({
      id: newId('identity'),
      net: `10.${i >> 8}.${i & 255}`,
      targets: Array.from({ length: 4 }, (_, k) => resources[(i * 4 + k) % 2000]!.id),
      startHour: 6 + (i % 6),
      tools: ['search', 'read_file', 'sql_query'].slice(0, 1 + (i % 3)),
    }));
    const resolver = createInventoryResolver(store, { ttlMs: 3_600_000 });
    const engine = createDetectionEngine(resolver);
    const warm = traffic(personas, 0, 14, Math.max(events, 100_000), random);
    await engine.process(warm);
    const measured = traffic(personas, 14, 7, events, random);
    await resolver.prefetch(
      measured.flatMap((e) => (e.targetId ? [e.targetId] : [])),
      personas.map((p) => p.id),
    );
    const t0 = performance.now();
    const findings = engine.processResolved(measured);
    const us = ((performance.now() - t0) * 1000) / measured.length;
    const byKind: Record<string, number> = {};
    for (const f of findings) byKind[f.kind] = (byKind[f.kind] ?? 0) + 1;
    return { usPerEvent: us, findings: findings.length, byKind };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function scenarioFalseAlerts(): Promise<{
  falseAlerts: number;
  normalEvents: number;
  stagesAlerted: number;
}> {
  const clock = { now: 0 };
  const server = await startTestServer({ now: () => new Date(clock.now) });
  try {
    const r = await runDetectionScenario({ ...server, clock });
    const stagesAlerted = [r.entry, r.escalation, r.impact].filter((s) => s.length > 0).length;
    return { falseAlerts: r.falseAlerts.length, normalEvents: r.normalEvents, stagesAlerted };
  } finally {
    await server.close();
  }
}
