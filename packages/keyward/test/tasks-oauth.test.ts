/**
 * Tasks and the OAuth token endpoint end to end (both backends): a real OAuth client library
 * (oauth4webapi) runs client_credentials and token exchange; jose verifies the results against the
 * published JWKS; forged, replayed, widened and too-deep requests are refused in OAuth shape.
 */
import type { Human } from '@keyward/sdk';
import { createRemoteJWKSet, decodeJwt, exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import * as oauth from 'oauth4webapi';
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
  introspect,
  openTask,
  setUpSponsors,
  sponsorToken,
  TOKEN_EXCHANGE,
  TT,
} from './task-fixtures.js';
import { startTestServer, TEST_BACKENDS, type TestServer } from './test-server.js';

describe.each(TEST_BACKENDS)('tasks and OAuth token endpoint [%s]', (backend) => {
  let srv: TestServer;
  let idp: TestIssuer;
  let agent: Agent;
  let sub: Agent;
  let sponsor: Human;
  let taskId: string;

  beforeAll(async () => {
    srv = await startTestServer({
      backend,
      maintenanceIntervalMs: 0,
      jwksCooldownMs: 0,
      config: { maxDelegationDepth: 3 },
    });
    idp = await startTestIssuer();
    await setUpSponsors(srv, idp);
    sponsor = await createSponsor(srv, 'dana');
    agent = await createAgent(srv, 'recon-agent');
    sub = await createAgent(srv, 'recon-sub-agent');
    const res = await openTask(srv, agent, sponsor, idp);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    taskId = res.body.task.id;
  });
  afterAll(async () => {
    await srv?.close();
    await idp?.close();
  });

  const freshTask = async (a: Agent = agent, o: Parameters<typeof openTask>[4] = {}) => {
    const res = await openTask(srv, a, sponsor, idp, o);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.task.id as string;
  };
  const tokenFor = async (a: Agent, task: string, extra: Record<string, string> = {}) => {
    const res = await clientCredentials(srv, a, task, extra);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.access_token as string;
  };

  it('opens a task with proven sponsor consent; refuses claims without proof', async () => {
    const task = await srv.keyward.services.tasks.get(taskId);
    expect(task).toMatchObject({
      agentId: agent.identity.id,
      sponsorId: sponsor.id,
      status: 'active',
      scopes: [
        { action: 'read', resource: 'payments-db' },
        { action: 'write', resource: 'res:ledger-*' },
      ],
    });
    const other = await createSponsor(srv, `other-${backend}`);
    const wrongSponsor = await openTask(srv, agent, sponsor, idp, {
      sponsorToken: await sponsorToken(idp, other),
    });
    expect(wrongSponsor.status).toBe(403);
    const headers = { 'x-keyward-client-assertion': await agent.assertion() };
    const noProof = await fetch(`${srv.url}/v1/tasks`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({
        agent: agent.identity.id,
        sponsor: sponsor.id,
        intent: 'x',
        scopes: ['read:a'],
        environment: 'dev',
        ttlSeconds: 60,
      }),
    });
    expect(noProof.status).toBe(401);
    expect((await openTask(srv, agent, sponsor, idp, { ttlSeconds: 7200 })).status).toBe(400);
    expect((await openTask(srv, agent, sponsor, idp, { environment: 'prod' })).status).toBe(422);
    expect((await openTask(srv, agent, sponsor, idp, { scopes: ['read:a b'] })).status).toBe(400);
    const stolen = await openTask(srv, sub, sponsor, idp);
    expect(stolen.status).toBe(201); // sub has its own assertion; opening for itself is fine
  });

  it('oauth4webapi performs client_credentials and token exchange; jose verifies both', async () => {
    const issuer = new URL(srv.url);
    const as = await oauth.processDiscoveryResponse(
      issuer,
      await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', [oauth.allowInsecureRequests]: true }),
    );
    const options = { [oauth.allowInsecureRequests]: true };
    const client = { client_id: agent.identity.id };
    const auth = oauth.PrivateKeyJwt({ key: agent.privateKey, kid: agent.kid });
    const cc = await oauth.processClientCredentialsResponse(
      as,
      client,
      await oauth.clientCredentialsGrantRequest(
        as,
        client,
        auth,
        { task_id: taskId, scope: 'read:payments-db', resource: 'payments-db' },
        options,
      ),
    );
    expect(cc.token_type.toLowerCase()).toBe('bearer');
    const jwks = createRemoteJWKSet(new URL(`${srv.url}/.well-known/jwks.json`));
    const { payload, protectedHeader } = await jwtVerify(cc.access_token, jwks, {
      issuer: srv.url,
      audience: 'payments-db',
      typ: 'at+jwt',
    });
    expect(protectedHeader.typ).toBe('at+jwt');
    expect(payload).toMatchObject({
      sub: agent.identity.id,
      client_id: agent.identity.id,
      scope: 'read:payments-db',
      task_id: taskId,
      env: 'dev',
      sponsor: sponsor.id,
    });
    expect(payload.exp! - payload.iat!).toBe(300);

    // The sub-agent opens a child task with the parent's token, then exchanges that token.
    const child = await openTask(srv, sub, sponsor, idp, {
      parentTaskId: taskId,
      parentToken: cc.access_token,
      scopes: ['read:payments-db'],
      ttlSeconds: 300,
    });
    expect(child.status, JSON.stringify(child.body)).toBe(201);
    expect(child.body.task).toMatchObject({ parentTaskId: taskId, sponsorId: sponsor.id });
    const subClient = { client_id: sub.identity.id };
    const ex = await oauth.processGenericTokenEndpointResponse(
      as,
      subClient,
      await oauth.genericTokenEndpointRequest(
        as,
        subClient,
        oauth.PrivateKeyJwt({ key: sub.privateKey, kid: sub.kid }),
        TOKEN_EXCHANGE,
        {
          subject_token: cc.access_token,
          subject_token_type: TT.accessToken,
          task_id: child.body.task.id,
          resource: 'payments-db',
        },
        options,
      ),
    );
    expect(ex.issued_token_type).toBe(TT.accessToken);
    const exchanged = await jwtVerify(ex.access_token, jwks, {
      issuer: srv.url,
      audience: 'payments-db',
      typ: 'at+jwt',
    });
    expect(exchanged.payload).toMatchObject({
      sub: agent.identity.id,
      client_id: sub.identity.id,
      act: { sub: sub.identity.id },
      task_id: child.body.task.id,
      scope: 'read:payments-db',
    });
  });

  it('exchanges the sponsor ID token: sub is the human, act nests newest actor outermost', async () => {
    const first = await form(srv, '/oauth2/token', {
      grant_type: TOKEN_EXCHANGE,
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: await agent.assertion(),
      subject_token: await sponsorToken(idp, sponsor),
      subject_token_type: TT.idToken,
      task_id: taskId,
      resource: 'payments-db',
      scope: 'read:payments-db',
    });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(decodeJwt(first.body.access_token)).toMatchObject({
      sub: sponsor.id,
      act: { sub: agent.identity.id },
    });
    const childTask = await freshTask(sub, {
      parentTaskId: taskId,
      parentToken: first.body.access_token,
      scopes: ['read:payments-db'],
      ttlSeconds: 120,
    });
    const second = await exchange(srv, sub, childTask, first.body.access_token);
    expect(second.status, JSON.stringify(second.body)).toBe(200);
    const exchanged = await srv.keyward.store.audit.list(
      { type: 'oauth.token.exchanged', targetId: childTask },
      10,
    );
    expect(exchanged[0]?.details).toMatchObject({
      sub: sponsor.id,
      chain: [sub.identity.id, agent.identity.id],
    });
    expect(decodeJwt(second.body.access_token)).toMatchObject({
      sub: sponsor.id,
      act: { sub: sub.identity.id, act: { sub: agent.identity.id } },
    });
    // Depth cap 3: sub exchanges again (depth 3 ok), then once more (depth 4) is refused.
    const third = await exchange(srv, sub, childTask, second.body.access_token);
    expect(third.status).toBe(200);
    const fourth = await exchange(srv, sub, childTask, third.body.access_token);
    expect(fourth).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(fourth.body.error_description).toMatch(/deeper than 3/);
    // may_act in the sponsor token names someone else: refused.
    const mayAct = await form(srv, '/oauth2/token', {
      grant_type: TOKEN_EXCHANGE,
      actor_token: await agent.assertion(),
      actor_token_type: TT.jwt,
      subject_token: await sponsorToken(idp, sponsor, { may_act: { sub: sub.identity.id } }),
      subject_token_type: TT.idToken,
      task_id: taskId,
      resource: 'payments-db',
    });
    expect(mayAct).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('refuses forged and malformed subject tokens and client assertions', async () => {
    const real = await tokenFor(agent, taskId);
    const claims = decodeJwt(real);
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const kid = JSON.parse(Buffer.from(real.split('.')[0]!, 'base64url').toString()).kid;
    const other = await generateKeyPair('ES256');
    const publicJwk = srv.keyward.services.signingKeys.jwks().keys[0]!;
    const nowS = Math.floor(Date.now() / 1000);
    const forged: Record<string, string> = {
      none: `${b64({ alg: 'none', typ: 'at+jwt', kid })}.${b64(claims)}.`,
      wrongKey: await new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid })
        .sign(other.privateKey),
      hs256: await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid })
        .sign(new TextEncoder().encode(JSON.stringify(publicJwk))),
      // Keyward's own key, expired beyond the clock skew.
      expired: srv.keyward.services.signingKeys.signJwt(
        { ...claims, exp: nowS - 600, iat: nowS - 900 },
        { typ: 'at+jwt' },
      ),
      garbage: 'not.a.jwt',
    };
    // Signed with Keyward's own key but not yet valid, or not an access token at all (a SET).
    const keys = srv.keyward.services.signingKeys;
    forged['notYetValid'] = keys.signJwt({ ...claims, nbf: nowS + 600, exp: nowS + 900 }, { typ: 'at+jwt' });
    forged['wrongTyp'] = keys.signJwt({ ...claims, exp: nowS + 60 }, { typ: 'JWT' });
    forged['securityEvent'] = keys.signSecurityEvent({ iss: srv.url, jti: 'x', events: {} });
    forged['wrongIssuer'] = keys.signJwt(
      { ...claims, iss: 'https://evil.example', exp: nowS + 60 },
      { typ: 'at+jwt' },
    );
    for (const [name, token] of Object.entries(forged)) {
      const res = await exchange(srv, agent, taskId, token);
      expect(res, name).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
      expect((await introspect(srv, token)).body, name).toEqual({ active: false });
    }
    // Client assertions: replay, expired, not yet valid, wrong audience, wrong key.
    const a = await agent.assertion();
    expect((await clientCredentials(srv, agent, taskId, { client_assertion: a })).status).toBe(200);
    const cases: Record<string, string> = {
      replayed: a,
      expired: await agent.assertion({ exp: nowS - 300, iat: nowS - 400 }),
      notYetValid: await agent.assertion({ nbf: nowS + 600 }),
      wrongAudience: await agent.assertion({ aud: 'https://elsewhere.example' }),
      wrongKey: await agent.assertion({}, other.privateKey),
    };
    for (const [name, assertion] of Object.entries(cases)) {
      const res = await clientCredentials(srv, agent, taskId, { client_assertion: assertion });
      expect(res, name).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    }
    expect((await form(srv, '/oauth2/token', { grant_type: 'password' })).body.error).toBe(
      'unsupported_grant_type',
    );
    expect((await clientCredentials(srv, agent, taskId, { resource: 'other-db' })).body.error).toBe(
      'invalid_target',
    );
    const refusals = await srv.keyward.store.audit.list({ type: 'oauth.token.refused' }, 1000);
    expect(refusals.length).toBeGreaterThanOrEqual(10);
    expect(refusals.some((e) => e.details['error'] === 'invalid_client' && e.outcome === 'denied')).toBe(
      true,
    );
  });

  it('scopes only narrow: beyond the task, beyond the parent token', async () => {
    expect((await clientCredentials(srv, agent, taskId, { scope: 'delete:payments-db' })).body.error).toBe(
      'invalid_scope',
    );
    expect(
      (
        await clientCredentials(srv, agent, taskId, {
          scope: 'write:res:ledger-eu',
          resource: 'res:ledger-eu',
        })
      ).status,
    ).toBe(200);
    expect(
      (await clientCredentials(srv, agent, taskId, { scope: 'write:res:*', resource: 'res:ledger-eu' })).body
        .error,
    ).toBe('invalid_scope');
    const narrow = await tokenFor(agent, taskId, { scope: 'write:res:ledger-eu', resource: 'res:ledger-eu' });
    const child = await freshTask(sub, {
      parentTaskId: taskId,
      parentToken: narrow,
      scopes: ['write:res:ledger-*'],
      ttlSeconds: 60,
    }).catch(() => undefined);
    expect(child).toBeDefined();
    const wider = await exchange(srv, sub, child!, narrow, {
      scope: 'write:res:ledger-us',
      resource: 'res:ledger-us',
    });
    expect(wider).toMatchObject({ status: 400, body: { error: 'invalid_scope' } });
    // A child task wider than its parent is refused.
    const wide = await openTask(srv, sub, sponsor, idp, {
      parentTaskId: taskId,
      parentToken: narrow,
      scopes: ['delete:payments-db'],
    });
    expect(wide.status).toBe(422);
    const long = await openTask(srv, sub, sponsor, idp, {
      parentTaskId: taskId,
      parentToken: narrow,
      scopes: ['read:payments-db'],
      ttlSeconds: 3000,
    });
    expect(long.status).toBe(422);
  });

  it('completing a task: its tokens and child tasks are revoked, SETs are published', async () => {
    const parent = await freshTask();
    const token = await tokenFor(agent, parent);
    const child = await freshTask(sub, {
      parentTaskId: parent,
      parentToken: token,
      scopes: ['read:payments-db'],
      ttlSeconds: 60,
    });
    const childToken = await tokenFor(sub, child);
    expect((await introspect(srv, token)).body).toMatchObject({
      active: true,
      task_id: parent,
      sub: agent.identity.id,
    });
    const after = await srv.keyward.store.revocationEvents.lastSeq();
    const done = await fetch(`${srv.url}/v1/tasks/${parent}/complete`, {
      method: 'POST',
      headers: { 'x-keyward-client-assertion': await agent.assertion() },
    });
    expect(done.status).toBe(200);
    expect(((await done.json()) as { status: string }).status).toBe('completed');
    expect((await introspect(srv, token)).body).toEqual({ active: false });
    expect((await introspect(srv, childToken)).body).toEqual({ active: false });
    expect((await srv.keyward.services.tasks.get(child)).status).toBe('cancelled');
    const poll = await fetch(`${srv.url}/v1/revocations/events?after=${after}`, {
      headers: { authorization: `Bearer ${srv.adminToken}` },
    });
    const { events } = (await poll.json()) as { events: Array<{ seq: number; set: string }> };
    const sets = events.map((e) => decodeJwt(e.set));
    expect(sets.map((s) => s['keyward_revocation'])).toEqual([
      { kind: 'task', id: parent },
      { kind: 'task', id: child },
    ]);
    expect(sets[0]).toMatchObject({
      iss: srv.url,
      events: {
        'https://schemas.openid.net/secevent/caep/event-type/session-revoked': {
          subject: { format: 'opaque', id: parent },
        },
      },
    });
    expect((await clientCredentials(srv, agent, parent)).body).toMatchObject({ error: 'invalid_grant' });
    const again = await fetch(`${srv.url}/v1/tasks/${parent}/cancel`, {
      method: 'POST',
      headers: { authorization: `Bearer ${srv.adminToken}` },
    });
    expect(again.status, await again.text()).toBe(409);
  });

  it('revocation by token, identity and sponsor; disabled agents and inactive sponsors get nothing', async () => {
    const t = await freshTask();
    const token = await tokenFor(agent, t);
    expect(
      (
        await form(srv, '/oauth2/revoke', {
          token,
          client_assertion_type: ASSERTION_TYPE,
          client_assertion: await agent.assertion(),
        })
      ).status,
    ).toBe(200);
    expect((await introspect(srv, token)).body.active).toBe(false);
    expect((await clientCredentials(srv, agent, t)).status).toBe(200); // the task itself lives on

    const disposable = await createAgent(srv, `disposable-${backend}`);
    const dt = await freshTask(disposable);
    const dtoken = await tokenFor(disposable, dt);
    await srv.keyward.services.identities.disable('test', disposable.identity.id, { reason: 'compromised' });
    expect((await introspect(srv, dtoken)).body.active).toBe(false);
    expect((await srv.keyward.services.tasks.get(dt)).status).toBe('cancelled');
    expect((await clientCredentials(srv, disposable, dt)).body.error).toBe('invalid_client');

    const leaving = await createSponsor(srv, `leaving-${backend}`);
    const lt = (await openTask(srv, agent, leaving, idp)).body.task.id;
    const ltoken = await tokenFor(agent, lt);
    const h = await srv.keyward.services.humans.get(leaving.id);
    await srv.keyward.services.humans.update('test', leaving.id, { active: false, version: h.version });
    expect((await introspect(srv, ltoken)).body.active).toBe(false);
    expect((await srv.keyward.services.tasks.get(lt)).endReason).toBe('sponsor deactivated');
    expect((await clientCredentials(srv, agent, lt)).body.error).toBe('invalid_grant');
    expect((await openTask(srv, agent, leaving, idp)).status).toBe(401);

    const rt = await freshTask();
    const rtoken = await tokenFor(agent, rt);
    const admin = { authorization: `Bearer ${srv.adminToken}`, 'content-type': 'application/json' };
    const byApi = await fetch(`${srv.url}/v1/revocations`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ kind: 'task', id: rt, reason: 'incident 42' }),
    });
    expect(byApi.status).toBe(200);
    expect((await introspect(srv, rtoken)).body.active).toBe(false);
    expect((await clientCredentials(srv, agent, rt)).body.error).toBe('invalid_grant');
    const jt = await freshTask();
    const jtoken = await tokenFor(agent, jt);
    const jti = decodeJwt(jtoken).jti!;
    const byJti = await fetch(`${srv.url}/v1/revocations`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ kind: 'token', id: jti, reason: 'leaked' }),
    });
    expect(byJti.status).toBe(200);
    expect((await introspect(srv, jtoken)).body.active).toBe(false);
    const sets = (await srv.keyward.store.revocationEvents.listAfter(0, 1000)).map((e) => decodeJwt(e.set));
    expect(
      sets.some(
        (s) =>
          // The feed also carries behavioural alert SETs (no keyward_revocation claim).
          (s['keyward_revocation'] as { kind: string } | undefined)?.kind === 'identity' &&
          JSON.stringify(s['events']).includes('credential-change'),
      ),
    ).toBe(true);
    expect(
      sets.some(
        (s) =>
          JSON.stringify(s['keyward_revocation']) === JSON.stringify({ kind: 'sponsor', id: leaving.id }),
      ),
    ).toBe(true);
    expect(
      sets.some(
        (s) => JSON.stringify(s['keyward_revocation']) === JSON.stringify({ kind: 'token', id: jti }),
      ),
    ).toBe(true);
  });

  it('expires tasks past their TTL through the maintenance sweep', async () => {
    const t = await freshTask(agent, { ttlSeconds: 1 });
    await new Promise((r) => setTimeout(r, 1100));
    expect(await srv.keyward.services.tasks.expireDue()).toBeGreaterThanOrEqual(1);
    expect((await srv.keyward.services.tasks.get(t)).status).toBe('expired');
  });

  it('introspection needs a caller; agents see only their own tokens', async () => {
    const token = await tokenFor(agent, taskId);
    expect((await form(srv, '/oauth2/introspect', { token })).status).toBe(401);
    const mine = await form(srv, '/oauth2/introspect', {
      token,
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: await agent.assertion(),
    });
    expect(mine.body.active).toBe(true);
    const theirs = await form(srv, '/oauth2/introspect', {
      token,
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: await sub.assertion(),
    });
    expect(theirs.body).toEqual({ active: false });
    const kp = await generateKeyPair('ES256', { extractable: true });
    expect(await exportJWK(kp.publicKey)).toBeDefined();
  });
});
