/**
 * createVerifier without a Keyward: a local JWKS server publishing EdDSA, ES256 and RSA keys shows
 * the algorithm allow-list (EdDSA and ES256 only), the iat check jose leaves out, and the
 * fail-closed mode when the revocation feed is down. Real-Keyward tests live in packages/keyward.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifier, KeywardVerifyError } from '../src/index.js';

const ISSUER = 'https://keyward.test';
const AUD = 'https://api.test';
type Pair = Awaited<ReturnType<typeof generateKeyPair>>;
const pairs: Record<string, Pair> = {};
let server: http.Server;
let jwksUrl: string;

beforeAll(async () => {
  const keys: Array<Record<string, unknown>> = [];
  for (const alg of ['EdDSA', 'ES256', 'RS256']) {
    pairs[alg] = await generateKeyPair(alg, { extractable: true });
    keys.push({ ...(await exportJWK(pairs[alg]!.publicKey)), kid: alg, alg });
  }
  server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

const nowS = () => Math.floor(Date.now() / 1000);
const sign = (alg: string, claims: JWTPayload = {}) =>
  new SignJWT({ sub: 'nhi_A', client_id: 'nhi_A', jti: crypto.randomUUID(), ...claims })
    .setProtectedHeader({ alg, kid: alg, typ: 'at+jwt' })
    .setIssuer(ISSUER)
    .setAudience(AUD)
    .setIssuedAt(typeof claims.iat === 'number' ? claims.iat : nowS())
    .setExpirationTime(nowS() + 300)
    .sign(pairs[alg]!.privateKey);
const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'accepted',
    (e: unknown) => (e instanceof KeywardVerifyError ? e.code : String(e)),
  );

describe('createVerifier: algorithms and times', () => {
  it('accepts EdDSA and ES256, refuses RS256 even from a published key', async () => {
    const v = createVerifier({ issuer: ISSUER, audience: AUD, jwksUrl });
    expect((await v.verify(await sign('EdDSA'))).actor).toBe('nhi_A');
    expect(await codeOf(v.verify(await sign('ES256')))).toBe('accepted');
    expect(await codeOf(v.verify(await sign('RS256')))).toBe('invalid_token');
  });

  it('refuses a token issued in the future beyond the tolerance', async () => {
    const v = createVerifier({ issuer: ISSUER, audience: AUD, jwksUrl, clockToleranceSeconds: 5 });
    expect(await codeOf(v.verify(await sign('ES256', { iat: nowS() + 60 })))).toBe('token_not_yet_valid');
    expect(await codeOf(v.verify(await sign('ES256', { iat: nowS() + 3 })))).toBe('accepted');
  });

  it('a revocation added by hand refuses matching tokens', async () => {
    const v = createVerifier({ issuer: ISSUER, audience: AUD, jwksUrl });
    const token = await sign('ES256', { task_id: 'task_X' });
    await v.verify(token);
    v.revoke({ kind: 'task', id: 'task_X', at: new Date(), setId: undefined });
    expect(await codeOf(v.verify(token))).toBe('token_revoked');
  });

  it('fails closed while the feed is down longer than maxFeedOutageMs', async () => {
    const v = createVerifier({
      issuer: ISSUER,
      audience: AUD,
      jwksUrl,
      apiToken: 'kw_x',
      revocationFeedUrl: 'http://127.0.0.1:9/feed',
      maxFeedOutageMs: 50,
      feed: { minBackoffMs: 20, maxBackoffMs: 50 },
    });
    const token = await sign('ES256');
    void v.subscribe();
    await new Promise((r) => setTimeout(r, 120));
    expect(await codeOf(v.verify(token))).toBe('revocation_unavailable');
    v.close();
    expect(await codeOf(v.verify(token))).toBe('accepted');
    // Without an API token there is no feed to follow.
    const noFeed = createVerifier({ issuer: ISSUER, audience: AUD, jwksUrl });
    await expect(noFeed.subscribe()).rejects.toThrow(/apiToken/);
  });
});
