/**
 * The OAuth 2.0 token endpoint (`POST /oauth2/token`): client_credentials and token exchange
 * (RFC 8693), both bound to a task (`task_id`), scopes only narrowing, audience from `resource`
 * (RFC 8707). Every issuance, exchange and refusal is audited with actor, chain, task and reason.
 *
 * Client authentication is private_key_jwt (RFC 7523). For token exchange the acting agent may
 * instead (or also — then both must name the same identity) present `actor_token` of type
 * `urn:ietf:params:oauth:token-type:jwt`: its client assertion or a federated workload token.
 */
import type { Identity } from '@keyward/sdk';
import { KeywardError } from '../errors.js';
import type { Store, Task } from '../storage/storage-types.js';
import { formatScopeList, parseScopeList } from '../tasks/task-scopes.js';
import type { WorkloadAuthService } from '../workload-auth/workload-auth-service.js';
import type { AccessTokenVerifier } from './access-token-verifier.js';
import { chainActors, chainDepth, type DelegationActor, withActor } from './delegation-chain.js';
import { type FormParams, param, required } from './form-params.js';
import { audienceFor, grantedScopes, loadAgentTask, secondsUntil } from './grant-checks.js';
import type { OAuthAuditSink } from './oauth-audit.js';
import { OAuthError, oauthError, toOAuthResponse } from './oauth-error.js';
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

  function ttlFor(task: Task, at: Date, cap?: number): number {
    const ttl = Math.min(
      deps.accessTokenTtlSeconds,
      secondsUntil(task.expiresAt, at),
      cap ?? Number.POSITIVE_INFINITY,
    );
    if (ttl < 1) throw oauthError('invalid_grant', 'no time left on the task or subject token');
    return ttl;
  }

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
    deps.auditSink({
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

  /** The acting agent: the authenticated client and/or the actor_token; both must agree. */
  async function actingAgent(params: FormParams, client: Identity | undefined): Promise<Identity> {
    const actorToken = param(params, 'actor_token');
    if (actorToken === undefined) {
      if (!client)
        throw oauthError('invalid_client', 'authenticate the acting agent (client_assertion or actor_token)');
      return client;
    }
    if (param(params, 'actor_token_type') !== TOKEN_TYPE.jwt) {
      throw oauthError('invalid_request', `actor_token_type must be ${TOKEN_TYPE.jwt}`);
    }
    const actor = await deps.authenticateWorkload(actorToken, audiences()).catch((err: unknown) => {
      throw err instanceof KeywardError
        ? oauthError('invalid_grant', `actor_token refused: ${err.message}`)
        : err;
    });
    if (client && client.id !== actor.id)
      throw oauthError('invalid_request', 'actor_token and client authentication name different identities');
    return actor;
  }

  /** Whether `taskId` is `ancestorId` or one of its descendants. */
  async function descendsFrom(task: Task, ancestorId: string): Promise<boolean> {
    let current: Task | undefined = task;
    for (let hops = 0; current && hops <= 32; hops++) {
      if (current.id === ancestorId) return true;
      current = current.parentTaskId ? await deps.store.tasks.get(current.parentTaskId) : undefined;
    }
    return false;
  }

  async function tokenExchange(params: FormParams, client: Identity | undefined) {
    const actor = await actingAgent(params, client);
    const at = deps.now();
    const task = await loadAgentTask(deps.store, params, actor.id, at);
    const subjectToken = required(params, 'subject_token');
    const subjectType = required(params, 'subject_token_type');
    const requested = param(params, 'requested_token_type');
    if (requested !== undefined && requested !== TOKEN_TYPE.accessToken && requested !== TOKEN_TYPE.jwt) {
      throw oauthError('invalid_request', `requested_token_type must be ${TOKEN_TYPE.accessToken}`);
    }
    let subject: string;
    let previous: DelegationActor | undefined;
    let mayAct: unknown;
    let ceilings = [task.scopes];
    let cap: number | undefined;
    if (subjectType === TOKEN_TYPE.accessToken) {
      const verified = await deps.accessTokens.verifyActive(subjectToken);
      if (!verified.ok)
        throw oauthError(
          'invalid_grant',
          `subject_token is not a live Keyward access token (${verified.reason})`,
        );
      const c = verified.claims;
      if (!(await descendsFrom(task, c.task_id))) {
        throw oauthError(
          'invalid_grant',
          "task_id must be the subject token's task or one of its child tasks",
        );
      }
      subject = c.sub;
      previous = c.act;
      mayAct = c.may_act;
      ceilings = [parseScopeList(c.scope) ?? [], task.scopes];
      cap = secondsUntil(c.exp, at);
    } else if (subjectType === TOKEN_TYPE.idToken || subjectType === TOKEN_TYPE.jwt) {
      const principal = await deps.workloadAuth
        .authenticateFederatedToken(subjectToken)
        .catch((err: unknown) => {
          throw err instanceof KeywardError
            ? oauthError('invalid_grant', `subject_token refused: ${err.message}`)
            : err;
        });
      if (principal.kind !== 'human' || principal.human.id !== task.sponsorId) {
        throw oauthError('invalid_grant', "subject_token must be the task sponsor's ID token");
      }
      subject = principal.human.id;
      mayAct = principal.claims['may_act'];
    } else {
      throw oauthError(
        'invalid_request',
        `subject_token_type must be ${TOKEN_TYPE.accessToken}, ${TOKEN_TYPE.idToken} or ${TOKEN_TYPE.jwt}`,
      );
    }
    if (mayAct !== undefined && (mayAct as { sub?: unknown } | null)?.sub !== actor.id) {
      throw oauthError('invalid_grant', 'the subject token’s may_act does not allow this actor');
    }
    const act = withActor(actor.id, previous);
    if (chainDepth(act) > deps.maxDelegationDepth) {
      throw oauthError('invalid_grant', `delegation chain deeper than ${deps.maxDelegationDepth}`);
    }
    const scopes = grantedScopes(params, ceilings);
    const audience = audienceFor(params, scopes, deps.tokenAudiences);
    const scope = formatScopeList(scopes);
    const minted = deps.mint({
      task,
      subject,
      clientId: actor.id,
      audience,
      scope,
      ttlSeconds: ttlFor(task, at, cap),
      act,
    });
    deps.auditSink({
      actor: actor.id,
      type: 'oauth.token.exchanged',
      taskId: task.id,
      outcome: 'success',
      details: {
        grant: 'token_exchange',
        jti: minted.jti,
        sub: subject,
        aud: audience,
        scope,
        subjectTokenType: subjectType,
        chain: chainActors(act),
      },
    });
    const response: TokenResponse = {
      access_token: minted.accessToken,
      issued_token_type: TOKEN_TYPE.accessToken,
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
      deps.auditSink({
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
