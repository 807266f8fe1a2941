/**
 * Expiry on a real store with an injected clock: an active identity past its end (credential
 * expiry or review date, the earlier) is disabled once; one ending within the notice window gets
 * exactly one notice per end date (again after a renewal moves the end); identities without an end,
 * far from it, or not active are left alone.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ExpiryRun, endOf } from '../../src/lifecycle/expiry.js';
import type { TestServer } from '../test-server.js';
import { type Clock, DAY, events, lifecycleServer, movableClock, status } from './lifecycle-fixtures.js';

const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

const expiryResult = async (srv: TestServer): Promise<ExpiryRun> => {
  const r = (await srv.keyward.lifecycle.runOnce()).find((x) => x.job === 'lifecycle: expiry');
  expect(r?.ran).toBe(true);
  return r?.result as ExpiryRun;
};

describe('expiry', () => {
  let clock: Clock;
  let srv: TestServer;
  const make = (name: string, extra: Record<string, unknown>) =>
    srv.keyward.services.identities.create('test', {
      name,
      kind: 'api_key',
      environment: 'dev',
      ...extra,
    } as never);

  beforeEach(async () => {
    clock = movableClock(T0);
    srv = await lifecycleServer(clock, { expiryNoticeSeconds: 14 * 86_400 });
  });
  afterEach(async () => {
    await srv.close();
  });

  it('takes the earlier of credential expiry and review date as the end', () => {
    expect(endOf({ credential: {}, reviewDate: null })).toBeNull();
    expect(endOf({ credential: { expiresAt: iso(T0) }, reviewDate: '2030-01-01' })?.getTime()).toBe(T0);
    expect(endOf({ credential: { expiresAt: '2030-01-01T00:00:00Z' }, reviewDate: '2026-01-01' })).toEqual(
      new Date('2026-01-01T00:00:00.000Z'),
    );
  });

  it('disables identities past their end, notices those ending soon, once each', async () => {
    const expired = await make('expired-key', { credential: { expiresAt: iso(T0 - DAY) } });
    const reviewPassed = await make('review-passed', { reviewDate: '2026-03-01' });
    const soon = await make('soon-key', { credential: { expiresAt: iso(T0 + 3 * DAY) } });
    const later = await make('later-key', { credential: { expiresAt: iso(T0 + 60 * DAY) } });
    const endless = await make('endless-key', {});
    const alreadyOff = await make('off-key', {
      status: 'disabled',
      credential: { expiresAt: iso(T0 - DAY) },
    });

    const first = await expiryResult(srv);
    expect(first.disabled.sort()).toEqual([expired.id, reviewPassed.id].sort());
    expect(first.noticed).toEqual([soon.id]);
    expect(await status(srv, expired.id)).toBe('disabled');
    expect(await status(srv, reviewPassed.id)).toBe('disabled');
    expect(await status(srv, soon.id)).toBe('active');
    expect(await status(srv, later.id)).toBe('active');
    expect(await status(srv, endless.id)).toBe('active');
    expect(await events(srv, 'identity.disabled', alreadyOff.id)).toHaveLength(0);
    const [disabled] = await events(srv, 'identity.disabled', expired.id);
    expect(disabled?.details).toMatchObject({ reason: 'past its end' });
    const [notice] = await events(srv, 'identity.expiry_notice', soon.id);
    expect(notice?.details).toMatchObject({ endsAt: iso(T0 + 3 * DAY), daysLeft: 3 });

    // Again, a day later: nothing new (the notice is not repeated).
    clock.advance(DAY);
    expect(await expiryResult(srv)).toEqual({ disabled: [], noticed: [] });
    expect(await events(srv, 'identity.expiry_notice', soon.id)).toHaveLength(1);

    // Renewed: a new end date gets its own notice once it comes near.
    const current = await srv.keyward.services.identities.get(soon.id);
    await srv.keyward.services.identities.update('test', soon.id, {
      version: current.version,
      credential: { expiresAt: iso(T0 + 10 * DAY) },
    });
    expect(await expiryResult(srv)).toEqual({ disabled: [], noticed: [soon.id] });
    expect(await events(srv, 'identity.expiry_notice', soon.id)).toHaveLength(2);

    // Past the (renewed) end: disabled.
    clock.advance(10 * DAY);
    expect(await expiryResult(srv)).toEqual({ disabled: [soon.id], noticed: [] });
    expect(await expiryResult(srv)).toEqual({ disabled: [], noticed: [] });
  });
});
