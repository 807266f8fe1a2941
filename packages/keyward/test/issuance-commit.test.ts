/**
 * The token endpoint's hot path (both backends): issuance is durable before the response (the
 * assertion jti, the issued-token row and the audit event are stored when the client reads its
 * token), concurrent requests share one commit without losing or doubling anything, and the
 * in-memory caches never outlive a change — even one written straight to the store, as another
 * replica would, bypassing this process entirely.
 */
import type { Human } from '@keyward/sdk';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestIssuer, type TestIssuer } from './oidc-test-issuer.js';
import {
  type Agent,
  ASSERTION_TYPE,
  clientCredentials,
  createAgent,
  createSponsor,
  exchange,
  form,
  openTask,
  setUpSponsors,
  TOKEN_EXCHANGE,
  TT,
} from './task-fixtures.js';
import { startTestServer, TEST_BACKENDS, type TestServer } from './test-server.js';

describe.each(TEST_BACKENDS)('token issuance commit [%s]', (backend) => {
  let srv: TestServer;
  let idp: TestIssuer;
  let sponsor: Human;

  beforeAll(async () => {
    srv = await startTestServer({ backend, maintenanceIntervalMs: 0 });
    idp = await startTestIssuer();
    await setUpSponsors(srv, idp);
    sponsor = await createSponsor(srv, 'issuance-sponsor');
  });
  afterAll(async () => {
    await srv?.close();
    await idp?.close();
  });

  const agentWithTask = async (name: string): Promise<{ agent: Agent; task: string }> => {
    const agent = await createAgent(srv, `${name}-${backend}`);
    const res = await openTask(srv, agent, sponsor, idp);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return { agent, task: res.body.task.id };
  };
  const requestWith = (assertion: string, task: string) =>
    form(srv, '/oauth2/token', {
      grant_type: 'client_credentials',
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: assertion,
      task_id: task,
      resource: 'payments-db',
      scope: 'read:payments-db',
    });

  it('has stored the token row, its audit event and the assertion jti when the client gets the token', async () => {
    const { agent, task } = await agentWithTask('durable');
    const assertion = await agent.assertion();
    const res = await requestWith(assertion, task);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const jti = decodeJwt(res.body.access_token).jti!;
    const row = await srv.keyward.store.issuedTokens.get(jti);
    expect(row).toMatchObject({ jti, taskId: task, clientId: agent.identity.id, revokedAt: null });
    const events = await srv.keyward.store.audit.list({ type: 'oauth.token.issued', taskId: task }, 10);
    expect(events.map((e) => e.details['jti'])).toEqual([jti]);
    const replay = await requestWith(assertion, task);
    expect(replay.status).toBe(401);
    expect(replay.body.error).toBe('invalid_client');
  });

  it('records every one of a burst of concurrent issuances once; a replay within the batch loses', async () => {
    const { agent, task } = await agentWithTask('burst');
    const assertions = await Promise.all(Array.from({ length: 24 }, () => agent.assertion()));
    const replayed = assertions[0]!;
    const results = await Promise.all([...assertions, replayed].map((a) => requestWith(a, task)));
    const ok = results.filter((r) => r.status === 200);
    expect(ok).toHaveLength(24);
    expect(results.filter((r) => r.status === 401).map((r) => r.body.error)).toEqual(['invalid_client']);
    const jtis = ok.map((r) => decodeJwt(r.body.access_token).jti!);
    expect(new Set(jtis).size).toBe(24);
    for (const jti of jtis) expect(await srv.keyward.store.issuedTokens.get(jti)).toBeDefined();
    const events = await srv.keyward.store.audit.list({ type: 'oauth.token.issued', taskId: task }, 100);
    expect(events.map((e) => e.details['jti']).sort()).toEqual([...jtis].sort());
  });

  it('releases every request announcement before its commit: one at a time, no batch waits one out', async () => {
    const { agent, task } = await agentWithTask('announce');
    const stats = () => srv.keyward.services.tokenEndpoint.batchStats();
    const before = stats();
    const ok = await clientCredentials(srv, agent, task);
    expect(ok.status).toBe(200);
    const assertion = await agent.assertion();
    expect((await requestWith(assertion, task)).status).toBe(200);
    expect((await requestWith(assertion, task)).status).toBe(401); // replay, refused in the commit
    // refused before its commit (scope outside the task), which then records the jti
    expect((await clientCredentials(srv, agent, task, { scope: 'write:payments-db' })).status).toBe(400);
    expect((await exchange(srv, agent, task, ok.body.access_token)).status).toBe(200);
    const actorOnly = await form(srv, '/oauth2/token', {
      grant_type: TOKEN_EXCHANGE,
      actor_token: await agent.assertion(),
      actor_token_type: TT.jwt,
      subject_token: ok.body.access_token,
      subject_token_type: TT.accessToken,
      task_id: task,
      resource: 'payments-db',
      scope: 'read:payments-db',
    });
    expect(actorOnly.status, JSON.stringify(actorOnly.body)).toBe(200);
    const after = stats();
    expect(after.batches - before.batches).toBeGreaterThanOrEqual(6);
    // A request still announced when it commits would make its own batch wait MAX_GATHER_MS out.
    expect(after.waitedOut - before.waitedOut).toBe(0);
    const metrics = await fetch(`${srv.url}/metrics`, {
      headers: { authorization: `Bearer ${srv.adminToken}` },
    });
    const text = await metrics.text();
    expect(text).toContain(`keyward_token_issuance_batches_total ${after.batches}`);
    expect(text).toContain(`keyward_token_issuance_batch_waitouts_total ${after.waitedOut}`);
  });

  it('refuses at once after a change made behind its back (as another replica would): cached reads are re-checked', async () => {
    const s = srv.keyward.store;
    // identity disabled directly in the store
    const a = await agentWithTask('cached-identity');
    expect((await clientCredentials(srv, a.agent, a.task)).status).toBe(200); // caches warm
    const identity = (await s.identities.get(a.agent.identity.id))!;
    await s.identities.update(
      { ...identity, status: 'disabled', version: identity.version + 1 },
      identity.version,
    );
    const refusedIdentity = await clientCredentials(srv, a.agent, a.task);
    expect(refusedIdentity.status).toBe(401);
    expect(refusedIdentity.body.error).toBe('invalid_client');

    // …and the same for a token exchange authenticated by client assertion (cached reads too)
    const x = await agentWithTask('cached-exchange');
    const subject = (await clientCredentials(srv, x.agent, x.task)).body.access_token as string;
    expect((await exchange(srv, x.agent, x.task, subject)).status).toBe(200);
    const xi = (await s.identities.get(x.agent.identity.id))!;
    await s.identities.update({ ...xi, status: 'disabled', version: xi.version + 1 }, xi.version);
    const refusedExchange = await exchange(srv, x.agent, x.task, subject);
    expect(refusedExchange.status).toBe(401);
    expect(refusedExchange.body.error).toBe('invalid_client');

    // key removed directly in the store
    const b = await agentWithTask('cached-key');
    expect((await clientCredentials(srv, b.agent, b.task)).status).toBe(200);
    await s.identityKeys.delete(b.agent.identity.id, b.agent.kid);
    expect((await clientCredentials(srv, b.agent, b.task)).body.error).toBe('invalid_client');

    // task ended directly in the store
    const c = await agentWithTask('cached-task');
    expect((await clientCredentials(srv, c.agent, c.task)).status).toBe(200);
    await s.tasks.end(c.task, 'cancelled', new Date().toISOString(), 'test: behind the cache');
    const refusedTask = await clientCredentials(srv, c.agent, c.task);
    expect(refusedTask.status).toBe(400);
    expect(refusedTask.body.error).toBe('invalid_grant');

    // sponsor deactivated directly in the store
    const d = await agentWithTask('cached-sponsor');
    expect((await clientCredentials(srv, d.agent, d.task)).status).toBe(200);
    const human = (await s.humans.get(sponsor.id))!;
    await s.humans.update({ ...human, active: false, version: human.version + 1 }, human.version);
    try {
      expect((await clientCredentials(srv, d.agent, d.task)).body.error).toBe('invalid_grant');
    } finally {
      const now = (await s.humans.get(sponsor.id))!;
      await s.humans.update({ ...now, active: true, version: now.version + 1 }, now.version);
    }
    const refusals = await s.audit.list({ type: 'oauth.token.refused', identityId: c.agent.identity.id }, 10);
    expect(refusals.map((e) => e.outcome)).toEqual(['denied']);
  });
});
