/**
 * What the token endpoint's grants share: the OAuth constants, the endpoint's dependencies, the
 * response shape and the token lifetime rule.
 */
import type { AuditRecorder } from '../audit/audit-recorder.js';
import type { IssuedToken, Store, Task } from '../storage/storage-types.js';
import type { WorkloadAuthService } from '../workload-auth/workload-auth-service.js';
import type { AccessTokenVerifier } from './access-token-verifier.js';
import { secondsUntil } from './grant-checks.js';
import type { GrantReads } from './grant-read-cache.js';
import type { IssuanceCommitter } from './issuance-committer.js';
import { type OAuthAuditEvent, type OAuthAuditSink, oauthAuditEvent } from './oauth-audit.js';
import { oauthError } from './oauth-error.js';
import type { TokenMinter } from './token-minter.js';
import type { WorkloadAuthenticator } from './workload-credential.js';

export const GRANT_CLIENT_CREDENTIALS = 'client_credentials';
export const GRANT_TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
export const TOKEN_TYPE = {
  accessToken: 'urn:ietf:params:oauth:token-type:access_token',
  idToken: 'urn:ietf:params:oauth:token-type:id_token',
  jwt: 'urn:ietf:params:oauth:token-type:jwt',
} as const;

export interface TokenEndpointDeps {
  store: Store;
  now: () => Date;
  issuer: () => string;
  authenticateWorkload: WorkloadAuthenticator;
  workloadAuth: Pick<
    WorkloadAuthService,
    'authenticateClientAssertion' | 'checkClientAssertion' | 'refuseReplay' | 'authenticateFederatedToken'
  >;
  accessTokens: Pick<AccessTokenVerifier, 'verifyActive'>;
  mint: TokenMinter;
  /** Refusals' audit events (issuances are recorded through `commit`). */
  auditSink: OAuthAuditSink;
  /** The group commit recording jti + issued token + audit event together. */
  commit: IssuanceCommitter;
  /** Cached task/sponsor reads for client_credentials (re-checked inside `commit`). */
  cachedReads: Pick<GrantReads, 'tasks' | 'humans'>;
  audit: AuditRecorder;
  accessTokenTtlSeconds: number;
  maxDelegationDepth: number;
  tokenAudiences: string[];
}

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  issued_token_type?: string;
}

/** min(configured TTL, task remaining, cap), at least 1 s, else invalid_grant. */
export function tokenTtl(max: number, task: Task, at: Date, cap?: number): number {
  const ttl = Math.min(max, secondsUntil(task.expiresAt, at), cap ?? Number.POSITIVE_INFINITY);
  if (ttl < 1) throw oauthError('invalid_grant', 'no time left on the task or subject token');
  return ttl;
}

/** Records an issued token and its audit event in one durable commit; resolves once committed. */
export async function commitIssued(
  deps: Pick<TokenEndpointDeps, 'commit' | 'audit'>,
  token: IssuedToken,
  e: OAuthAuditEvent,
): Promise<void> {
  const events = [oauthAuditEvent(deps.audit, e)];
  const outcome = await deps.commit({ token, events });
  if (!outcome.ok) throw new Error(`issuance not recorded: ${outcome.detail}`);
}
