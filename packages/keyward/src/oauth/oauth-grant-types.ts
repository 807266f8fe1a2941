/**
 * What the token endpoint's grants share: the OAuth constants, the endpoint's dependencies, the
 * response shape and the token lifetime rule.
 */
import type { Store, Task } from '../storage/storage-types.js';
import type { WorkloadAuthService } from '../workload-auth/workload-auth-service.js';
import type { AccessTokenVerifier } from './access-token-verifier.js';
import { secondsUntil } from './grant-checks.js';
import type { OAuthAuditSink } from './oauth-audit.js';
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
  workloadAuth: Pick<WorkloadAuthService, 'authenticateClientAssertion' | 'authenticateFederatedToken'>;
  accessTokens: Pick<AccessTokenVerifier, 'verifyActive'>;
  mint: TokenMinter;
  auditSink: OAuthAuditSink;
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
