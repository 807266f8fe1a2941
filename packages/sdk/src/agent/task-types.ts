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
  /** Scopes as `<action>:<resource>` strings (a resource may end in `*`). */
  scopes: string[];
  environment: string;
  status: TaskStatus;
  createdAt: string;
  expiresAt: string;
  endedAt: string | null;
  endReason: string | null;
  parentTaskId: string | null;
  [key: string]: unknown;
}

/** A brokered downstream credential, returned once when a task with a `connect:postgres:<db>` scope opens. */
export interface BrokeredCredential {
  database: string;
  leaseId: string;
  username: string;
  password: string;
  connectionUrl: string;
  validUntil: string;
}

export interface OpenedTask {
  task: Task;
  credentials: BrokeredCredential[];
}

/**
 * The sponsor's consent is proven, not claimed: a top-level task carries the sponsor's ID token from
 * an issuer Keyward trusts (`sponsorToken`, mapped to a human by the federation rules); a child task
 * carries a live access token of its parent task (`parentToken`) and inherits the parent's sponsor.
 */
export interface OpenTaskInput {
  /** The sponsor human's id (`hum_…`); optional for child tasks. */
  sponsorId?: string | undefined;
  /** The sponsor's ID token (sent as `X-Keyward-Sponsor-Token`). */
  sponsorToken?: string | undefined;
  /** For a child task: an access token of the parent task (sent as `X-Keyward-Parent-Token`). */
  parentToken?: string | undefined;
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
 * here: the agent's own fresh client assertion in `X-Keyward-Client-Assertion` (the default), an
 * API token as bearer (operators), and/or extra headers.
 */
export interface TaskCallOptions {
  /** Sent as `Authorization: Bearer …`. */
  apiToken?: string | undefined;
  /** 'header' (default when no apiToken is set): send a fresh client assertion as `X-Keyward-Client-Assertion`. */
  clientAssertion?: 'header' | 'none' | undefined;
  headers?: Record<string, string> | undefined;
}
