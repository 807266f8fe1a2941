/**
 * Workload authentication end to end on a real Keyward (both backends): identity public keys over
 * HTTP, private_key_jwt client assertions (every refusal reason that matters), and federated
 * tokens from a local OIDC issuer (Kubernetes, CI and SPIFFE-style subjects, key rotation at the
 * issuer, human mapping by email).
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import type { Identity } from '@keyward/sdk';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkloadAuthError } from '../src/workload-auth/auth-refusal.js';
import { startTestIssuer, type TestIssuer } from './oidc-test-issuer.js';
import { startTestServer, TEST_BACKENDS, type TestServer } from './test-server.js';

describe.each(TEST_BACKENDS)('workload authentication [%s]', (backend) => {
  let srv: TestServer;
  let idp: TestIssuer;
  const call = async (method: string, p: string, body?: unknown) => {
    const res = await fetch(srv.url + p, {
      method,
      headers: {
        authorization: `Bearer ${srv.adminToken}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const newIdentity = (name: string) =>
    srv.keyward.services.identities.create('test', { name, kind: 'agent', environment: 'dev' });
  const setStatus = async (identity: Identity, status: Identity['status']) => {
    const current = await srv.keyward.services.identities.get(identity.id);
    await srv.keyward.services.identities.update('test', identity.id, { status, version: current.version });
  };
  const reasonOf = (p: Promise<unknown>) =>
    p.then(
      () => 'accepted',
      (e: WorkloadAuthError) => (e.code === 'invalid_client' ? e.reason : `${e.code}: ${e.message}`),
    );

  beforeAll(async () => {
    srv = await startTestServer({ backend, maintenanceIntervalMs: 0, jwksCooldownMs: 0 });
    idp = await startTestIssuer();
  });
  afterAll(async () => {
    await srv?.close();
    await idp?.close();
  });

  describe('private_key_jwt', () => {
    let agent: Identity;
    let privateKey: CryptoKey;
    let publicJwk: JWK;
    const kid = 'agent-key-1';
    const tokenEndpoint = () => `${srv.url}/oauth2/token`;
    const nowS = () => Math.floor(Date.now() / 1000);
    const auth = (assertion: string) =>
      srv.keyward.services.workloadAuth.authenticateClientAssertion(assertion);

    function assertion(
      o: {
        claims?: Record<string, unknown>;
        jti?: string | null;
        key?: CryptoKey;
        alg?: string;
        sub?: string;
      } = {},
    ) {
      const claims = {
        iss: agent.id,
        sub: o.sub ?? agent.id,
        aud: tokenEndpoint(),
        iat: nowS(),
        exp: nowS() + 120,
        ...(o.jti === null ? {} : { jti: o.jti ?? randomUUID() }),
        ...o.claims,
      };
      return new SignJWT(claims).setProtectedHeader({ alg: o.alg ?? 'ES256', kid }).sign(o.key ?? privateKey);
    }

    beforeAll(async () => {
      agent = await newIdentity('assertion-agent');
      const pair = await generateKeyPair('ES256', { extractable: true });
      privateKey = pair.privateKey;
      publicJwk = { ...(await exportJWK(pair.publicKey)), kid };
      const res = await call('POST', `/v1/identities/${agent.id}/keys`, publicJwk);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        identityId: agent.id,
        kid,
        publicJwk: { kty: 'EC', kid, use: 'sig' },
      });
    });

    it('lists and refuses duplicate, private, symmetric and weak keys', async () => {
      expect((await call('GET', `/v1/identities/${agent.id}/keys`)).body.items).toHaveLength(1);
      expect((await call('POST', `/v1/identities/${agent.id}/keys`, publicJwk)).status).toBe(409);
      const pair = await generateKeyPair('ES256', { extractable: true });
      const priv = await call('POST', `/v1/identities/${agent.id}/keys`, await exportJWK(pair.privateKey));
      expect(priv.status).toBe(400);
      expect(priv.body.detail).toMatch(/private key material \(d\)/);
      expect(
        (await call('POST', `/v1/identities/${agent.id}/keys`, { kty: 'oct', k: 'c2VjcmV0' })).status,
      ).toBe(400);
      const weak = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' });
      const refused = await call('POST', `/v1/identities/${agent.id}/keys`, weak);
      expect(refused.status).toBe(400);
      expect(refused.body.detail).toMatch(/at least 2048 bits/);
      const audit = await srv.keyward.store.audit.list(
        { targetId: agent.id, type: 'identity_key.registered' },
        10,
      );
      expect(audit).toHaveLength(1);
    });

    it('accepts a valid assertion once; the replay is refused', async () => {
      const a = await assertion();
      expect((await auth(a)).id).toBe(agent.id);
      expect(await reasonOf(auth(a))).toBe('replayed');
    });

    it('refuses alg none, HS256 signed with the public key, and a wrong key', async () => {
      const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
      const payload = {
        iss: agent.id,
        sub: agent.id,
        aud: tokenEndpoint(),
        exp: nowS() + 60,
        jti: randomUUID(),
      };
      expect(await reasonOf(auth(`${b64({ alg: 'none', kid })}.${b64(payload)}.`))).toBe('alg_not_allowed');
      const hs = await new SignJWT(payload)
        .setProtectedHeader({ alg: 'HS256', kid })
        .sign(new TextEncoder().encode(JSON.stringify(publicJwk)));
      expect(await reasonOf(auth(hs))).toBe('alg_not_allowed');
      const other = await generateKeyPair('ES256');
      expect(await reasonOf(auth(await assertion({ key: other.privateKey })))).toBe('bad_signature');
    });

    it('refuses bad times, audience, jti and subject', async () => {
      const cases: Array<[string, Parameters<typeof assertion>[0]]> = [
        ['expired', { claims: { exp: nowS() - 120, iat: nowS() - 300 } }],
        ['not_yet_valid', { claims: { nbf: nowS() + 200, exp: nowS() + 280 } }],
        ['iat_in_future', { claims: { iat: nowS() + 200 } }],
        ['exp_too_far', { claims: { exp: nowS() + 3600 } }],
        ['missing_exp', { claims: { exp: undefined } }],
        ['wrong_audience', { claims: { aud: 'https://elsewhere.example/token' } }],
        ['missing_jti', { jti: null }],
        ['iss_sub_mismatch', { sub: 'nhi_00000000000000000000000000000000' }],
      ];
      for (const [reason, o] of cases) expect(await reasonOf(auth(await assertion(o))), reason).toBe(reason);
      const audited = await srv.keyward.store.audit.list(
        { targetId: agent.id, type: 'workload_auth.refused' },
        100,
      );
      expect(audited.map((e) => e.details['reason'])).toEqual(
        expect.arrayContaining(['expired', 'missing_jti']),
      );
      expect(audited.every((e) => e.outcome === 'denied' && !JSON.stringify(e).includes('eyJ'))).toBe(true);
    });

    it('refuses disabled, revoked and orphaned identities', async () => {
      for (const status of ['disabled', 'revoked', 'orphaned'] as const) {
        await setStatus(agent, status);
        expect(await reasonOf(auth(await assertion())), status).toBe('identity_inactive');
      }
      await setStatus(agent, 'active');
      expect((await auth(await assertion())).id).toBe(agent.id);
    });

    it('a deleted key stops authenticating', async () => {
      expect((await call('DELETE', `/v1/identities/${agent.id}/keys/${kid}`)).status).toBe(200);
      expect(await reasonOf(auth(await assertion()))).toBe('unknown_key');
    });
  });

  describe('federation', () => {
    let k8s: Identity;
    let ci: Identity;
    let spiffe: Identity;
    let human: { id: string };
    const AUD = 'keyward';
    const auth = (token: string) => srv.keyward.services.workloadAuth.authenticateFederatedToken(token);

    beforeAll(async () => {
      k8s = await newIdentity('k8s-agent');
      ci = await newIdentity('ci-deployer');
      spiffe = await newIdentity('spiffe-agent');
      human = (await call('POST', '/v1/humans', { email: 'Sponsor@Example.com', name: 'Sponsor' })).body;
      const res = await call('POST', '/v1/federation/issuers', {
        issuer: idp.issuer,
        audiences: [AUD],
        rules: [
          { subject: 'system:serviceaccount:prod:*', identityId: k8s.id },
          {
            subject: 'repo:acme/deploy:**',
            requiredClaims: { repository: 'acme/deploy', ref: 'refs/heads/main' },
            identityId: ci.id,
          },
          { subject: 'spiffe://example.org/ns/prod/sa/*', identityId: spiffe.id },
          { subjectRegex: 'user:[a-z]+', requiredClaims: { email_verified: true }, humanEmailClaim: 'email' },
        ],
      });
      expect(res.status).toBe(201);
    });

    it('maps Kubernetes, CI and SPIFFE tokens to their identities', async () => {
      const k = await auth(await idp.sign({ sub: 'system:serviceaccount:prod:agent', aud: AUD }));
      expect(k).toMatchObject({
        kind: 'identity',
        identity: { id: k8s.id },
        subject: 'system:serviceaccount:prod:agent',
      });
      const c = await auth(
        await idp.sign({
          sub: 'repo:acme/deploy:ref:refs/heads/main',
          aud: AUD,
          repository: 'acme/deploy',
          ref: 'refs/heads/main',
        }),
      );
      expect(c).toMatchObject({ kind: 'identity', identity: { id: ci.id } });
      const s = await auth(
        await idp.sign({ sub: 'spiffe://example.org/ns/prod/sa/agent', aud: [AUD, 'other'] }),
      );
      expect(s).toMatchObject({ kind: 'identity', identity: { id: spiffe.id } });
    });

    it('refuses unmatched subjects and claims, wrong issuer, wrong audience, expired tokens', async () => {
      const sign = idp.sign.bind(idp);
      expect(await reasonOf(auth(await sign({ sub: 'system:serviceaccount:dev:agent', aud: AUD })))).toBe(
        'no_matching_rule',
      );
      expect(await reasonOf(auth(await sign({ sub: 'system:serviceaccount:prod:a:b', aud: AUD })))).toBe(
        'no_matching_rule',
      );
      expect(
        await reasonOf(
          auth(
            await sign({
              sub: 'repo:acme/deploy:ref:refs/heads/dev',
              aud: AUD,
              repository: 'acme/deploy',
              ref: 'refs/heads/dev',
            }),
          ),
        ),
      ).toBe('no_matching_rule');
      expect(
        await reasonOf(auth(await sign({ sub: 'spiffe://example.org/ns/prod/sa/agent', aud: 'nope' }))),
      ).toBe('wrong_audience');
      expect(
        await reasonOf(
          auth(
            await sign({ iss: 'https://evil.example', sub: 'system:serviceaccount:prod:agent', aud: AUD }),
          ),
        ),
      ).toBe('unknown_issuer');
      expect(
        await reasonOf(
          auth(await sign({ sub: 'system:serviceaccount:prod:agent', aud: AUD }, { expiresIn: '-5m' })),
        ),
      ).toBe('expired');
    });

    it('follows a key rotation at the issuer (unknown kid → refetch)', async () => {
      const before = idp.jwksFetches();
      await idp.rotate();
      const token = await idp.sign({ sub: 'system:serviceaccount:prod:agent', aud: AUD });
      expect(await auth(token)).toMatchObject({ identity: { id: k8s.id } });
      expect(idp.jwksFetches()).toBeGreaterThan(before);
    });

    it('maps a human by email and refuses inactive targets', async () => {
      const token = await idp.sign({
        sub: 'user:sponsor',
        aud: AUD,
        email: 'sponsor@example.com',
        email_verified: true,
      });
      expect(await auth(token)).toMatchObject({ kind: 'human', human: { id: human.id } });
      expect(
        await reasonOf(auth(await idp.sign({ sub: 'user:sponsor', aud: AUD, email: 'sponsor@example.com' }))),
      ).toBe('no_matching_rule');
      await setStatus(k8s, 'disabled');
      expect(
        await reasonOf(auth(await idp.sign({ sub: 'system:serviceaccount:prod:agent', aud: AUD }))),
      ).toBe('identity_inactive');
    });

    it('validates issuer configuration', async () => {
      const base = { audiences: ['x'], rules: [{ subject: 'a', identityId: ci.id }] };
      expect(
        (await call('POST', '/v1/federation/issuers', { ...base, issuer: 'http://idp.example.com' })).status,
      ).toBe(400);
      expect((await call('POST', '/v1/federation/issuers', { ...base, issuer: idp.issuer })).status).toBe(
        409,
      );
      const twoTargets = {
        audiences: ['x'],
        rules: [{ subject: 'a', identityId: ci.id, humanId: human.id }],
      };
      expect(
        (await call('POST', '/v1/federation/issuers', { ...twoTargets, issuer: 'https://two.example' }))
          .status,
      ).toBe(400);
      const ghost = {
        audiences: ['x'],
        rules: [{ subject: 'a', identityId: 'nhi_0190a0b0c0d0e0f00000000000000001' }],
      };
      expect(
        (await call('POST', '/v1/federation/issuers', { ...ghost, issuer: 'https://ghost.example' })).status,
      ).toBe(422);
      const list = await call('GET', '/v1/federation/issuers');
      expect(list.body.items).toHaveLength(1);
      const [fed] = list.body.items;
      const patched = await call('PATCH', `/v1/federation/issuers/${fed.id}`, {
        audiences: [AUD, 'more'],
        version: fed.version,
      });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ version: fed.version + 1, audiences: [AUD, 'more'] });
    });
  });
});
