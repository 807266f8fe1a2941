/**
 * Wire types of the decision API (`POST /v1/authorize`, OpenID AuthZEN evaluation shape), step-up
 * approvals and the narrow `mcp.*` audit route. They mirror the server's contract exactly.
 */

/** Who asks: usually a Keyward access token; or an identity / human by id or name. */
export type AuthorizeSubject =
  | { type: 'token'; id: string; properties?: Record<string, unknown> }
  | { type: 'identity' | 'human'; id: string; properties?: Record<string, unknown> };

export interface AuthorizeAction {
  name: string;
  properties?: Record<string, unknown>;
}

export interface AuthorizeResource {
  type: 'resource' | 'system' | 'identity' | 'tool';
  id: string;
  properties?: Record<string, unknown>;
}

export interface AuthorizeContext {
  /** The request's arguments; an approval is bound to their hash. */
  arguments?: Record<string, unknown>;
  source?: { ip?: string; userAgent?: string };
  [key: string]: unknown;
}

export interface AuthorizeRequest {
  subject: AuthorizeSubject;
  action: AuthorizeAction;
  resource: AuthorizeResource;
  context?: AuthorizeContext;
}

export type AuthorizeOutcome = 'allow' | 'deny' | 'approval_required';

export interface AuthorizeDecision {
  /** True only for `allow`. */
  decision: boolean;
  context: {
    outcome: AuthorizeOutcome;
    /** Id of the audit event recording this decision. */
    decision_id: string;
    policy_ids: string[];
    obligations: unknown[];
    reason: string;
    /** Only when approval_required. */
    approval_id?: string;
    /** Only when denied as outside the task's scopes. */
    escalation?: boolean;
  };
}

/** Top-level fields are defaults for every evaluation. */
export interface AuthorizeBatchRequest {
  subject?: AuthorizeSubject;
  action?: AuthorizeAction;
  resource?: AuthorizeResource;
  context?: AuthorizeContext;
  evaluations: Array<Partial<AuthorizeRequest>>;
}

export interface AuthorizeBatchResponse {
  evaluations: AuthorizeDecision[];
}

export type ApprovalStatus = 'pending' | 'approved' | 'denied' | 'expired';

export interface Approval {
  id: string;
  status: ApprovalStatus;
  binding: { principal: string; action: string; resource: string; argumentsHash: string };
  requesterId: string;
  taskId: string | null;
  approverIds: string[];
  policyIds: string[];
  reason: string;
  delegationChain: string[];
  createdAt: string;
  expiresAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  comment: string | null;
}

export interface ApprovalFilter {
  status?: ApprovalStatus | undefined;
  /** Approvals this human may decide. */
  approver?: string | undefined;
  requester?: string | undefined;
  taskId?: string | undefined;
  cursor?: string | undefined;
  limit?: number | undefined;
}

/** An `mcp.*` event for POST /v1/audit/events (operator tokens only). */
export interface McpAuditEventInput {
  type: `mcp.${string}`;
  actor: string;
  action?: string;
  targetId?: string;
  taskId?: string;
  delegationChain?: string[];
  outcome: 'success' | 'failure' | 'denied';
  policyIds?: string[];
  details?: Record<string, unknown>;
}
