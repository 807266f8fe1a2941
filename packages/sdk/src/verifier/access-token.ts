/**
 * The verified view of a Keyward access token (RFC 9068 `at+jwt`): typed claims, the scopes as a
 * list, and the delegation chain read from nested RFC 8693 `act` claims, where the newest actor is
 * outermost: `{sub: human, act: {sub: subAgent, act: {sub: agent}}}` → [human, agent, subAgent].
 */
import type { JWTPayload } from 'jose';
import { KeywardVerifyError } from './verify-error.js';

export interface ActorClaim {
  sub: string;
  act?: ActorClaim;
  [claim: string]: unknown;
}

export interface AccessTokenClaims extends JWTPayload {
  iss: string;
  sub: string;
  exp: number;
  iat: number;
  jti: string;
  client_id: string;
  scope?: string;
  task_id?: string;
  env?: string;
  act?: ActorClaim;
}

export interface VerifiedAccessToken {
  /** `sub`: the original subject (the sponsor `hum_…`, or the identity itself). */
  subject: string;
  /** `client_id`: the identity the token was issued to. */
  clientId: string;
  scopes: string[];
  taskId: string | null;
  environment: string | null;
  expiresAt: Date;
  issuedAt: Date;
  jti: string;
  /** [sub, …actors oldest → newest]. */
  delegationChain: string[];
  /** The immediate actor: the outermost `act.sub`, or `sub` when there is no delegation. */
  actor: string;
  claims: AccessTokenClaims;
  hasScope(scope: string): boolean;
}

/** Deeper `act` nesting than this is refused rather than walked. */
export const MAX_DELEGATION_DEPTH = 16;

/** Reads the actors from `act`, newest first as they are nested; throws on a malformed claim. */
export function actorsOf(act: unknown): string[] {
  const newestFirst: string[] = [];
  let node = act;
  while (node !== undefined) {
    if (typeof node !== 'object' || node === null || typeof (node as ActorClaim).sub !== 'string') {
      throw new KeywardVerifyError('invalid_token', 'act claim must be an object with a string sub');
    }
    if (newestFirst.length >= MAX_DELEGATION_DEPTH) {
      throw new KeywardVerifyError('invalid_token', `delegation chain deeper than ${MAX_DELEGATION_DEPTH}`);
    }
    newestFirst.push((node as ActorClaim).sub);
    node = (node as ActorClaim).act;
  }
  return newestFirst;
}

export function toVerifiedAccessToken(payload: JWTPayload): VerifiedAccessToken {
  const claims = payload as AccessTokenClaims;
  for (const name of ['sub', 'jti', 'client_id'] as const) {
    if (typeof claims[name] !== 'string' || claims[name] === '') {
      throw new KeywardVerifyError('invalid_token', `claim ${name} must be a non-empty string`);
    }
  }
  for (const name of ['scope', 'task_id', 'env'] as const) {
    if (claims[name] !== undefined && typeof claims[name] !== 'string') {
      throw new KeywardVerifyError('invalid_token', `claim ${name} must be a string`);
    }
  }
  const newestFirst = actorsOf(claims.act);
  const scopes = (claims.scope ?? '').split(' ').filter(Boolean);
  const scopeSet = new Set(scopes);
  return {
    subject: claims.sub,
    clientId: claims.client_id,
    scopes,
    taskId: claims.task_id ?? null,
    environment: claims.env ?? null,
    expiresAt: new Date(claims.exp * 1000),
    issuedAt: new Date(claims.iat * 1000),
    jti: claims.jti,
    delegationChain: [claims.sub, ...[...newestFirst].reverse()],
    actor: newestFirst[0] ?? claims.sub,
    claims,
    hasScope: (scope) => scopeSet.has(scope),
  };
}
