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
import type { CheckedAssertion } from '../workload-auth/client-assertion-service.js';
import type { WorkloadAuthService } from '../workload-auth/workload-auth-service.js';
import { type FormParams, param, required } from './form-params.js';
import { audienceFor, grantedScopes, loadAgentTask } from './grant-checks.js';
import type { IssuanceEntry, IssuanceOutcome } from './issuance-committer.js';
import { type OAuthAuditEvent, oauthAuditEvent } from './oauth-audit.js';
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

/** The client_assertion of a request, or undefined when it sent none; invalid_client when malformed. */
function clientAssertionOf(params: FormParams): string | undefined {
  const type = param(params, 'client_assertion_type');
  const assertion = param(params, 'client_assertion');
  if (type === undefined && assertion === undefined) return undefined;
  if (type !== ASSERTION_TYPE || assertion === undefined) {
    throw oauthError(
      'invalid_client',
      `client authentication must be client_assertion_type=${ASSERTION_TYPE} with client_assertion`,
    );
  }
  return assertion;
}

function checkClientId(params: FormParams, identity: Identity): void {
  const clientId = param(params, 'client_id');
  if (clientId !== undefined && clientId !== identity.id)
    throw oauthError('invalid_client', 'client_id does not match the client assertion');
}

/** Authenticates the client by private_key_jwt when it sent one (jti recorded); invalid_client when bad. */
export async function authenticateClient(
  deps: { workloadAuth: Pick<WorkloadAuthService, 'authenticateClientAssertion'> },
  params: FormParams,
  audience: string[],
): Promise<Identity | undefined> {
  const assertion = clientAssertionOf(params);
  if (assertion === undefined) return undefined;
  const identity = await deps.workloadAuth.authenticateClientAssertion(assertion, { audience });
  checkClientId(params, identity);
  return identity;
}

/**
 * The assertion's jti until an issuance commit takes it (a refusal before that records it), and
 * the release of the request's announcement to the committer, due before its first commit.
 */
interface PendingJti {
  jti: IssuanceEntry['jti'];
  release: () => void;
}

export function createTokenEndpoint(deps: TokenEndpointDeps) {
  const audiences = () => [deps.issuer(), `${deps.issuer()}/oauth2/token`];

  const ttlFor = (task: Task, at: Date) => tokenTtl(deps.accessTokenTtlSeconds, task, at);
  const tokenExchange = createTokenExchangeGrant(deps);

  /** Throws the refusal an issuance commit reported. */
  async function refuseOutcome(outcome: Exclude<IssuanceOutcome, { ok: true }>, client: Identity) {
    if (outcome.error === 'replayed') return deps.workloadAuth.refuseReplay(client.id);
    throw oauthError(outcome.error, outcome.detail);
  }

  /**
   * client_credentials from cached reads; the issuance commit records the assertion's jti, the
   * token row and the audit event together, after re-checking what the cached reads said.
   */
  async function clientCredentials(
    params: FormParams,
    checked: CheckedAssertion | undefined,
    pending: PendingJti,
  ) {
    if (!checked) throw oauthError('invalid_client', 'client authentication (private_key_jwt) is required');
    const client = checked.identity;
    const at = deps.now();
    const task = await loadAgentTask(deps.cachedReads, params, client.id, at);
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
    const details = { grant: 'client_credentials', jti: minted.jti, sub: client.id, aud: audience, scope };
    pending.jti = undefined;
    pending.release();
    const outcome = await deps.commit({
      jti: checked.jti,
      grant: { identityId: client.id, ...checked.key, taskId: task.id },
      token: minted.record,
      events: [
        oauthAuditEvent(deps.audit, {
          actor: client.id,
          type: 'oauth.token.issued',
          taskId: task.id,
          outcome: 'success',
          details: { ...details, chain: [] },
        }),
      ],
    });
    if (!outcome.ok) return refuseOutcome(outcome, client);
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
    const release = deps.commit.expect();
    try {
      return await handleExpected(params, release);
    } finally {
      release();
    }
  }

  /** handle() for a request announced to the committer: any commit it makes first releases that. */
  async function handleExpected(params: FormParams, release: () => void) {
    let checked: CheckedAssertion | undefined;
    let grant: string | undefined;
    const pending: PendingJti = { jti: undefined, release };
    try {
      grant = required(params, 'grant_type');
      if (grant !== GRANT_CLIENT_CREDENTIALS && grant !== GRANT_TOKEN_EXCHANGE) {
        throw oauthError('unsupported_grant_type', 'grant_type must be client_credentials or token exchange');
      }
      const assertion = clientAssertionOf(params);
      if (assertion !== undefined) {
        checked = await deps.workloadAuth.checkClientAssertion(assertion, { audience: audiences() });
        pending.jti = checked.jti;
        checkClientId(params, checked.identity);
      }
      let body: TokenResponse;
      if (grant === GRANT_CLIENT_CREDENTIALS) {
        body = await clientCredentials(params, checked, pending);
      } else {
        release();
        if (checked) {
          // The exchange is recorded in its own commit: consume the client's jti first.
          pending.jti = undefined;
          const outcome = await deps.commit({
            jti: checked.jti,
            grant: { identityId: checked.identity.id, ...checked.key },
            events: [],
          });
          if (!outcome.ok) await refuseOutcome(outcome, checked.identity);
        }
        body = await tokenExchange(params, checked?.identity);
      }
      return { status: 200, body };
    } catch (err) {
      release();
      const response = toOAuthResponse(err);
      if (response.status >= 500 && !(err instanceof OAuthError)) throw err;
      const taskId = params.get('task_id')?.[0]?.slice(0, 100) ?? null;
      const refusal = {
        actor: checked?.identity.id ?? 'unauthenticated',
        type: 'oauth.token.refused',
        taskId,
        outcome: 'denied',
        details: {
          grant: grant ?? null,
          error: response.body.error,
          reason: response.body.error_description,
        },
      } as const;
      await recordRefusal(refusal, pending.jti);
      return response;
    }
  }

  /** A refusal stays a refusal even when its record fails (reported through auditSink's onError). */
  async function recordRefusal(e: OAuthAuditEvent, jti: IssuanceEntry['jti']) {
    if (!jti) return deps.auditSink(e);
    await deps.commit({ jti, events: [oauthAuditEvent(deps.audit, e)] }).catch(() => deps.auditSink(e));
  }

  /** The issuance batches so far, and how many waited out an announced request (see expect()). */
  const batchStats = () => deps.commit.stats();

  return { handle, batchStats };
}

export type TokenEndpoint = ReturnType<typeof createTokenEndpoint>;
