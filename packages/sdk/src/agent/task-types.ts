/**
 * Wire types of Keyward tasks (`/v1/tasks`): a task is an agent's bounded unit of work, opened
 * with its sponsor's proof, that every access token it obtains is tied to (`task_id`).
 */

export type TaskStatus = 'active' | 'completed' | 'cancelled' | 'expired';

export interface Task {
  id: string;
  agentId: string;
  sponsorId: string;
  intent: string;
  scopes: string[];
  environment: string;
  status: TaskStatus;
  expiresAt: string;
  parentTaskId: string | null;
  [key: string]: unknown;
}

export interface OpenTaskInput {
  /** Proof that the sponsor (a human) consents: e.g. their OIDC ID token or a consent token. */
  sponsorProof: string | Record<string, unknown>;
  /** What the agent is about to do, in words a reviewer understands. */
  intent: string;
  scopes: string[];
  environment: string;
  ttlSeconds: number;
  parentTaskId?: string | undefined;
  /** The acting identity; defaults to the agent's own identity id. */
  agentId?: string | undefined;
  /** Further body fields, passed through unchanged (for server fields this SDK does not know yet). */
  extra?: Record<string, unknown> | undefined;
}

/**
 * The credentials a task call sends. The server's authentication for task calls is configurable
 * here rather than fixed: an API token as bearer, a fresh client assertion in the JSON body
 * (`client_assertion_type` + `client_assertion`, as on the token endpoint), and/or extra headers.
 */
export interface TaskCallOptions {
  /** Sent as `Authorization: Bearer …`. */
  apiToken?: string | undefined;
  /** 'body' (default when no apiToken is set): add a fresh client assertion to the JSON body. */
  clientAssertion?: 'body' | 'none' | undefined;
  headers?: Record<string, string> | undefined;
}
