/**
 * createNodeVerifier (`@keyward/sdk/node`): createVerifier's checks on node:crypto, for resource
 * servers on Node. Each published key is imported once per kid as a KeyObject (from the same jose
 * remote JWKS, so fetching, cooldown and cache age are unchanged) and ES256 is verified with
 * `crypto.verify` (`dsaEncoding: 'ieee-p1363'`), synchronously: no WebCrypto job queue, the token
 * split and decoded once. Same rules and error codes as the jose path: alg ES256/EdDSA only, no
 * `crit`, typ at+jwt, iss, aud, exp/nbf/iat with tolerance, revocations. A token without a kid
 * (Keyward always sets one) takes the jose path.
 */
import { type KeyObject, KeyObject as NodeKeyObject } from 'node:crypto';
import type { JWTPayload } from 'jose';
import { checkAccessTokenClaims } from './access-token-claims.js';
import { mapJoseError } from './jose-error-map.js';
import { parseCompactJws, verifyJwsSignature } from './node-jws.js';
import {
  ACCESS_TOKEN_ALGS,
  createVerifierWith,
  joseTokenCheck,
  type KeywardVerifier,
  type TokenCheck,
  type TokenCheckContext,
  type VerifierOptions,
} from './verifier-core.js';
import { KeywardVerifyError } from './verify-error.js';

/** Imported keys are re-resolved through the JWKS after this long (jose's own cache age). */
const KEY_TTL_MS = 10 * 60_000;
const MAX_KEYS = 100;

const normalizeTyp = (typ: string) => typ.toLowerCase().replace(/^application\//, '');

export function nodeTokenCheck(ctx: TokenCheckContext): TokenCheck {
  const { options, jwks, tolerance } = ctx;
  const audiences = Array.isArray(options.audience) ? options.audience : [options.audience];
  const slow = joseTokenCheck(ctx);
  const keys = new Map<string, { key: KeyObject; until: number }>();

  async function resolveKey(alg: string, kid: string, token: string): Promise<KeyObject> {
    let key: KeyObject;
    try {
      const [protectedHeader = '', payload = '', signature = ''] = token.split('.');
      const resolved = await jwks({ alg, kid }, { payload, signature, protected: protectedHeader });
      key = NodeKeyObject.from(resolved as Parameters<typeof NodeKeyObject.from>[0]);
    } catch (err) {
      throw mapJoseError(err);
    }
    if (keys.size >= MAX_KEYS) keys.clear();
    keys.set(`${alg} ${kid}`, { key, until: Date.now() + KEY_TTL_MS });
    return key;
  }

  function finish(
    jws: NonNullable<ReturnType<typeof parseCompactJws>>,
    alg: string,
    key: KeyObject,
  ): JWTPayload {
    if (!verifyJwsSignature(alg, key, jws.signingInput, jws.signature))
      throw new KeywardVerifyError('invalid_signature', 'signature does not verify');
    const typ = jws.header['typ'];
    if (typeof typ !== 'string' || normalizeTyp(typ) !== 'at+jwt')
      throw new KeywardVerifyError('invalid_token', 'claim typ: unexpected "typ" JWT header value');
    checkAccessTokenClaims(jws.payload, {
      issuer: options.issuer,
      audiences,
      toleranceSeconds: tolerance,
      nowSeconds: Math.floor(Date.now() / 1000),
    });
    return jws.payload as JWTPayload;
  }

  return (token) => {
    const jws = parseCompactJws(token);
    if (!jws) throw new KeywardVerifyError('invalid_token', 'not a compact JWS');
    const { alg, kid, crit } = jws.header;
    if (crit !== undefined)
      throw new KeywardVerifyError('invalid_token', 'crit header parameters are not supported');
    if (typeof alg !== 'string' || !ACCESS_TOKEN_ALGS.includes(alg))
      throw new KeywardVerifyError('invalid_token', 'algorithm not allowed');
    if (typeof kid !== 'string') return slow(token);
    const hit = keys.get(`${alg} ${kid}`);
    if (hit && hit.until > Date.now()) return finish(jws, alg, hit.key);
    return resolveKey(alg, kid, token).then((key) => finish(jws, alg, key));
  };
}

/** A KeywardVerifier whose token check runs on node:crypto (several times jose's rate). */
export function createNodeVerifier(options: VerifierOptions): KeywardVerifier {
  return createVerifierWith(options, nodeTokenCheck);
}
