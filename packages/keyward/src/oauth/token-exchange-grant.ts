/**
 * The token exchange grant (RFC 8693). The acting agent (client_assertion and/or actor_token)
 * exchanges a subject token for a narrower one on its own task:
 * - a live Keyward access token (an upstream agent's): the actor's task must be that token's task
 *   or a descendant; `sub` stays, the actor joins the `act` chain outermost; scopes within both
 *   the subject token and the task; no later expiry than the subject token;
 * - the task sponsor's federated ID token: `sub` = the sponsor, `act: {sub: actor}`.
 * A `may_act` in the subject token must name the actor; the chain depth is capped.
 */
import type { Identity } from '@keyward/sdk';
import { KeywardError } from '../errors.js';
import type { Task } from '../storage/storage-types.js';
import { formatScopeList, parseScopeList } from '../tasks/task-scopes.js';
import { chainActors, chainDepth, type DelegationActor, withActor } from './delegation-chain.js';
import { type FormParams, param, required } from './form-params.js';
import { audienceFor, grantedScopes, loadAgentTask, secondsUntil } from './grant-checks.js';
import { oauthError } from './oauth-error.js';
import {
  commitIssued,
  TOKEN_TYPE,
  type TokenEndpointDeps,
  type TokenResponse,
  tokenTtl,
} from './oauth-grant-types.js';

export function createTokenExchangeGrant(deps: TokenEndpointDeps) {
  const audiences = () => [deps.issuer(), `${deps.issuer()}/oauth2/token`];

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

  return async function tokenExchange(
    params: FormParams,
    client: Identity | undefined,
  ): Promise<TokenResponse> {
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
      ttlSeconds: tokenTtl(deps.accessTokenTtlSeconds, task, at, cap),
      act,
    });
    await commitIssued(deps, minted.record, {
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
  };
}
