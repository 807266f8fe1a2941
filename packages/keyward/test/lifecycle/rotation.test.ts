/**
 * Rotation on a real Keyward (SQLite, and PostgreSQL when configured): an API key rotation keeps
 * the old key valid for the overlap and revokes it when the scheduler runs past it, once, however
 * often runs and restarts repeat; a signing key rotation is audited; schedules report due and
 * overdue items; a rotation with a proposal waits for its decision.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuditRecorder } from '../../src/audit/audit-recorder.js';
import { createApiTokenService } from '../../src/auth/api-token-service.js';
import { newId } from '../../src/ids.js';
import { createRotation } from '../../src/lifecycle/rotation.js';
import { TEST_BACKENDS, type TestServer } from '../test-server.js';
import { type Clock, DAY, events, HOUR, lifecycleServer, movableClock } from './lifecycle-fixtures.js';

describe.each(TEST_BACKENDS)('rotation [%s]', (backend) => {
  let clock: Clock;
  let srv: TestServer;

  beforeEach(async () => {
    clock = movableClock(Date.parse('2026-03-02T09:00:00Z'));
    srv = await lifecycleServer(clock, {}, backend);
  });
  afterEach(async () => {
    await srv.close();
  });

  const rotation = () => srv.keyward.services.lifecycle.rotation;
  const tokens = () => srv.keyward.services.tokens;
  const job = async () =>
    (await srv.keyward.services.lifecycle.runOnce()).find(
      (r) => r.job === 'rotation: overlaps and schedules',
    );
  const works = (secret: string) =>
    tokens()
      .authenticate(secret)
      .then(
        () => true,
        () => false,
      );

  it('rotates an API key: both keys work during the overlap, the old one fails after it', async () => {
    const old = await tokens().create('test', { name: 'ci', role: 'operator' });
    const { rotation: r, secret } = await rotation().run('test', 'api-key:ci', {
      overlapSeconds: (2 * HOUR) / 1000,
    });
    expect(r).toMatchObject({ state: 'overlapping', oldRef: old.token.id, target: 'api-key:ci' });
    expect(secret).toMatch(/^kw_/);
    expect(await works(secret as string)).toBe(true);
    expect(await works(old.secret)).toBe(true);
    const fresh = await tokens().authenticate(secret as string);
    expect(fresh).toMatchObject({ name: 'ci', role: 'operator' });

    clock.advance(HOUR);
    expect((await job())?.result).toEqual({ completed: [], rotated: [] });
    expect(await works(old.secret)).toBe(true);

    clock.advance(HOUR);
    expect((await job())?.result).toEqual({ completed: [r.id], rotated: [] });
    expect(await works(old.secret)).toBe(false);
    expect(await works(secret as string)).toBe(true);
    expect((await rotation().get(r.id)).state).toBe('done');
    expect(await events(srv, 'rotation.overlapping', r.id)).toHaveLength(1);
    expect(await events(srv, 'rotation.completed', r.id)).toHaveLength(1);
    expect(await events(srv, 'api_token.revoked', old.token.id)).toHaveLength(1);

    expect((await job())?.result).toEqual({ completed: [], rotated: [] });
    expect(await events(srv, 'rotation.completed', r.id)).toHaveLength(1);
  });

  /** What a restarted process (or another replica) has: fresh services over the same database. */
  const restarted = () =>
    createRotation({
      store: srv.keyward.store,
      audit: createAuditRecorder(clock.now),
      now: clock.now,
      tokens: createApiTokenService({
        store: srv.keyward.store,
        audit: createAuditRecorder(clock.now),
        now: clock.now,
      }),
      signingKeys: srv.keyward.services.signingKeys,
    });

  it('ends an overlap once, whichever process gets there after a restart', async () => {
    await tokens().create('test', { name: 'deploy', role: 'operator' });
    const { rotation: r } = await rotation().run('test', 'api-key:deploy');
    await expect(rotation().run('test', 'api-key:deploy')).rejects.toMatchObject({
      code: 'rotation_in_progress',
    });
    await expect(restarted().run('test', 'api-key:deploy')).rejects.toMatchObject({
      code: 'rotation_in_progress',
    });

    clock.advance(DAY + 1000);
    const [here, there] = await Promise.all([job(), restarted().runJob()]);
    const mine = (here?.result as { completed: string[] } | undefined)?.completed ?? [];
    const completed = [...mine, ...there.completed];
    expect(completed).toEqual([r.id]);
    expect(await events(srv, 'rotation.completed', r.id)).toHaveLength(1);
    const live = (await tokens().list({ limit: 100 })).items.filter(
      (t) => t.name === 'deploy' && !t.revokedAt,
    );
    expect(live.map((t) => t.id)).toEqual([r.newRef]);
  });

  it('finishes a signing key rotation interrupted after the key changed, without rotating again', async () => {
    const before = await srv.keyward.store.signingKeys.getActive();
    const at = clock.now().toISOString();
    const id = newId('rotation');
    await srv.keyward.store.rotations.create({
      id,
      target: 'signing-key',
      state: 'pending',
      oldRef: before?.kid ?? null,
      newRef: null,
      overlapSeconds: 0,
      overlapUntil: null,
      proposal: null,
      proposalState: null,
      requestedBy: 'test',
      createdAt: at,
      updatedAt: at,
    });
    // The process died here, after the key was rotated and before the record said so.
    const rotated = await srv.keyward.services.signingKeys.rotate('test', `rotation ${id}`);
    const run = await restarted().runJob();
    expect(run.completed).toEqual([id]);
    expect(await srv.keyward.store.rotations.get(id)).toMatchObject({ state: 'done', newRef: rotated.kid });
    expect((await srv.keyward.store.signingKeys.getActive())?.kid).toBe(rotated.kid);
    expect(await events(srv, 'signing_key.rotated')).toHaveLength(1);
    expect((await job())?.result).toEqual({ completed: [], rotated: [] });
  });

  it('rotates the signing key through the workflow, audited', async () => {
    const before = await srv.keyward.store.signingKeys.getActive();
    const { rotation: r } = await rotation().run('test', 'signing-key');
    const after = await srv.keyward.store.signingKeys.getActive();
    expect(r).toMatchObject({ state: 'done', oldRef: before?.kid, newRef: after?.kid });
    expect(after?.kid).not.toBe(before?.kid);
    expect(await events(srv, 'rotation.requested', r.id)).toHaveLength(1);
    expect(await events(srv, 'rotation.completed', r.id)).toHaveLength(1);
    expect(await events(srv, 'signing_key.rotated', after?.kid)).toHaveLength(1);
  });

  it('lists identities due and overdue by their own or their kind schedule', async () => {
    const mk = (name: string, kind: string, createdAt: string) =>
      srv.keyward.services.identities.create('test', {
        name,
        kind,
        environment: 'dev',
        credential: { type: 'api_key', createdAt },
      } as never);
    const overdue = await mk('old-sa', 'service_account', '2025-11-01T00:00:00Z');
    const soon = await mk('soon-sa', 'service_account', '2025-12-05T00:00:00Z');
    await mk('fresh-sa', 'service_account', '2026-02-20T00:00:00Z');
    const own = await mk('bot', 'ai_agent', '2026-02-20T00:00:00Z');
    await rotation().schedules.set('test', 'kind:service_account', '90d');
    await rotation().schedules.set('test', `identity:${own.id}`, 'P7D');
    const due = await rotation().listDue();
    expect(due.map((d) => [d.identityId, d.state, d.subject])).toEqual([
      [overdue.id, 'overdue', 'kind:service_account'],
      [own.id, 'overdue', `identity:${own.id}`],
      [soon.id, 'due', 'kind:service_account'],
    ]);
    expect(due[0]?.dueAt).toBe('2026-01-30T00:00:00.000Z');
    expect(await events(srv, 'rotation_schedule.set', 'kind:service_account')).toHaveLength(1);
    await expect(rotation().schedules.set('test', 'kind:x', 'soon')).rejects.toMatchObject({
      code: 'validation_failed',
    });
  });

  it('rotates the signing key when its schedule is overdue', async () => {
    await rotation().schedules.set('test', 'signing-key', '30d');
    expect((await job())?.result).toEqual({ completed: [], rotated: [] });
    clock.advance(31 * DAY);
    const result = (await job())?.result as { rotated: string[] };
    expect(result.rotated).toHaveLength(1);
    expect((await job())?.result).toEqual({ completed: [], rotated: [] });
  });

  it('waits for a pending proposal before rotating', async () => {
    const old = await tokens().create('test', { name: 'etl', role: 'operator' });
    const proposal = { grants: [{ resource: 'db', actions: ['read'] }] };
    const { rotation: r, secret } = await rotation().run('test', 'api-key:etl', { proposal });
    expect(r).toMatchObject({ state: 'waiting', proposalState: 'pending', proposal });
    expect(secret).toBeUndefined();
    await expect(rotation().run('test', 'api-key:etl')).rejects.toMatchObject({
      code: 'rotation_in_progress',
    });
    expect((await rotation().decide('test', r.id, 'accept')).proposalState).toBe('accepted');
    await expect(rotation().decide('test', r.id, 'dismiss')).rejects.toMatchObject({
      code: 'rotation_in_progress',
    });
    const ran = await rotation().run('test', 'api-key:etl');
    expect(ran.rotation).toMatchObject({ id: r.id, state: 'overlapping', oldRef: old.token.id });
    expect(await events(srv, 'rotation.proposal_accepted', r.id)).toHaveLength(1);
  });
});
