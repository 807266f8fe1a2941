/**
 * @keyward/sdk verifiers against a real Keyward — createVerifier (jose) and createNodeVerifier
 * (the node:crypto fast path), the same cases for both: access tokens minted by its signing key and
 * checked offline with its published JWKS — good tokens, the delegation chain of nested `act`,
 * every refusal that matters, signing-key rotation, and the forgeries a hand-rolled JWS parser
 * could newly let through (DER signatures, tampered payloads, crit, alg confusion).
 */
import { randomUUID, sign } from 'node:crypto';
import { createVerifier, type KeywardVerifier, KeywardVerifyError, type VerifierOptions } from '@keyward/sdk';
import { createNodeVerifier } from '@keyward/sdk/node';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nowS, RESOURCE, tokenMinter } from './sdk-token-fixtures.js';
import { startTestServer, type TestServer } from './test-server.js';

let srv: TestServer;
let t: ReturnType<typeof tokenMinter>;

beforeAll(async () => {
  srv = await startTestServer({ maintenanceIntervalMs: 0 });
  t = tokenMinter(srv);
});
afterAll(async () => {
  await srv?.close();
});

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'accepted',
    (e: unknown) => (e instanceof KeywardVerifyError ? e.code : `unexpected: ${String(e)}`),
  );
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

const FACTORIES: Array<[string, (o: VerifierOptions) => KeywardVerifier]> = [
  ['createVerifier (jose)', createVerifier],
  ['createNodeVerifier (node:crypto)', createNodeVerifier],
];

describe.each(FACTORIES)('%s (real Keyward signing key and JWKS)', (_name, create) => {
  let verifier: KeywardVerifier;
  let jwksFetches = 0;
  beforeAll(() => {
    verifier = create({
      issuer: t.issuer,
      audience: RESOURCE,
      jwksCooldownMs: 0,
      fetch: (input, init) => {
        jwksFetches++;
        return fetch(input, init);
      },
    });
  });
  afterAll(() => verifier?.close());

  it('verifies a good token into a typed VerifiedAccessToken', async () => {
    const token = t.mint();
    const v = await verifier.verify(token);
    expect(v).toMatchObject({
      subject: 'hum_01SPONSOR',
      clientId: 'nhi_01AGENT',
      scopes: ['tickets:read', 'tickets:write'],
      taskId: 'task_01TRIAGE',
      environment: 'prod',
      delegationChain: ['hum_01SPONSOR'],
      actor: 'hum_01SPONSOR',
    });
    expect(v.hasScope('tickets:read')).toBe(true);
    expect(v.hasScope('tickets')).toBe(false);
    expect(v.expiresAt.getTime()).toBeGreaterThan(Date.now());
    expect(v.claims.iss).toBe(t.issuer);
    // An audience list containing ours is fine.
    expect((await verifier.verify(t.mint({ aud: ['https://other', RESOURCE] }))).jti).toBeTruthy();
  });

  it('reads the delegation chain from nested act, newest actor outermost', async () => {
    const token = t.mint({
      act: { sub: 'nhi_SUBAGENT', act: { sub: 'nhi_AGENT' } },
      client_id: 'nhi_SUBAGENT',
    });
    const v = await verifier.verify(token);
    expect(v.delegationChain).toEqual(['hum_01SPONSOR', 'nhi_AGENT', 'nhi_SUBAGENT']);
    expect(v.actor).toBe('nhi_SUBAGENT');
    expect(await codeOf(verifier.verify(t.mint({ act: { sub: 42 } })))).toBe('invalid_token');
    expect(await codeOf(verifier.verify(t.mint({ act: 'nhi_AGENT' })))).toBe('invalid_token');
  });

  it('refuses alg none, HS256 keyed with the public JWK, and a key of its own', async () => {
    const kid = srv.keyward.services.signingKeys.activeKey().kid;
    const claims = {
      iss: t.issuer,
      sub: 'hum_x',
      aud: RESOURCE,
      exp: nowS() + 60,
      iat: nowS(),
      jti: randomUUID(),
      client_id: 'nhi_x',
    };
    expect(await codeOf(verifier.verify(`${b64({ alg: 'none', typ: 'at+jwt', kid })}.${b64(claims)}.`))).toBe(
      'invalid_token',
    );
    const publicJwk = srv.keyward.services.signingKeys.jwks().keys[0];
    const hs = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid })
      .sign(new TextEncoder().encode(JSON.stringify(publicJwk)));
    expect(await codeOf(verifier.verify(hs))).toBe('invalid_token');
    const own = await generateKeyPair('ES256');
    const forged = (k: string) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: k }).sign(own.privateKey);
    expect(await codeOf(verifier.verify(await forged(kid)))).toBe('invalid_signature');
    expect(await codeOf(verifier.verify(await forged('attacker-kid')))).toBe('unknown_key');
    // An embedded jwk header is no way in either.
    const embedded = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', jwk: await exportJWK(own.publicKey) })
      .sign(own.privateKey);
    expect(await codeOf(verifier.verify(embedded))).not.toBe('accepted');
  });

  it('refuses expired, not-yet-valid, wrong audience, wrong issuer and wrong typ', async () => {
    expect(await codeOf(verifier.verify(t.mint({ iat: nowS() - 600, exp: nowS() - 120 })))).toBe(
      'token_expired',
    );
    expect(await codeOf(verifier.verify(t.mint({ nbf: nowS() + 120 })))).toBe('token_not_yet_valid');
    expect(await codeOf(verifier.verify(t.mint({ aud: 'https://billing.example.com' })))).toBe(
      'wrong_audience',
    );
    expect(await codeOf(verifier.verify(t.mint({ iss: 'https://evil.example.com' })))).toBe('wrong_issuer');
    expect(await codeOf(verifier.verify(t.mint({}, 'JWT')))).toBe('invalid_token');
    expect(await codeOf(verifier.verify(t.mint({}, 'secevent+jwt')))).toBe('invalid_token');
    expect(await codeOf(verifier.verify(t.mint({}, '')))).toBe('invalid_token');
    // Within the clock tolerance (30 s) an expired token still passes.
    expect(await codeOf(verifier.verify(t.mint({ iat: nowS() - 60, exp: nowS() - 5 })))).toBe('accepted');
  });

  it('refuses missing required claims and garbage', async () => {
    expect(await codeOf(verifier.verify(t.mint({ client_id: undefined })))).toBe('invalid_token');
    expect(await codeOf(verifier.verify(t.mint({ jti: undefined })))).toBe('invalid_token');
    expect(await codeOf(verifier.verify(t.mint({ sub: undefined })))).toBe('invalid_token');
    expect(await codeOf(verifier.verify(t.mint({ scope: ['a'] })))).toBe('invalid_token');
    expect(await codeOf(verifier.verify('not-a-jwt'))).toBe('invalid_token');
    expect(await codeOf(verifier.verify(''))).toBe('invalid_token');
    const err = await verifier.verify(t.mint({ aud: 'x' })).catch((e: Error) => e);
    expect(String((err as Error).message)).not.toMatch(/eyJ/);
  });

  it('follows a key rotation: old tokens still verify, the new kid is fetched once', async () => {
    const before = t.mint();
    await verifier.verify(before);
    const fetchesBefore = jwksFetches;
    const rotated = await srv.keyward.services.signingKeys.rotate('test', 'sdk verifier test');
    const after = t.mint();
    expect((await verifier.verify(after)).jti).toBeTruthy();
    expect(jwksFetches).toBe(fetchesBefore + 1);
    expect(JSON.parse(Buffer.from(after.split('.')[0]!, 'base64url').toString()).kid).toBe(rotated.kid);
    expect((await verifier.verify(before)).jti).toBeTruthy();
    await verifier.verify(t.mint());
    expect(jwksFetches).toBe(fetchesBefore + 1);
  });

  it('reports an unreachable JWKS as jwks_unavailable', async () => {
    const offline = create({ issuer: 'http://127.0.0.1:9', audience: RESOURCE });
    expect(await codeOf(offline.verify(t.mint()))).toBe('jwks_unavailable');
  });

  it('refuses what a hand-rolled JWS parser could let through', async () => {
    const good = t.mint();
    const [h, p, sig] = good.split('.') as [string, string, string];
    const key = srv.keyward.services.signingKeys.activeKey();
    // The same signature over a tampered payload.
    const tampered = b64({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), scope: 'tickets:admin' });
    expect(await codeOf(verifier.verify(`${h}.${tampered}.${sig}`))).toBe('invalid_signature');
    // A DER-encoded ECDSA signature (valid, but JWS requires IEEE P1363 r||s).
    const der = sign('sha256', Buffer.from(`${h}.${p}`), { key: key.privateKey, dsaEncoding: 'der' });
    expect(await codeOf(verifier.verify(`${h}.${p}.${der.toString('base64url')}`))).toBe('invalid_signature');
    // Truncated and empty signatures; characters outside base64url; extra segments.
    expect(await codeOf(verifier.verify(`${h}.${p}.${sig.slice(0, 40)}`))).toBe('invalid_signature');
    expect(await codeOf(verifier.verify(`${h}.${p}.`))).not.toBe('accepted');
    expect(await codeOf(verifier.verify(`${h}.${p}=.${sig}`))).not.toBe('accepted');
    expect(await codeOf(verifier.verify(`${good}.${sig}`))).toBe('invalid_token');
    // A header we sign ourselves with the real key: crit, and alg confusion on the ES256 kid.
    const signed = (header: Record<string, unknown>, claims: Record<string, unknown> = {}) => {
      const input = `${b64({ kid: key.kid, typ: 'at+jwt', ...header })}.${b64({
        ...JSON.parse(Buffer.from(p, 'base64url').toString()),
        ...claims,
      })}`;
      const s = sign('sha256', Buffer.from(input), { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
      return `${input}.${s.toString('base64url')}`;
    };
    expect(await codeOf(verifier.verify(signed({ alg: 'ES256' })))).toBe('accepted');
    expect(await codeOf(verifier.verify(signed({ alg: 'ES256', typ: 'application/at+jwt' })))).toBe(
      'accepted',
    );
    expect(await codeOf(verifier.verify(signed({ alg: 'ES256', crit: ['exp'] })))).toBe('invalid_token');
    expect(await codeOf(verifier.verify(signed({ alg: 'EdDSA' })))).not.toBe('accepted');
    expect(await codeOf(verifier.verify(signed({ alg: 'ES384' })))).toBe('invalid_token');
    expect(await codeOf(verifier.verify(signed({ alg: 'ES256' }, { exp: String(nowS() + 60) })))).toBe(
      'invalid_token',
    );
    expect(await codeOf(verifier.verify(signed({ alg: 'ES256' }, { iss: undefined })))).toBe('wrong_issuer');
    expect(await codeOf(verifier.verify(signed({ alg: 'ES256' }, { aud: [] })))).toBe('wrong_audience');
  });
});

describe.each(FACTORIES)('%s with an EdDSA signing key', (_name, create) => {
  let ed: TestServer;
  beforeAll(async () => {
    ed = await startTestServer({ maintenanceIntervalMs: 0, config: { signingAlg: 'EdDSA' } });
  });
  afterAll(async () => {
    await ed?.close();
  });

  it('verifies EdDSA tokens and refuses a tampered one', async () => {
    const minter = tokenMinter(ed);
    const verifier = create({ issuer: minter.issuer, audience: RESOURCE, jwksCooldownMs: 0 });
    try {
      const token = minter.mint();
      expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).alg).toBe('EdDSA');
      expect((await verifier.verify(token)).clientId).toBe('nhi_01AGENT');
      const [h, , s] = token.split('.');
      const other = minter.mint({ scope: 'tickets:admin' }).split('.')[1];
      expect(await codeOf(verifier.verify(`${h}.${other}.${s}`))).toBe('invalid_signature');
    } finally {
      verifier.close();
    }
  });
});
