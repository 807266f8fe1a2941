/**
 * Federated workload authentication: a token from a trusted external OIDC issuer (a Kubernetes
 * service-account token, a CI job's OIDC token, a SPIFFE JWT-SVID …) authenticates as the Keyward
 * identity — or, for sponsor consent, the human — that the issuer's first matching rule names.
 *
 * Checked: the issuer is configured (by exact `iss`); alg is among the issuer's algorithms; the
 * signature verifies with the issuer's keys (static JWKS, `jwksUri`, or the `jwks_uri` of its
 * openid-configuration; remote sets are cached and refetched on an unknown kid, at most once per
 * cooldown); `aud` contains an allowed audience; `exp` is required and `nbf` respected within the
 * clock skew; a rule matches; the target is active. Federated tokens are not single-use: the
 * issuer lets a workload present the same token until it expires.
 */
import type { Human, Identity } from '@keyward/sdk';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJwt,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';
import type { AuditRecorder } from '../audit/audit-recorder.js';
import type { FederationIssuer, Store } from '../storage/storage-types.js';
import { createRefuser, type RefusalReason } from './auth-refusal.js';
import { ruleMatches } from './subject-match.js';

export interface FederatedTokenServiceDeps {
  store: Store;
  audit: AuditRecorder;
  now: () => Date;
  clockSkewSeconds: number;
  /** Least time between two fetches of one issuer's JWKS (default 30 s; tests use 0). */
  jwksCooldownMs?: number;
  /** How long a fetched JWKS is used before it is refetched (default 10 min). */
  jwksCacheMaxAgeMs?: number;
}

interface FederatedBase {
  issuer: string;
  subject: string;
  claims: JWTPayload;
}
export type FederatedPrincipal =
  | (FederatedBase & { kind: 'identity'; identity: Identity })
  | (FederatedBase & { kind: 'human'; human: Human });

const MAX_TOKEN_BYTES = 16_384;
const DISCOVERY_TIMEOUT_MS = 5000;

const JOSE_REASONS: Record<string, RefusalReason> = {
  ERR_JWT_EXPIRED: 'expired',
  ERR_JOSE_ALG_NOT_ALLOWED: 'alg_not_allowed',
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: 'bad_signature',
  ERR_JWKS_NO_MATCHING_KEY: 'unknown_key',
  ERR_JWKS_MULTIPLE_MATCHING_KEYS: 'unknown_key',
  ERR_JWKS_TIMEOUT: 'jwks_unavailable',
  ERR_JWKS_INVALID: 'jwks_unavailable',
  ERR_JWS_INVALID: 'malformed',
  ERR_JWT_INVALID: 'malformed',
};
const CLAIM_REASONS: Record<string, RefusalReason> = {
  aud: 'wrong_audience',
  iss: 'wrong_issuer',
  nbf: 'not_yet_valid',
  exp: 'expired',
};

export function createFederatedTokenService(deps: FederatedTokenServiceDeps) {
  const { store, now } = deps;
  const refuse = createRefuser(store, deps.audit, 'federated_token');
  const keySets = new Map<string, { version: number; getKey: Promise<JWTVerifyGetKey> }>();

  async function discoverJwksUri(issuer: string): Promise<URL> {
    const res = await fetch(`${issuer}/.well-known/openid-configuration`, {
      signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS),
      headers: { accept: 'application/json' },
    });
    if (!res.ok) throw new Error(`openid-configuration answered ${res.status}`);
    const doc = (await res.json()) as { issuer?: unknown; jwks_uri?: unknown };
    if (doc.issuer !== issuer || typeof doc.jwks_uri !== 'string') {
      throw new Error('openid-configuration names another issuer or no jwks_uri');
    }
    return new URL(doc.jwks_uri);
  }

  async function buildKeySet(config: FederationIssuer): Promise<JWTVerifyGetKey> {
    if (config.jwks) return createLocalJWKSet(config.jwks as Parameters<typeof createLocalJWKSet>[0]);
    const url = config.jwksUri ? new URL(config.jwksUri) : await discoverJwksUri(config.issuer);
    return createRemoteJWKSet(url, {
      cooldownDuration: deps.jwksCooldownMs ?? 30_000,
      cacheMaxAge: deps.jwksCacheMaxAgeMs ?? 600_000,
      timeoutDuration: DISCOVERY_TIMEOUT_MS,
    });
  }

  /** The issuer's key set, cached per configuration version (an update rebuilds it). */
  function keySetOf(config: FederationIssuer): Promise<JWTVerifyGetKey> {
    const cached = keySets.get(config.id);
    if (cached && cached.version === config.version) return cached.getKey;
    const getKey = buildKeySet(config);
    keySets.set(config.id, { version: config.version, getKey });
    getKey.catch(() => keySets.delete(config.id)); // a failed discovery is retried next time
    return getKey;
  }

  async function verify(token: string, config: FederationIssuer): Promise<JWTPayload> {
    const ctx = { claimed: config.issuer };
    let getKey: JWTVerifyGetKey;
    try {
      getKey = await keySetOf(config);
    } catch (err) {
      return refuse('jwks_unavailable', `cannot discover the issuer's keys: ${(err as Error).message}`, ctx);
    }
    try {
      const { payload } = await jwtVerify(token, getKey, {
        issuer: config.issuer,
        audience: config.audiences,
        algorithms: config.algorithms,
        clockTolerance: deps.clockSkewSeconds,
        requiredClaims: ['exp', 'sub'],
        currentDate: now(),
      });
      return payload;
    } catch (err) {
      const e = err as { code?: string; claim?: string; message?: string };
      const reason: RefusalReason =
        (e.claim ? CLAIM_REASONS[e.claim] : undefined) ??
        JOSE_REASONS[e.code ?? ''] ??
        (e.code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' ? 'invalid_claims' : 'jwks_unavailable');
      return refuse(reason, (e.message ?? 'verification failed').slice(0, 200), ctx);
    }
  }

  /**
   * Verifies a token from a trusted issuer and maps it to an active identity or human. Throws
   * KeywardError('invalid_client') (a WorkloadAuthError with a `reason`) on any failure.
   */
  async function authenticateFederatedToken(token: string): Promise<FederatedPrincipal> {
    if (typeof token !== 'string' || token.length > MAX_TOKEN_BYTES || token.split('.').length !== 3) {
      return refuse('malformed', 'not a compact JWS');
    }
    let iss: unknown;
    try {
      iss = decodeJwt(token).iss;
    } catch {
      return refuse('malformed', 'payload is not valid base64url JSON');
    }
    const config = typeof iss === 'string' ? await store.federationIssuers.getByIssuer(iss) : undefined;
    if (!config)
      return refuse('unknown_issuer', 'iss is not a trusted issuer', { claimed: String(iss).slice(0, 200) });
    const claims = await verify(token, config);
    const subject = claims.sub as string;
    const ctx = { claimed: config.issuer, details: { subject } };
    const rule = config.rules.find((r) => ruleMatches(r, claims));
    if (!rule)
      return refuse('no_matching_rule', 'no rule of the issuer matches this subject and claims', ctx);
    const base = { issuer: config.issuer, subject, claims };
    if (rule.identityId !== undefined) {
      const identity = await store.identities.get(rule.identityId);
      if (!identity) return refuse('unknown_target', 'the rule names an identity that no longer exists', ctx);
      if (identity.status !== 'active')
        return refuse('identity_inactive', `identity is ${identity.status}`, ctx);
      return { kind: 'identity', identity, ...base };
    }
    const email = rule.humanEmailClaim === undefined ? undefined : claims[rule.humanEmailClaim];
    const human =
      rule.humanId !== undefined
        ? await store.humans.get(rule.humanId)
        : typeof email === 'string'
          ? await store.humans.getByEmail(email.toLowerCase())
          : undefined;
    if (!human) return refuse('unknown_target', 'the rule maps to no known human', ctx);
    if (!human.active) return refuse('human_inactive', 'the human is no longer active', ctx);
    return { kind: 'human', human, ...base };
  }

  return { authenticateFederatedToken };
}

export type FederatedTokenService = ReturnType<typeof createFederatedTokenService>;
