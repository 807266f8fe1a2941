/**
 * What every Keyward verifier shares, whatever checks the signature: the JWKS (refetched on an
 * unknown kid, at most once per cooldown), the revocation set and feed (SSE or polling), the
 * fail-closed outage rule and the typed view of the claims. The token check itself — signature,
 * `typ`, iss/aud/exp/nbf/iat — is plugged in: jose (runtime-neutral, keyward-verifier.ts) or
 * node:crypto (the fast path, node-verifier.ts).
 */
import { createRemoteJWKSet, customFetch, errors, type JWTPayload, jwtVerify } from 'jose';
import { toVerifiedAccessToken, type VerifiedAccessToken } from './access-token.js';
import { joseErrorReason, mapJoseError } from './jose-error-map.js';
import { RevocationFeed, type RevocationFeedStatus } from './revocation-feed.js';
import { type Revocation, RevocationSet, revocationFromSet } from './revocation-set.js';
import { KeywardVerifyError } from './verify-error.js';

export interface VerifierOptions {
  /** Keyward's issuer URL: the exact `iss` of its tokens. */
  issuer: string;
  /** This resource server's identifier(s); the token's `aud` must contain one. */
  audience: string | string[];
  /** Default `${issuer}/.well-known/jwks.json`. */
  jwksUrl?: string | undefined;
  /** A Keyward API token (`kw_…`) allowed to read the revocation feed; needed for subscribe/poll. */
  apiToken?: string | undefined;
  /** Default `${issuer}/v1/revocations/feed` (SSE). */
  revocationFeedUrl?: string | undefined;
  /** Default `${issuer}/v1/revocations/events` (polling). */
  revocationEventsUrl?: string | undefined;
  /** Tolerated clock skew on exp/nbf/iat; default 30 s. */
  clockToleranceSeconds?: number | undefined;
  /**
   * Minimum time between JWKS refetches for unknown kids; default 5 s. Keyward uses a new key as
   * soon as it rotates, so a token with the new kid can be refused for at most this long.
   */
  jwksCooldownMs?: number | undefined;
  /** How long revocations are remembered; default 3600 s (Keyward's KEYWARD_MAX_TOKEN_TTL). */
  revocationRetentionSeconds?: number | undefined;
  /** Reconnect back-off bounds and idle timeout of the SSE feed. */
  feed?: { minBackoffMs?: number; maxBackoffMs?: number; idleTimeoutMs?: number } | undefined;
  /**
   * Fail closed: once subscribe() was called, refuse every token (`revocation_unavailable`) while
   * the feed has been down for longer than this. Default: undefined (keep verifying, fail open).
   */
  maxFeedOutageMs?: number | undefined;
  /** Called on feed problems (disconnects, refused SETs). Default: ignore. Never gets tokens. */
  onError?: ((err: Error) => void) | undefined;
  /** Called for each applied revocation. */
  onRevocation?: ((revocation: Revocation) => void) | undefined;
  fetch?: typeof fetch | undefined;
}

export interface KeywardVerifier {
  /** Verifies a compact access token; throws KeywardVerifyError. */
  verify(token: string): Promise<VerifiedAccessToken>;
  /** Opens the SSE revocation feed; resolves once connected (keeps reconnecting until close()). */
  subscribe(): Promise<void>;
  /** Applies every revocation event after the cursor; returns how many. */
  poll(): Promise<number>;
  /** Adds a revocation by hand (e.g. from your own event bus). */
  revoke(revocation: Revocation): void;
  feedStatus(): RevocationFeedStatus;
  close(): void;
}

export const ACCESS_TOKEN_ALGS = ['ES256', 'EdDSA'];
const MAX_TOKEN_BYTES = 16_384;

/** Keyward's JWKS as jose resolves it: the key for a JWS header (alg, kid). */
export type RemoteJwks = ReturnType<typeof createRemoteJWKSet>;

export interface TokenCheckContext {
  options: VerifierOptions;
  jwks: RemoteJwks;
  /** Clock tolerance in seconds. */
  tolerance: number;
}

/** Verifies signature, typ and the time/issuer/audience claims; throws KeywardVerifyError. */
export type TokenCheck = (token: string) => Promise<JWTPayload> | JWTPayload;

/** The jose token check: WebCrypto, runtime-neutral. */
export function joseTokenCheck({ options, jwks, tolerance }: TokenCheckContext): TokenCheck {
  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, jwks, {
        issuer: options.issuer,
        audience: options.audience,
        typ: 'at+jwt',
        algorithms: ACCESS_TOKEN_ALGS,
        clockTolerance: tolerance,
        requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat', 'jti'],
      }));
    } catch (err) {
      throw mapJoseError(err);
    }
    // jose checks iat only with maxTokenAge; a token from the future is refused like a future nbf.
    if (typeof payload.iat === 'number' && payload.iat > Date.now() / 1000 + tolerance) {
      throw new KeywardVerifyError('token_not_yet_valid', 'iat is in the future');
    }
    return payload;
  };
}

export function createVerifierWith(
  options: VerifierOptions,
  makeCheck: (ctx: TokenCheckContext) => TokenCheck,
): KeywardVerifier {
  if (!options.issuer) throw new TypeError('createVerifier: `issuer` is required');
  if (!options.audience || options.audience.length === 0) {
    throw new TypeError('createVerifier: `audience` is required');
  }
  const base = options.issuer.replace(/\/+$/, '');
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const tolerance = options.clockToleranceSeconds ?? 30;
  const jwks = createRemoteJWKSet(new URL(options.jwksUrl ?? `${base}/.well-known/jwks.json`), {
    cooldownDuration: options.jwksCooldownMs ?? 5_000,
    cacheMaxAge: 10 * 60_000,
    timeoutDuration: 5_000,
    [customFetch]: (url, init) => fetchImpl(url, init),
  });
  const revocations = new RevocationSet(options.revocationRetentionSeconds ?? 3600);
  const onError = options.onError ?? (() => {});
  let feed: RevocationFeed | undefined;
  const checkToken = makeCheck({ options, jwks, tolerance });

  async function verifySet(set: string): Promise<void> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(set, jwks, {
        issuer: options.issuer,
        typ: 'secevent+jwt',
        algorithms: ACCESS_TOKEN_ALGS,
        clockTolerance: tolerance,
      }));
    } catch (err) {
      // An expired SET is stale, not hostile: every token it could revoke has expired too.
      if (err instanceof errors.JWTExpired) return;
      throw new KeywardVerifyError('invalid_token', `revocation SET refused: ${joseErrorReason(err)}`, {
        cause: err,
      });
    }
    const revocation = revocationFromSet(payload);
    if (!revocation) return;
    revocations.add(revocation);
    options.onRevocation?.(revocation);
  }

  function getFeed(): RevocationFeed {
    if (!options.apiToken) {
      throw new TypeError('createVerifier: `apiToken` is required to read the revocation feed');
    }
    feed ??= new RevocationFeed({
      feedUrl: options.revocationFeedUrl ?? `${base}/v1/revocations/feed`,
      eventsUrl: options.revocationEventsUrl ?? `${base}/v1/revocations/events`,
      apiToken: options.apiToken,
      fetch: fetchImpl,
      onSet: verifySet,
      onError,
      ...options.feed,
    });
    return feed;
  }

  async function verify(token: string): Promise<VerifiedAccessToken> {
    if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_BYTES) {
      throw new KeywardVerifyError('invalid_token', 'token is empty or too large');
    }
    const payload = await checkToken(token);
    const verified = toVerifiedAccessToken(payload);
    const outage = feed?.outageMs();
    if (options.maxFeedOutageMs !== undefined && outage !== undefined && outage > options.maxFeedOutageMs) {
      throw new KeywardVerifyError(
        'revocation_unavailable',
        `revocation feed down for ${Math.round(outage / 1000)} s`,
      );
    }
    const revoked = revocations.match(verified);
    if (revoked)
      throw new KeywardVerifyError('token_revoked', `token revoked (${revoked.kind} ${revoked.id})`);
    return verified;
  }

  return {
    verify,
    subscribe: async () => getFeed().start(),
    poll: async () => getFeed().poll(),
    revoke: (revocation) => revocations.add(revocation),
    feedStatus: () => feed?.status() ?? { connected: false, lastEventId: undefined, lastEventAt: undefined },
    close: () => feed?.close(),
  };
}
