/**
 * The OAuth 2.0 token endpoint (`POST /oauth2/token`): client_credentials and token exchange
 * (RFC 8693), both bound to a task (`task_id`), scopes only narrowing, audience from `resource`
 * (RFC 8707). Every issuance, exchange and refusal is audited with actor, chain, task and reason.
 *
 * Client authentication is private_key_jwt (RFC 7523). For token exchange the acting agent may
 * instead (or also — then both must name the same identity) present `actor_token` of type
 * `urn:ietf:params:oauth:token-type:jwt`: its client assertion or a federated workload token.
 * The exchange itself is token-exchange-grant.ts.
 */
import type { Identity } from '@keyward/sdk';
import type { Task } from '../storage/storage-types.js';
import { formatScopeList } from '../tasks/task-scopes.js';
import type { WorkloadAuthService } from '../workload-auth/workload-auth-service.js';
import { type FormParams, param, required } from './form-params.js';
import { audienceFor, grantedScopes, loadAgentTask } from './grant-checks.js';
import { OAuthError, oauthError, toOAuthResponse } from './oauth-error.js';
import {
  ASSERTION_TYPE,
  GRANT_CLIENT_CREDENTIALS,
  GRANT_TOKEN_EXCHANGE,
  type TokenEndpointDeps,
  type TokenResponse,
  tokenTtl,
} from './oauth-grant-types.js';
import { createTokenExchangeGrant } from './token-exchange-grant.js';

export type { TokenEndpointDeps, TokenResponse } from './oauth-grant-types.js';

/** Authenticates the client by private_key_jwt when it sent one; invalid_client when it is bad. */
export async function authenticateClient(
  deps: { workloadAuth: Pick<WorkloadAuthService, 'authenticateClientAssertion'> },
  params: FormParams,
  audience: string[],
): Promise<Identity | undefined> {
  const type = param(params, 'client_assertion_type');
  const assertion = param(params, 'client_assertion');
  if (type === undefined && assertion === undefined) return undefined;
  if (type !== ASSERTION_TYPE || assertion === undefined) {
    throw oauthError(
      'invalid_client',
      `client authentication must be client_assertion_type=${ASSERTION_TYPE} with client_assertion`,
    );
  }
  const identity = await deps.workloadAuth.authenticateClientAssertion(assertion, { audience });
  const clientId = param(params, 'client_id');
  if (clientId !== undefined && clientId !== identity.id)
    throw oauthError('invalid_client', 'client_id does not match the client assertion');
  return identity;
}

export function createTokenEndpoint(deps: TokenEndpointDeps) {
  const audiences = () => [deps.issuer(), `${deps.issuer()}/oauth2/token`];

  const ttlFor = (task: Task, at: Date) => tokenTtl(deps.accessTokenTtlSeconds, task, at);
  const tokenExchange = createTokenExchangeGrant(deps);

  async function clientCredentials(params: FormParams, client: Identity | undefined) {
    if (!client) throw oauthError('invalid_client', 'client authentication (private_key_jwt) is required');
    const at = deps.now();
    const task = await loadAgentTask(deps.store, params, client.id, at);
    const scopes = grantedScopes(params, [task.scopes]);
    const audience = audienceFor(params, scopes, deps.tokenAudiences);
    const scope = formatScopeList(scopes);
    const minted = deps.mint({
      task,
      subject: client.id,
      clientId: client.id,
      audience,
      scope,
      ttlSeconds: ttlFor(task, at),
    });
    await deps.auditSink({
      actor: client.id,
      type: 'oauth.token.issued',
      taskId: task.id,
      outcome: 'success',
      details: {
        grant: 'client_credentials',
        jti: minted.jti,
        sub: client.id,
        aud: audience,
        scope,
        chain: [],
      },
    });
    const response: TokenResponse = {
      access_token: minted.accessToken,
      token_type: 'Bearer',
      expires_in: minted.expiresIn,
      scope,
    };
    return response;
  }

  /** Handles one token request; returns the HTTP status and JSON body (success or OAuth error). */
  async function handle(params: FormParams): Promise<{ status: number; body: object }> {
    let client: Identity | undefined;
    let grant: string | undefined;
    try {
      grant = required(params, 'grant_type');
      if (grant !== GRANT_CLIENT_CREDENTIALS && grant !== GRANT_TOKEN_EXCHANGE) {
        throw oauthError('unsupported_grant_type', 'grant_type must be client_credentials or token exchange');
      }
      client = await authenticateClient(deps, params, audiences());
      const body =
        grant === GRANT_CLIENT_CREDENTIALS
          ? await clientCredentials(params, client)
          : await tokenExchange(params, client);
      return { status: 200, body };
    } catch (err) {
      const response = toOAuthResponse(err);
      if (response.status >= 500 && !(err instanceof OAuthError)) throw err;
      const taskId = params.get('task_id')?.[0]?.slice(0, 100) ?? null;
      await deps.auditSink({
        actor: client?.id ?? 'unauthenticated',
        type: 'oauth.token.refused',
        taskId,
        outcome: 'denied',
        details: {
          grant: grant ?? null,
          error: response.body.error,
          reason: response.body.error_description,
        },
      });
      return response;
    }
  }

  return { handle };
}

export type TokenEndpoint = ReturnType<typeof createTokenEndpoint>;
