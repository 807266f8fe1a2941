/**
 * private_key_jwt client authentication (RFC 7523 §2.2, OpenID Connect Core §9): an identity signs
 * a short JWT with a private key whose public half is registered for it.
 *
 * Rules: `iss` = `sub` = the identity's id (`nhi_…`; ids are immutable, names are not); `aud`
 * contains one of the accepted audiences (the token endpoint URL or the issuer); `exp` is required
 * and at most MAX_ASSERTION_LIFETIME_S in the future; `nbf` and `iat`, when present, are not in the
 * future beyond the clock skew; `jti` is required and single-use (recorded in the database until
 * `exp`, so a replay is refused on every replica); alg ∈ ES256, EdDSA/Ed25519, RS256, PS256 and
 * matches the key. Only an `active` identity authenticates.
 */
import type { KeyObject } from 'node:crypto';
import type { Identity } from '@keyward/sdk';
import { parseCompactJws, publicKeyObject, verifyJwsSignatureAsync } from '@keyward/sdk/node';
import type { JWTPayload } from 'jose';
import type { AuditRecorder } from '../audit/audit-recorder.js';
import { isWellFormedId } from '../ids.js';
import type { GrantReads } from '../oauth/grant-read-cache.js';
import type { IdentityKeyRecord, Store } from '../storage/storage-types.js';
import { createRefuser } from './auth-refusal.js';
import { createJtiRecorder } from './jti-recorder.js';
import { ASSERTION_ALGS, algsForKey } from './public-jwk.js';

export const MAX_ASSERTION_LIFETIME_S = 300;
const MAX_ASSERTION_BYTES = 8192;

export interface ClientAssertionServiceDeps {
  store: Store;
  audit: AuditRecorder;
  now: () => Date;
  clockSkewSeconds: number;
  /** Audiences accepted when the caller names none: [issuer, token endpoint URL]. */
  defaultAudiences: () => string[];
  /**
   * Cached reads for `checkClientAssertion`, whose caller re-checks the identity and key inside
   * the commit that consumes the jti. `authenticateClientAssertion` always reads the store.
   */
  cachedReads?: Pick<GrantReads, 'identities' | 'identityKeys'> | undefined;
}

export interface AssertionOptions {
  /** Accepted `aud` values; the assertion's aud must contain at least one. */
  audience?: string[];
}

/** A verified assertion whose jti has not been recorded yet: the caller must record it. */
export interface CheckedAssertion {
  identity: Identity;
  jti: { issuer: string; jti: string; expiresAt: string };
  /** The registered key that verified it. */
  key: { kid: string; thumbprint: string };
}

export function createClientAssertionService(deps: ClientAssertionServiceDeps) {
  const { store, now } = deps;
  const refuse = createRefuser(store, deps.audit, 'private_key_jwt');
  const jtis = createJtiRecorder(store);
  const skew = deps.clockSkewSeconds;

  // Imported public keys by thumbprint: importing costs more than verifying. Which keys an
  // identity has is still read per assertion (or re-checked at commit), so a deleted key stops working.
  const imported = new Map<string, KeyObject | undefined>();
  function keyObject(key: IdentityKeyRecord): KeyObject | undefined {
    if (!imported.has(key.thumbprint)) {
      if (imported.size >= 10_000) imported.clear();
      imported.set(key.thumbprint, publicKeyObject(key.publicJwk));
    }
    return imported.get(key.thumbprint);
  }

  /** Verifies everything but the jti's single use. Throws WorkloadAuthError on any failure. */
  async function verifyAssertion(
    assertion: string,
    options: AssertionOptions,
    reads: Pick<GrantReads, 'identities' | 'identityKeys'>,
  ): Promise<CheckedAssertion> {
    if (typeof assertion !== 'string' || assertion.length > MAX_ASSERTION_BYTES) {
      return refuse('malformed', 'not a compact JWS');
    }
    const jws = parseCompactJws(assertion);
    if (!jws) return refuse('malformed', 'not a compact JWS of base64url JSON header and payload');
    const { header, payload: claims } = jws;
    const claimed = typeof claims['iss'] === 'string' ? claims['iss'] : undefined;
    const alg = String(header['alg']);
    if (!(ASSERTION_ALGS as readonly string[]).includes(alg)) {
      return refuse(
        'alg_not_allowed',
        `alg ${JSON.stringify(alg).slice(0, 20)} is not accepted; use ${ASSERTION_ALGS.join(', ')}`,
        { claimed },
      );
    }
    if (!claimed || claims['sub'] !== claimed) {
      return refuse('iss_sub_mismatch', 'iss and sub must both be the identity id', { claimed });
    }
    const identity = isWellFormedId(claimed) ? await reads.identities.get(claimed) : undefined;
    if (!identity) return refuse('unknown_client', 'iss names no identity', { claimed });

    const kid = typeof header['kid'] === 'string' ? header['kid'] : undefined;
    const keys = kid
      ? [await reads.identityKeys.get(identity.id, kid)].filter((k) => k !== undefined)
      : await store.identityKeys.listFor(identity.id);
    if (keys.length === 0) {
      return refuse('unknown_key', kid ? `no key ${JSON.stringify(kid)} registered` : 'no key registered', {
        claimed,
      });
    }
    // On libuv's thread pool, so the event loop parses other requests meanwhile. It shares the pool
    // with the WAL fsync; capping checks in flight there to leave room for it measured ~10% fewer
    // tokens/s at 10 connections, so there is no cap.
    let verifiedBy: IdentityKeyRecord | undefined;
    for (const key of keys) {
      const object = algsForKey(key.publicJwk).includes(alg) ? keyObject(key) : undefined;
      if (object && (await verifyJwsSignatureAsync(alg, object, jws.signingInput, jws.signature))) {
        verifiedBy = key;
        break;
      }
    }
    if (!verifiedBy)
      return refuse('bad_signature', 'signature does not verify with a registered key', {
        claimed,
        details: { kid: kid ?? null, alg },
      });

    const checked = await checkClaims(claims as JWTPayload, claimed, options);
    if (identity.status !== 'active') {
      return refuse('identity_inactive', `identity is ${identity.status}`, { claimed });
    }
    return {
      identity,
      jti: {
        issuer: identity.id,
        jti: checked.jti as string,
        expiresAt: new Date((checked.exp as number) * 1000).toISOString(),
      },
      key: { kid: verifiedBy.kid, thumbprint: verifiedBy.thumbprint },
    };
  }

  /**
   * Verifies a client assertion and returns the identity it authenticates, having recorded its
   * jti. Throws KeywardError('invalid_client') (a WorkloadAuthError with a `reason`) on any failure.
   */
  async function authenticateClientAssertion(
    assertion: string,
    options: AssertionOptions = {},
  ): Promise<Identity> {
    const checked = await verifyAssertion(assertion, options, store);
    const { issuer, jti, expiresAt } = checked.jti;
    if (!(await jtis.record(issuer, jti, expiresAt))) return refuseReplay(issuer);
    return checked.identity;
  }

  /**
   * Like authenticateClientAssertion, from cached reads and without recording the jti: the caller
   * records it (and re-checks identity and key) in its own commit, refusing with refuseReplay.
   */
  function checkClientAssertion(assertion: string, options: AssertionOptions = {}) {
    return verifyAssertion(assertion, options, deps.cachedReads ?? store);
  }

  const refuseReplay = (claimed: string): Promise<never> =>
    refuse('replayed', 'jti was already used', { claimed });

  async function checkClaims(
    claims: JWTPayload,
    claimed: string,
    options: AssertionOptions,
  ): Promise<JWTPayload> {
    const nowS = Math.floor(now().getTime() / 1000);
    const ctx = { claimed };
    if (typeof claims.exp !== 'number') return refuse('missing_exp', 'exp is required', ctx);
    if (claims.exp <= nowS - skew) return refuse('expired', 'exp is in the past', ctx);
    if (claims.exp > nowS + MAX_ASSERTION_LIFETIME_S + skew) {
      return refuse('exp_too_far', `exp must be at most ${MAX_ASSERTION_LIFETIME_S} s in the future`, ctx);
    }
    if (claims.nbf !== undefined && (typeof claims.nbf !== 'number' || claims.nbf > nowS + skew)) {
      return refuse('not_yet_valid', 'nbf is in the future', ctx);
    }
    if (claims.iat !== undefined && (typeof claims.iat !== 'number' || claims.iat > nowS + skew)) {
      return refuse('iat_in_future', 'iat is in the future', ctx);
    }
    const accepted = options.audience ?? deps.defaultAudiences();
    const aud = typeof claims.aud === 'string' ? [claims.aud] : Array.isArray(claims.aud) ? claims.aud : [];
    if (!aud.some((a) => accepted.includes(a))) {
      return refuse('wrong_audience', `aud must contain one of ${accepted.join(', ')}`, ctx);
    }
    if (typeof claims.jti !== 'string' || claims.jti.length === 0 || claims.jti.length > 200) {
      return refuse('missing_jti', 'jti (1-200 characters) is required', ctx);
    }
    return claims;
  }

  /** Forgets used jtis whose assertions can no longer be accepted anyway. */
  function pruneUsedJtis(): Promise<number> {
    return store.usedJtis.deleteExpired(new Date(now().getTime() - skew * 1000).toISOString());
  }

  return { authenticateClientAssertion, checkClientAssertion, refuseReplay, pruneUsedJtis };
}

export type ClientAssertionService = ReturnType<typeof createClientAssertionService>;
