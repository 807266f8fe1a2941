/**
 * The detection scenario end to end (real server over HTTP, both backends): weeks of quiet normal
 * traffic build baselines; a forgotten service-account key is then used from a new source (entry),
 * reaches systems beyond its baseline (escalation) and moves data in volume (impact). Keyward must
 * raise an alert of the right kind at each stage, and none at all on the normal traffic. The alerts
 * also reach a webhook (audit sink filtered to alert.*) and the SET feed; ack and resolve are audited.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERT_EVENT } from '../src/detection/alert-set.js';
import {
  runDetectionScenario,
  type ScenarioClock,
  type ScenarioResult,
} from './detection-scenario-driver.js';
import { startTestServer, TEST_BACKENDS, type TestServer } from './test-server.js';

describe.each(TEST_BACKENDS)('detection scenario [%s]', (backend) => {
  let server: TestServer;
  let result: ScenarioResult;
  let hook: Server;
  const delivered: Array<{ type: string; details: Record<string, unknown> }> = [];
  const clock: ScenarioClock = { now: 0 };

  beforeAll(async () => {
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        delivered.push(...(JSON.parse(body) as { events: typeof delivered }).events);
        res.end();
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    const port = (hook.address() as AddressInfo).port;
    server = await startTestServer({
      backend,
      now: () => new Date(clock.now),
      auditSinks: [{ type: 'webhook', url: `http://127.0.0.1:${port}/alerts`, types: ['alert.'] }],
    });
    result = await runDetectionScenario({ ...server, clock });
    process.stdout.write(
      `${JSON.stringify({ bench: 'audit', metric: 'false_alerts', value: result.falseAlerts.length, unit: 'alerts', backend, normal_events: result.normalEvents })}\n`,
    );
  }, 300_000);
  afterAll(async () => {
    await server?.close();
    await new Promise((resolve) => hook?.close(resolve));
  });

  it('raises nothing on weeks of quiet normal traffic, and zero false alerts overall', () => {
    expect(result.normalEvents).toBeGreaterThan(5000);
    expect(result.quietAlerts).toEqual([]);
    expect(result.falseAlerts).toEqual([]);
  });

  it('the normal identities were watched: learned baselines of their systems, sources and hours', async () => {
    const get = async (key: string) =>
      (await (
        await fetch(`${server.url}/v1/baselines/${result.ids[key]}`, {
          headers: { authorization: `Bearer ${server.adminToken}` },
        })
      ).json()) as { learned: boolean; sets: Record<string, Record<string, number>>; hours: number[] };
    const etl = await get('etl-nightly');
    expect(etl.learned).toBe(true);
    expect(Object.keys(etl.sets['systems']!)).toEqual([result.ids['sys:warehouse']]);
    expect(Object.keys(etl.sets['networks']!)).toEqual(['cidr:10.0.2.0/24']);
    expect(etl.hours.flatMap((seen, h) => (seen > 0 ? [h] : []))).toEqual([1, 2]);
    const ci = await get('ci-deployer');
    expect(ci.learned).toBe(true);
    expect(Object.keys(ci.sets['workloads']!)).toEqual(['workload:spiffe://prod/ci/deployer']);
  });

  it('entry: the forgotten key used from a new source, after its owner left and weeks of silence', () => {
    const bk = result.ids['legacy-backup'];
    expect(result.entry.every((a) => a.identityId === bk)).toBe(true);
    const kinds = result.entry.map((a) => a.kind).sort();
    expect(kinds).toEqual(['dormant_reactivated', 'new_source', 'orphaned_owner']);
    const source = result.entry.find((a) => a.kind === 'new_source')!;
    expect(source.observed).toMatchObject({ network: '203.0.113.0/24' });
    expect(source.baseline).toMatchObject({ networks: ['10.0.5.0/24'] });
    expect(source.eventIds.length).toBeGreaterThan(0);
    expect(source.explanation).toContain('10.0.5.0/24');
  });

  it('escalation: systems beyond the baseline, one alert for the incident', () => {
    const drift = result.escalation.filter((a) => a.kind === 'scope_drift');
    expect(drift).toHaveLength(1);
    expect(drift[0]).toMatchObject({ severity: 'high', identityId: result.ids['legacy-backup'] });
    expect(drift[0]!.eventCount).toBeGreaterThanOrEqual(2);
    expect(drift[0]!.baseline).toMatchObject({ systems: [result.ids['sys:backups']] });
  });

  it('impact: data moved in volume', () => {
    const volume = result.impact.filter((a) => a.kind === 'volume_spike');
    expect(volume).toHaveLength(1);
    expect(volume[0]).toMatchObject({ severity: 'high' });
    expect(result.impact.every((a) => a.identityId === result.ids['legacy-backup'])).toBe(true);
  });

  it('alerts go out on the SET feed and the webhook; ack and resolve are audited', async () => {
    const auth = { authorization: `Bearer ${server.adminToken}` };
    const feed = (await (
      await fetch(`${server.url}/v1/revocations/events?limit=1000`, { headers: auth })
    ).json()) as {
      events: Array<{ set: string }>;
    };
    const sets = feed.events
      .map((e) => decodeJwt(e.set))
      .filter((c) => c['events'] && ALERT_EVENT in (c['events'] as object));
    const raised = [...result.entry, ...result.escalation, ...result.impact];
    expect(sets.map((c) => (c['keyward_alert'] as { id: string }).id).sort()).toEqual(
      raised.map((a) => a.id).sort(),
    );

    await server.keyward.services.auditTrail.writer.flush();
    await expect
      .poll(() => delivered.filter((e) => e.type === 'alert.raised').length, { timeout: 10_000 })
      .toBe(raised.length);

    const id = result.impact[0]!.id;
    const post = (path: string, body: unknown) =>
      fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const ack = await post(`/v1/alerts/${id}/ack`, { note: 'looking' });
    expect(ack.status).toBe(200);
    expect(await ack.json()).toMatchObject({ status: 'acknowledged', note: 'looking' });
    expect((await post(`/v1/alerts/${id}/resolve`, {})).status).toBe(200);
    const again = await post(`/v1/alerts/${id}/resolve`, {});
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ code: 'alert_closed' });
    const audit = (await (
      await fetch(`${server.url}/v1/audit/events?type=alert.resolved`, { headers: auth })
    ).json()) as { items: Array<{ details: { alertId: string } }> };
    expect(audit.items.map((e) => e.details.alertId)).toEqual([id]);
    const open = (await (
      await fetch(`${server.url}/v1/alerts?status=resolved`, { headers: auth })
    ).json()) as {
      items: Array<{ id: string }>;
    };
    expect(open.items.map((a) => a.id)).toEqual([id]);
  });
});
