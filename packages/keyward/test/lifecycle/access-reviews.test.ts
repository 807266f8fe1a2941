/**
 * Access reviews on a real Keyward (SQLite): a campaign snapshots the active identities in scope
 * (unowned ones flagged), each decision does what it says, progress counts per decision and owner,
 * and the deadline job disables exactly the unattested identities, once.
 */
import type { Human } from '@keyward/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { notAttestedReason, retiredReason } from '../../src/lifecycle/access-reviews.js';
import type { TestServer } from '../test-server.js';
import {
  type Clock,
  DAY,
  events,
  lifecycleServer,
  movableClock,
  ownedIdentity,
  status,
} from './lifecycle-fixtures.js';

describe('access reviews', () => {
  let clock: Clock;
  let srv: TestServer;
  let alice: Human;
  let bob: Human;

  beforeEach(async () => {
    clock = movableClock(Date.parse('2026-01-05T09:00:00Z'));
    srv = await lifecycleServer(clock);
    alice = await srv.keyward.services.humans.create('test', { email: 'alice@example.com', name: 'Alice' });
    bob = await srv.keyward.services.humans.create('test', { email: 'bob@example.com', name: 'Bob' });
  });
  afterEach(async () => {
    await srv.close();
  });

  const reviews = () => srv.keyward.services.lifecycle.reviews;
  const deadline = () => new Date(clock.now().getTime() + 14 * DAY).toISOString();

  it('snapshots the active identities in scope, flagging those without owner', async () => {
    const a = await ownedIdentity(srv, alice, 'a-stg', { environment: 'staging' });
    await ownedIdentity(srv, bob, 'b-dev', { environment: 'dev' });
    const orphan = await srv.keyward.services.identities.create('test', {
      name: 'nobody-stg',
      kind: 'service_account',
      environment: 'staging',
    } as never);
    const gone = await ownedIdentity(srv, bob, 'gone-stg', { environment: 'staging' });
    await srv.keyward.services.identities.disable('test', gone.id, {});

    const c = await reviews().start('test', { name: 'q1', deadline: deadline(), environment: 'staging' });
    expect(c).toMatchObject({ state: 'open', scope: { environment: 'staging' } });
    const shown = await reviews().show(c.id);
    expect(shown.items.map((i) => i.identityId).sort()).toEqual([a.id, orphan.id].sort());
    expect(shown.items.find((i) => i.identityId === orphan.id)?.ownerId).toBeNull();
    expect(shown.progress).toMatchObject({ total: 2, pending: 2, unowned: 1 });
    expect(await events(srv, 'access_review.started', c.id)).toHaveLength(1);
    // Each owner is told what to attest by when; bob owns nothing live in scope and hears nothing.
    const notices = await events(srv, 'access_review.owner_notice');
    expect(notices.find((e) => e.targetId === alice.id)?.details).toMatchObject({
      campaignId: c.id,
      count: 1,
      identities: [a.id],
    });
    expect(notices.find((e) => e.targetId === bob.id)).toBeUndefined();
    expect(notices.find((e) => e.targetId === null)?.details).toMatchObject({ unowned: true, count: 1 });
    await expect(
      reviews().start('test', { name: 'late', deadline: clock.now().toISOString() }),
    ).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('applies each decision, counts progress, and disables only the unattested at the deadline, once', async () => {
    const keep = await ownedIdentity(srv, alice, 'keep-me');
    const reduce = await ownedIdentity(srv, alice, 'reduce-me');
    const retire = await ownedIdentity(srv, bob, 'retire-me');
    const silent = await ownedIdentity(srv, bob, 'silent');
    const c = await reviews().start('test', { name: 'q1', deadline: deadline() });

    expect(await reviews().attest('op', c.id, keep.id, 'keep', 'in use')).toMatchObject({
      decision: 'keep',
      outcome: 'kept',
      decidedBy: 'op',
      note: 'in use',
    });
    await reviews().attest('op', c.id, reduce.id, 'reduce', 'drop write');
    await reviews().attest('op', c.id, retire.id, 'retire');
    expect(await status(srv, keep.id)).toBe('active');
    expect(await status(srv, reduce.id)).toBe('active');
    expect(await status(srv, retire.id)).toBe('disabled');
    const [retired] = await events(srv, 'identity.disabled', retire.id);
    expect(retired?.details).toMatchObject({ reason: retiredReason('q1'), campaignId: c.id });
    await expect(reviews().attest('op', c.id, keep.id, 'retire')).rejects.toMatchObject({
      code: 'already_exists',
    });

    const p = await reviews().progress(c.id);
    expect(p).toMatchObject({ total: 4, keep: 1, reduce: 1, retire: 1, pending: 1, unowned: 0 });
    const byOwner = Object.fromEntries(p.byOwner.map((o) => [o.ownerId, o]));
    expect(byOwner[alice.id]).toMatchObject({ total: 2, keep: 1, reduce: 1, pending: 0 });
    expect(byOwner[bob.id]).toMatchObject({ total: 2, retire: 1, pending: 1 });

    // Before the deadline the job does nothing.
    expect(await reviews().runDeadlines()).toEqual({ closed: [], disabled: [] });
    clock.advance(14 * DAY);
    await expect(reviews().attest('op', c.id, silent.id, 'keep')).rejects.toMatchObject({
      code: 'validation_failed',
    });
    const reports = await srv.keyward.services.lifecycle.runOnce();
    expect(reports.find((r) => r.job === 'access reviews: deadlines')?.result).toEqual({
      closed: [c.id],
      disabled: [silent.id],
    });
    expect(await status(srv, silent.id)).toBe('disabled');
    expect(await status(srv, keep.id)).toBe('active');
    expect(await status(srv, reduce.id)).toBe('active');
    const [disabled] = await events(srv, 'identity.disabled', silent.id);
    expect(disabled?.details).toMatchObject({ reason: notAttestedReason('q1') });
    const closed = await reviews().get(c.id);
    expect(closed).toMatchObject({
      state: 'closed',
      summary: { total: 4, attested: 3, disabled: [silent.id] },
    });

    // A second run is a no-op.
    expect(await reviews().runDeadlines()).toEqual({ closed: [], disabled: [] });
    expect(await events(srv, 'identity.disabled', silent.id)).toHaveLength(1);
    expect(await events(srv, 'access_review.closed', c.id)).toHaveLength(1);
  });

  it('resumes a deadline run interrupted after some disablings', async () => {
    const x = await ownedIdentity(srv, alice, 'x');
    const y = await ownedIdentity(srv, alice, 'y');
    const c = await reviews().start('test', { name: 'q2', deadline: deadline() });
    clock.advance(15 * DAY);
    // As if a previous run disabled x (and marked its item) then died before closing.
    await srv.keyward.store.reviewItems.markDisabled(c.id, x.id);
    await srv.keyward.services.identities.disable('test', x.id, {});
    expect(await reviews().runDeadlines()).toEqual({ closed: [c.id], disabled: [y.id] });
    expect((await reviews().get(c.id)).summary?.disabled.sort()).toEqual([x.id, y.id].sort());
  });
});
