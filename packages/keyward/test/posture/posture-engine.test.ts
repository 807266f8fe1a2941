/**
 * The engine's reconciliation on a real store: findings open once, an unchanged re-run writes
 * nothing, a cleared condition resolves, a returning one reopens the same finding, an accepted
 * finding stays accepted until its date, changed evidence updates, and an incremental evaluation
 * touches only the named identities' findings. Every change is in the audit log.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuditRecorder } from '../../src/audit/audit-recorder.js';
import { createFindingService } from '../../src/discovery/finding-service.js';
import { BOB, F, type Fixture, identity, openFixture, resource } from './posture-fixture.js';

let fx: Fixture;
beforeEach(async () => {
  fx = await openFixture();
  await fx.load((b) => {
    b.identities.push(
      identity('left-1', { ownerEmail: 'bob@example.com' }),
      identity('left-2', { ownerEmail: 'bob@example.com' }),
      identity('kept', { ownerEmail: 'ada@example.com' }),
    );
  });
});
afterEach(async () => {
  await fx.close();
});

const DAY = 86_400_000;

async function setActive(id: string, active: boolean) {
  const h = (await fx.store.humans.get(id))!;
  await fx.store.humans.update({ ...h, active, version: h.version + 1 }, h.version);
}

const events = async (type: string) => (await fx.store.audit.list({ type }, 1000)).length;

describe('posture engine', () => {
  it('opens findings once; an unchanged re-run writes nothing', async () => {
    const first = await fx.engine.evaluate('tester');
    expect(first).toMatchObject({ evaluated: 3, opened: 2, updated: 0, resolved: 0, reopened: 0 });
    expect(first.byCode).toEqual({ NHI1: 2 });
    const [f] = await fx.findings('owner-gone');
    expect(f).toMatchObject({ code: 'NHI1', rule: 'owner-gone', status: 'open', severity: 'high' });
    expect(f?.dedupKey).toBe(`owner-gone:${f?.identityId}`);
    expect(f?.remedy).toContain('keyward identity');
    expect(await events('finding.opened')).toBe(2);

    const again = await fx.engine.evaluate('tester');
    expect(again).toMatchObject({ opened: 0, updated: 0, resolved: 0, reopened: 0, byCode: { NHI1: 2 } });
    expect(await fx.findings()).toHaveLength(2);
    expect(await events('finding.opened')).toBe(2);
    expect(await events('finding.updated')).toBe(0);
  });

  it('resolves when the condition clears and reopens the same finding when it returns', async () => {
    await fx.engine.evaluate('tester');
    const ids = (await fx.findings()).map((f) => f.id).sort();
    await setActive(BOB, true);
    expect(await fx.engine.evaluate('tester')).toMatchObject({ resolved: 2, opened: 0 });
    for (const f of await fx.findings()) {
      expect(f.status).toBe('resolved');
      expect(f.resolution).toBe('condition cleared');
    }
    expect(await events('finding.resolved')).toBe(2);

    await setActive(BOB, false);
    expect(await fx.engine.evaluate('tester')).toMatchObject({ reopened: 2, opened: 0 });
    const after = await fx.findings();
    expect(after.map((f) => f.id).sort()).toEqual(ids);
    expect(after.every((f) => f.status === 'open' && f.resolvedAt === null)).toBe(true);
    expect(await events('finding.reopened')).toBe(2);
  });

  it('keeps an accepted finding accepted until its date, then reopens it', async () => {
    await fx.engine.evaluate('tester');
    const [f] = await fx.findings('owner-gone');
    const now = () => new Date(fx.clock.ms);
    const service = createFindingService({ store: fx.store, audit: createAuditRecorder(now), now });
    await service.accept(
      'tester',
      f!.id,
      'migration planned',
      new Date(fx.clock.ms + 10 * DAY).toISOString(),
    );

    fx.clock.ms += 5 * DAY;
    expect(await fx.engine.evaluate('tester')).toMatchObject({ reopened: 0, updated: 0 });
    expect((await fx.store.findings.get(f!.id))?.status).toBe('accepted');

    fx.clock.ms += 6 * DAY;
    expect(await fx.engine.evaluate('tester')).toMatchObject({ reopened: 1 });
    const reopened = await fx.store.findings.get(f!.id);
    expect(reopened).toMatchObject({ status: 'open', acceptedUntil: null });
  });

  it('updates a finding whose evidence changed', async () => {
    await fx.load((b) => {
      b.identities.push(identity('wide'));
      b.resources.push(resource('a'), resource('b', { sensitivity: 'critical' }));
      b.edges.push({ kind: 'has_permission', from: 'wide', to: 'a', actions: ['*'], foundIn: F });
    }, 'grants');
    await fx.engine.evaluate('tester');
    const [before] = await fx.findings('over-privileged');
    expect(before?.severity).toBe('medium');
    await fx.load((b) => {
      b.identities.push(identity('wide'));
      b.resources.push(resource('a'), resource('b', { sensitivity: 'critical' }));
      b.edges.push(
        { kind: 'has_permission', from: 'wide', to: 'a', actions: ['*'], foundIn: F },
        { kind: 'has_permission', from: 'wide', to: 'b', actions: ['admin'], foundIn: F },
      );
    }, 'grants');
    expect(await fx.engine.evaluate('tester')).toMatchObject({ updated: 1, opened: 0 });
    const after = await fx.store.findings.get(before!.id);
    expect(after?.severity).toBe('critical');
    expect(after?.version).toBe(2);
  });

  it('evaluations asked at once run one after another: each finding opens once', async () => {
    const runs = await Promise.all([
      fx.engine.evaluate('tester'),
      fx.engine.evaluate('tester', { identityIds: [await fx.id('left-1')] }),
      fx.engine.evaluate('tester'),
    ]);
    expect(runs.map((r) => r.opened)).toEqual([2, 0, 0]);
    expect(await events('finding.opened')).toBe(2);
    expect(await fx.findings()).toHaveLength(2);
  });

  it('a graph change deeper in the chain refreshes the reach of every identity above it', async () => {
    const fill = (deep: boolean) => (b: Parameters<Parameters<typeof fx.load>[0]>[0]) => {
      b.identities.push(identity('wide'), identity('role'), identity('bystander'));
      b.resources.push(resource('a'), resource('b', { sensitivity: 'critical' }));
      b.edges.push(
        { kind: 'has_permission', from: 'wide', to: 'a', actions: ['*'], foundIn: F },
        { kind: 'can_assume', from: 'wide', to: 'role', foundIn: F },
        { kind: 'has_permission', from: 'bystander', to: 'a', actions: ['*'], foundIn: F },
      );
      if (deep)
        b.edges.push({ kind: 'has_permission', from: 'role', to: 'b', actions: ['read'], foundIn: F });
    };
    await fx.load(fill(false), 'chain');
    await fx.engine.evaluate('tester');
    const severities = async () =>
      new Map(
        await Promise.all(
          (await fx.findings('over-privileged')).map(async (f) => [f.identityId, f.severity] as const),
        ),
      );
    expect((await severities()).get(await fx.id('wide'))).toBe('medium');
    await fx.load(fill(true), 'chain');
    await fx.engine.evaluate('tester');
    const after = await severities();
    expect(after.get(await fx.id('wide'))).toBe('critical');
    expect(after.get(await fx.id('bystander'))).toBe('medium');
  });

  it('an incremental evaluation touches only the named identities', async () => {
    await fx.engine.evaluate('tester');
    await setActive(BOB, true);
    const one = await fx.id('left-1');
    const counts = await fx.engine.evaluate('tester', { identityIds: [one] });
    expect(counts).toMatchObject({ evaluated: 1, resolved: 1, opened: 0 });
    const byIdentity = new Map((await fx.findings()).map((f) => [f.identityId, f.status]));
    expect(byIdentity.get(one)).toBe('resolved');
    expect(byIdentity.get(await fx.id('left-2'))).toBe('open');
  });

  it('an incremental evaluation of an unknown identity is not_found', async () => {
    await expect(
      fx.engine.evaluate('tester', { identityIds: ['idn_0190a0b0c0d0e0f00000000000000099'] }),
    ).rejects.toMatchObject({ code: 'not_found' });
  });

  it('re-evaluates reach after the graph changes (reach is reused only while it does not)', async () => {
    await fx.load((b) => {
      b.identities.push(identity('admin-bot', { ownerEmail: 'ada@example.com' }));
      b.resources.push(resource('scratch'), resource('vault', { sensitivity: 'critical' }));
      b.edges.push({ kind: 'has_permission', from: 'admin-bot', to: 'scratch', actions: ['*'], foundIn: F });
    }, 'grants');
    await fx.engine.evaluate('tester');
    const [before] = await fx.findings('over-privileged');
    expect(before?.severity).not.toBe('critical');
    const again = await fx.engine.evaluate('tester');
    expect(again.updated).toBe(0);
    // A new grant of the same identity to a critical resource: the graph changed, the reach too.
    fx.index.addEdge({
      kind: 'has_permission',
      fromId: await fx.id('admin-bot'),
      toId: (await fx.store.resources.getByName('vault'))!.id,
      actions: ['read'],
    });
    expect((await fx.engine.evaluate('tester')).updated).toBe(1);
    const [after] = await fx.findings('over-privileged');
    expect(after?.severity).toBe('critical');
  });
});
