/**
 * Verifies access tokens Keyward itself issued (RFC 9068 `at+jwt`), for introspection, revocation,
 * token exchange (an upstream agent's token as subject_token) and child-task proof. Signature
 * against Keyward's own published keys (memory only), issuer, typ and times first; then `status`
 * asks the store whether the token or its task has been revoked or ended, so every replica
 * answers the same right after a revocation on any of them.
 */
import { createLocalJWKSet, type JWTVerifyGetKey, jwtVerify } from 'jose';
import type { PublicJwk, Store } from '../storage/storage-types.js';
import type { DelegationActor } from './delegation-chain.js';

export interface AccessTokenClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
  iat: number;
  jti: string;
  client_id: string;
  scope: string;
  task_id: string;
  env: string;
  sponsor: string;
  act?: DelegationActor;
  may_act?: { sub?: string };
}

export type VerifyResult = { ok: true; claims: AccessTokenClaims } | { ok: false; reason: string };

export interface AccessTokenVerifierDeps {
  store: Store;
  jwks: () => { keys: PublicJwk[] };
  issuer: () => string;
  clockSkewSeconds: number;
}

const MAX_TOKEN_BYTES = 16_384;

export function createAccessTokenVerifier(deps: AccessTokenVerifierDeps) {
  let cached: { fingerprint: string; getKey: JWTVerifyGetKey } | undefined;

  function keySet(): JWTVerifyGetKey {
    const keys = deps.jwks().keys;
    const fingerprint = keys.map((k) => k.kid).join(',');
    if (cached?.fingerprint !== fingerprint) {
      cached = { fingerprint, getKey: createLocalJWKSet({ keys: keys as never }) };
    }
    return cached.getKey;
  }

  /** Signature, issuer, `typ: at+jwt`, exp/nbf and the claims Keyward always sets. */
  async function verify(token: string): Promise<VerifyResult> {
    if (typeof token !== 'string' || token.length > MAX_TOKEN_BYTES || token.split('.').length !== 3) {
      return { ok: false, reason: 'malformed' };
    }
    try {
      const { payload } = await jwtVerify(token, keySet(), {
        issuer: deps.issuer(),
        typ: 'at+jwt',
        algorithms: ['ES256', 'EdDSA'],
        clockTolerance: deps.clockSkewSeconds,
        requiredClaims: ['exp', 'iat', 'jti', 'sub', 'aud'],
      });
      const c = payload as Partial<AccessTokenClaims>;
      if (typeof c.task_id !== 'string' || typeof c.client_id !== 'string' || typeof c.scope !== 'string') {
        return { ok: false, reason: 'not_a_keyward_access_token' };
      }
      return { ok: true, claims: payload as unknown as AccessTokenClaims };
    } catch (err) {
      const code = (err as { code?: string }).code ?? 'invalid';
      return { ok: false, reason: code === 'ERR_JWT_EXPIRED' ? 'expired' : 'invalid_token' };
    }
  }

  /** Whether a verified token is still live: not revoked itself, and its task still active. */
  async function status(claims: AccessTokenClaims): Promise<'active' | 'revoked' | 'task_ended'> {
    const [token, task] = await Promise.all([
      deps.store.issuedTokens.get(claims.jti),
      deps.store.tasks.get(claims.task_id),
    ]);
    if (token?.revokedAt) return 'revoked';
    if (task?.status !== 'active') return 'task_ended';
    return 'active';
  }

  /** verify + status: the claims of a live token, or why not. */
  async function verifyActive(token: string): Promise<VerifyResult> {
    const verified = await verify(token);
    if (!verified.ok) return verified;
    const s = await status(verified.claims);
    return s === 'active' ? verified : { ok: false, reason: s };
  }

  return { verify, status, verifyActive };
}

export type AccessTokenVerifier = ReturnType<typeof createAccessTokenVerifier>;
