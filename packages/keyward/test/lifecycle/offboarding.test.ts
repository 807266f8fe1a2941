/**
 * Offboarding on a real store: a departure orphans the leaver's identities at once and opens a
 * case asking for reassignment; the grace period (injected clock) ends with untaken orphans
 * disabled and the case closed; a new owner within the grace keeps the identity; every run after
 * that does nothing more; a run interrupted between steps resumes from the stored state; a leaver
 * recorded without the hook (an import, an older version) is found by the scheduler.
 */
import type { Human } from '@keyward/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OffboardingRun } from '../../src/lifecycle/offboarding.js';
import type { TestServer } from '../test-server.js';
import {
  type Clock,
  deactivate,
  events,
  HOUR,
  lifecycleServer,
  movableClock,
  ownedIdentity,
  status,
} from './lifecycle-fixtures.js';

const offboardingResult = async (srv: TestServer): Promise<OffboardingRun> => {
  const reports = await srv.keyward.lifecycle.runOnce();
  const r = reports.find((x) => x.job === 'lifecycle: offboarding');
  expect(r?.ran).toBe(true);
  return r?.result as OffboardingRun;
};

describe('offboarding', () => {
  let clock: Clock;
  let srv: TestServer;
  let leaver: Human;
  let colleague: Human;

  beforeEach(async () => {
    clock = movableClock(Date.parse('2026-03-02T09:00:00.000Z'));
    srv = await lifecycleServer(clock);
    leaver = await srv.keyward.services.humans.create('test', {
      email: 'leaver@example.com',
      name: 'Leaver',
    });
    colleague = await srv.keyward.services.humans.create('test', {
      email: 'stays@example.com',
      name: 'Stays',
    });
  });
  afterEach(async () => {
    await srv.close();
  });

  it('orphans at once, keeps what is taken within the grace, disables the rest after it, once', async () => {
    const a = await ownedIdentity(srv, leaver, 'ci-deployer');
    const b = await ownedIdentity(srv, leaver, 'report-bot');
    const off = await ownedIdentity(srv, leaver, 'old-bot', { status: 'disabled' });
    const other = await ownedIdentity(srv, colleague, 'colleague-bot');

    await deactivate(srv, leaver);
    expect(await status(srv, a.id)).toBe('orphaned');
    expect(await status(srv, b.id)).toBe('orphaned');
    expect(await status(srv, off.id)).toBe('disabled');
    expect(await status(srv, other.id)).toBe('active');

    const [c] = (await srv.keyward.lifecycle.offboarding.list({ humanId: leaver.id }, {})).items;
    expect(c).toMatchObject({ state: 'awaiting_reassignment', humanId: leaver.id });
    expect(c!.details.orphaned.sort()).toEqual([a.id, b.id].sort());
    expect(Date.parse(c!.graceUntil) - Date.parse(c!.startedAt)).toBe(HOUR);
    const orphanedEvents = await events(srv, 'identity.orphaned');
    expect(orphanedEvents).toHaveLength(2);
    expect(orphanedEvents[0]!.details).toMatchObject({ formerOwner: leaver.id, caseId: c!.id });
    const asked = await events(srv, 'offboarding.reassignment_requested', c!.id);
    expect(asked).toHaveLength(1);
    expect((asked[0]!.details['identities'] as string[]).sort()).toEqual([a.id, b.id].sort());

    // Within the grace: runs change nothing.
    clock.advance(HOUR / 2);
    expect(await offboardingResult(srv)).toEqual({ opened: [], orphaned: [], disabled: [], closed: [] });

    // Someone takes `a`: a new owner makes it active again.
    const taken = await srv.keyward.services.identities.update('test', a.id, {
      version: (await srv.keyward.services.identities.get(a.id)).version,
      ownerId: colleague.id,
    });
    expect(taken.status).toBe('active');

    clock.advance(HOUR);
    expect(await offboardingResult(srv)).toEqual({
      opened: [],
      orphaned: [],
      disabled: [b.id],
      closed: [c!.id],
    });
    expect(await status(srv, a.id)).toBe('active');
    expect(await status(srv, b.id)).toBe('disabled');
    const disabled = await events(srv, 'identity.disabled', b.id);
    expect(disabled).toHaveLength(1);
    expect(disabled[0]!.details).toMatchObject({ reason: 'orphaned past grace period', caseId: c!.id });
    const closed = await srv.keyward.lifecycle.offboarding.get(c!.id);
    expect(closed).toMatchObject({ state: 'closed', details: { disabled: [b.id], kept: [a.id] } });

    // Idempotent: nothing more, however often it runs.
    const before = (await srv.keyward.store.audit.head()).seq;
    expect(await offboardingResult(srv)).toEqual({ opened: [], orphaned: [], disabled: [], closed: [] });
    expect(await offboardingResult(srv)).toEqual({ opened: [], orphaned: [], disabled: [], closed: [] });
    expect((await srv.keyward.store.audit.head()).seq).toBe(before);
  });

  it('resumes a case interrupted between steps without repeating what was done', async () => {
    const a = await ownedIdentity(srv, leaver, 'first');
    const b = await ownedIdentity(srv, leaver, 'second');
    await deactivate(srv, leaver);
    const c = (await srv.keyward.lifecycle.offboarding.list({ humanId: leaver.id }, {})).items[0]!;
    // Rewind to "crashed after orphaning `a`": the case is still orphaning, lists only `a`, and
    // `b` is active again; the reassignment request was not sent yet.
    const store = srv.keyward.store;
    await store.offboardingCases.update({
      ...c,
      state: 'orphaning',
      details: { ...c.details, orphaned: [a.id] },
    });
    const bNow = await store.identities.get(b.id);
    await store.identities.update({ ...bNow!, status: 'active', version: bNow!.version + 1 }, bNow!.version);

    expect(await offboardingResult(srv)).toMatchObject({ orphaned: [b.id], disabled: [] });
    expect(await status(srv, b.id)).toBe('orphaned');
    expect(await events(srv, 'identity.orphaned', a.id)).toHaveLength(1);
    expect(await events(srv, 'identity.orphaned', b.id)).toHaveLength(2);
    const resumed = await srv.keyward.lifecycle.offboarding.get(c.id);
    expect(resumed.state).toBe('awaiting_reassignment');
    expect(resumed.details.orphaned.sort()).toEqual([a.id, b.id].sort());
    // A case already past "orphaning" is not asked again.
    expect(await events(srv, 'offboarding.reassignment_requested', c.id)).toHaveLength(2);
    await offboardingResult(srv);
    expect(await events(srv, 'offboarding.reassignment_requested', c.id)).toHaveLength(2);

    // Crash in the grace step: `a` disabled, the case not closed yet. The next run closes it.
    clock.advance(2 * HOUR);
    await srv.keyward.services.identities.transition('test', a.id, 'disabled', 'identity.disabled', {});
    expect(await offboardingResult(srv)).toEqual({
      opened: [],
      orphaned: [],
      disabled: [b.id],
      closed: [c.id],
    });
    expect((await srv.keyward.lifecycle.offboarding.get(c.id)).state).toBe('closed');
  });

  it('finds a leaver recorded without the hook and offboards them', async () => {
    const a = await ownedIdentity(srv, leaver, 'imported-bot');
    // Written straight to the store: no deactivation hook ran (an import, an older Keyward).
    const h = (await srv.keyward.store.humans.get(leaver.id))!;
    await srv.keyward.store.humans.update({ ...h, active: false, version: h.version + 1 }, h.version);
    expect(await status(srv, a.id)).toBe('active');

    const run = await offboardingResult(srv);
    expect(run.opened).toHaveLength(1);
    expect(run.orphaned).toEqual([a.id]);
    expect(await status(srv, a.id)).toBe('orphaned');
    expect(await events(srv, 'sponsor.tasks_revoked', leaver.id)).toHaveLength(1);
    // Once: the next run finds the case and opens no other.
    expect((await offboardingResult(srv)).opened).toEqual([]);
    expect((await srv.keyward.lifecycle.offboarding.list({ humanId: leaver.id }, {})).items).toHaveLength(1);
  });
});
