/**
 * KeywardAgent: the client an AI agent or workload uses to act through Keyward. It authenticates
 * with private_key_jwt (or a federated token), opens and closes tasks, gets task-bound access
 * tokens for a resource (cached, refreshed before expiry, single-flight) and exchanges a token for
 * a sub-agent (RFC 8693). Secrets (keys, assertions, tokens) never appear in errors.
 */
import { HttpTransport, seg } from '../http-transport.js';
import {
  type AccessToken,
  CLIENT_ASSERTION_TYPE_JWT,
  GRANT_CLIENT_CREDENTIALS,
  GRANT_TOKEN_EXCHANGE,
  type SubjectTokenType,
  TOKEN_TYPE_ACCESS_TOKEN,
  TOKEN_TYPE_JWT,
} from '../oauth/oauth-constants.js';
import { requestAccessToken } from '../oauth/token-request.js';
import {
  type AgentCredentials,
  type AssertionSigner,
  createAssertionSigner,
} from './client-assertion-signer.js';
import type { OpenedTask, OpenTaskInput, Task, TaskCallOptions } from './task-types.js';
import { TokenCache } from './token-cache.js';

export type KeywardAgentOptions = AgentCredentials & {
  /** Keyward's URL (its issuer), e.g. https://keyward.example.com */
  issuer: string;
  /** The agent's identity id (`nhi_…`). */
  identityId: string;
  /** Defaults to `${issuer}/oauth2/token`; also the assertions' `aud`. */
  tokenEndpoint?: string | undefined;
  /** Refresh a cached token this many seconds before it expires; default 30. */
  refreshSkewSeconds?: number | undefined;
  /** Default credentials for task calls (see TaskCallOptions). */
  taskCredentials?: TaskCallOptions | undefined;
  fetch?: typeof fetch | undefined;
  /** Per-request timeout; default 30 s. */
  timeoutMs?: number | undefined;
  /** Clock for the cache (tests); default Date.now. */
  now?: (() => number) | undefined;
};

export interface GetTokenInput {
  taskId: string;
  /** RFC 8707 resource indicator: the audience of the token. */
  resource: string;
  scopes?: string[] | undefined;
}

export interface ExchangeInput {
  /** The upstream token: a Keyward access token, or the sponsor's ID token. */
  subjectToken: string;
  /** Default urn:ietf:params:oauth:token-type:access_token. */
  subjectTokenType?: SubjectTokenType | undefined;
  resource: string;
  scopes?: string[] | undefined;
  taskId: string;
  /** How this agent proves itself: as `actor_token` (default) or as client authentication. */
  actorAuth?: 'actor_token' | 'client_assertion' | undefined;
}

export class KeywardAgent {
  readonly issuer: string;
  readonly identityId: string;
  readonly tokenEndpoint: string;
  private readonly sign: AssertionSigner;
  private readonly cache: TokenCache;
  private readonly http: HttpTransport;
  private readonly fetchImpl: typeof fetch;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private readonly taskDefaults: TaskCallOptions;

  constructor(options: KeywardAgentOptions) {
    if (!options.issuer) throw new TypeError('KeywardAgent: `issuer` is required');
    if (!options.identityId) throw new TypeError('KeywardAgent: `identityId` is required');
    this.issuer = options.issuer.replace(/\/+$/, '');
    this.identityId = options.identityId;
    this.tokenEndpoint = options.tokenEndpoint ?? `${this.issuer}/oauth2/token`;
    this.sign = createAssertionSigner(this.identityId, this.tokenEndpoint, options);
    this.now = options.now ?? Date.now;
    this.cache = new TokenCache(options.refreshSkewSeconds ?? 30, this.now);
    this.fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.http = new HttpTransport({ url: this.issuer, fetch: this.fetchImpl, timeoutMs: this.timeoutMs });
    this.taskDefaults = options.taskCredentials ?? {};
  }

  /** A fresh, single-use client assertion (or the current federated token). */
  clientAssertion(): Promise<string> {
    return this.sign();
  }

  /** Opens a task; brokered credentials (if its scopes ask for any) are in the result, once. */
  openTask(input: OpenTaskInput, options: TaskCallOptions = {}): Promise<OpenedTask> {
    const { extra, sponsorId, sponsorToken, parentToken, agentId, ...rest } = input;
    if (!sponsorToken && !parentToken) {
      return Promise.reject(
        new TypeError('openTask: a sponsorToken (or, for a child task, a parentToken) is required'),
      );
    }
    const headers: Record<string, string> = { ...options.headers };
    if (parentToken) headers['x-keyward-parent-token'] = parentToken;
    else if (sponsorToken) headers['x-keyward-sponsor-token'] = sponsorToken;
    const body = {
      ...extra,
      agent: agentId ?? this.identityId,
      ...(sponsorId ? { sponsor: sponsorId } : {}),
      ...rest,
    };
    return this.taskCall<OpenedTask>('/v1/tasks', 'POST', body, { ...options, headers });
  }

  getTask(id: string, options?: TaskCallOptions): Promise<Task> {
    return this.taskCall(`/v1/tasks/${seg(id)}`, 'GET', undefined, options);
  }

  async completeTask(id: string, options?: TaskCallOptions): Promise<Task> {
    this.cache.invalidate(id);
    return this.taskCall(`/v1/tasks/${seg(id)}/complete`, 'POST', {}, options);
  }

  async cancelTask(id: string, options?: TaskCallOptions): Promise<Task> {
    this.cache.invalidate(id);
    return this.taskCall(`/v1/tasks/${seg(id)}/cancel`, 'POST', {}, options);
  }

  /** A task-bound access token for `resource`, from the cache while fresh. */
  getToken(input: GetTokenInput): Promise<AccessToken> {
    if (!input.taskId) return Promise.reject(new TypeError('getToken: `taskId` is required'));
    if (!input.resource) return Promise.reject(new TypeError('getToken: `resource` is required'));
    const key = TokenCache.key(input.taskId, input.resource, input.scopes);
    return this.cache.get(key, async () =>
      this.requestToken(
        {
          grant_type: GRANT_CLIENT_CREDENTIALS,
          client_assertion_type: CLIENT_ASSERTION_TYPE_JWT,
          client_assertion: await this.sign(),
          task_id: input.taskId,
          resource: input.resource,
          scope: joinScopes(input.scopes),
        },
        input.scopes,
      ),
    );
  }

  /** RFC 8693 token exchange: a token for a sub-agent acting on `subjectToken`'s subject. Not cached. */
  async exchange(input: ExchangeInput): Promise<AccessToken> {
    const assertion = await this.sign();
    const actor =
      (input.actorAuth ?? 'actor_token') === 'actor_token'
        ? { actor_token: assertion, actor_token_type: TOKEN_TYPE_JWT }
        : { client_assertion_type: CLIENT_ASSERTION_TYPE_JWT, client_assertion: assertion };
    return this.requestToken(
      {
        grant_type: GRANT_TOKEN_EXCHANGE,
        subject_token: input.subjectToken,
        subject_token_type: input.subjectTokenType ?? TOKEN_TYPE_ACCESS_TOKEN,
        ...actor,
        task_id: input.taskId,
        resource: input.resource,
        scope: joinScopes(input.scopes),
      },
      input.scopes,
    );
  }

  /** Forgets cached tokens (of one task, or all). */
  invalidate(taskId?: string): void {
    this.cache.invalidate(taskId);
  }

  private requestToken(form: Record<string, string | undefined>, requested: string[] | undefined) {
    return requestAccessToken(this.tokenEndpoint, form, requested, {
      fetch: this.fetchImpl,
      timeoutMs: this.timeoutMs,
      now: this.now,
    });
  }

  private async taskCall<T = Task>(
    path: string,
    method: 'GET' | 'POST',
    body: Record<string, unknown> | undefined,
    options: TaskCallOptions = {},
  ): Promise<T> {
    const o = { ...this.taskDefaults, ...options };
    const headers: Record<string, string> = { ...this.taskDefaults.headers, ...o.headers };
    if (o.apiToken) headers['authorization'] = `Bearer ${o.apiToken}`;
    const mode = o.clientAssertion ?? (o.apiToken ? 'none' : 'header');
    if (mode === 'header') headers['x-keyward-client-assertion'] = await this.sign();
    return this.http.request<T>(path, { method, body, headers });
  }
}

const joinScopes = (scopes: string[] | undefined): string | undefined =>
  scopes && scopes.length > 0 ? [...new Set(scopes)].join(' ') : undefined;
