/**
 * Findings of one identity and kind join its open alert (from the in-process last-known version,
 * not a lookup per batch) until it is resolved: acknowledging does not split the incident,
 * resolving starts a new alert, and a change made behind the service's back is picked up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/detection/behaviour-rules.js';
import { startTestServer, TEST_BACKENDS, type TestServer } from '../test-server.js';

describe.each(TEST_BACKENDS)('alert joins [%s]', (backend) => {
  let srv: TestServer;
  let n = 0;
  const identityId = 'nhi_0000000000000000000000000000a11e';
  const finding = (over: Partial<Finding> = {}): Finding => ({
    identityId,
    kind: 'repeated_denials',
    severity: 'medium',
    title: 'repeated denials',
    explanation: 'denied again and again',
    baseline: {},
    observed: { n },
    eventId: `evt_${String(++n).padStart(32, '0')}`,
    at: Date.now(),
    ...over,
  });

  beforeAll(async () => {
    srv = await startTestServer({ backend });
  });
  afterAll(async () => {
    await srv.close();
  });

  it('joins, survives an ack and a change behind its back, and starts anew after resolve', async () => {
    const alerts = srv.keyward.services.alerts;
    const [first] = await alerts.raise([finding()]);
    expect(first).toBeDefined();
    expect(await alerts.raise([finding(), finding()])).toEqual([]);
    expect((await alerts.get(first!.id)).eventCount).toBe(3);

    await alerts.acknowledge('tok_test', first!.id, 'looking');
    expect(await alerts.raise([finding()])).toEqual([]);
    const acked = await alerts.get(first!.id);
    expect(acked.status).toBe('acknowledged');
    expect(acked.eventCount).toBe(4);

    // Another replica (or a direct write) bumps the version: the next join reads it afresh.
    await srv.keyward.store.alerts.update({ ...acked, note: 'from elsewhere' });
    expect(await alerts.raise([finding()])).toEqual([]);
    const joined = await alerts.get(first!.id);
    expect(joined.eventCount).toBe(5);
    expect(joined.note).toBe('from elsewhere');

    await alerts.resolve('tok_test', first!.id, 'fixed');
    const [second] = await alerts.raise([finding()]);
    expect(second).toBeDefined();
    expect(second!.id).not.toBe(first!.id);
    expect((await alerts.get(first!.id)).eventCount).toBe(5);
  });

  it('holds joins to a known open alert until a read, a flush or the delay; a worse severity commits at once', async () => {
    const alerts = srv.keyward.services.alerts;
    const other = { identityId: 'nhi_0000000000000000000000000000b0b0' };
    const stored = async (id: string) => (await srv.keyward.store.alerts.get(id))!;
    const [a] = await alerts.raise([finding(other)]);
    expect(a!.eventCount).toBe(1);

    expect(await alerts.raise([finding(other), finding(other)])).toEqual([]);
    expect((await stored(a!.id)).eventCount).toBe(1); // held, not committed yet
    expect((await alerts.get(a!.id)).eventCount).toBe(3); // a read commits them first

    expect(await alerts.raise([finding(other)])).toEqual([]);
    expect((await stored(a!.id)).eventCount).toBe(3);
    await new Promise((r) => setTimeout(r, 1300));
    expect((await stored(a!.id)).eventCount).toBe(4); // the delay ran out

    expect(await alerts.raise([finding(other)])).toEqual([]);
    expect(await alerts.raise([finding({ ...other, severity: 'high' })])).toEqual([]);
    const worse = await stored(a!.id);
    expect(worse.severity).toBe('high');
    expect(worse.eventCount).toBe(6); // the held join went with it, in order

    expect(await alerts.raise([finding(other)])).toEqual([]);
    await alerts.flush();
    expect((await stored(a!.id)).eventCount).toBe(7);
  });
});
