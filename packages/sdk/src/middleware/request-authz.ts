/**
 * Per-request authorization for the verifier middleware: after the bearer token verifies, map the
 * request to an action and resource with a user function, ask Keyward (`POST /v1/authorize`, the
 * verified token as the subject) and answer 403 on deny, 202 with the approval id when a human
 * must approve first (retry the same request once approved), 503 when Keyward cannot be asked
 * (fail closed).
 */
import type {
  AuthorizeAction,
  AuthorizeContext,
  AuthorizeDecision,
  AuthorizeRequest,
  AuthorizeResource,
} from '../authz-types.js';
import type { VerifiedAccessToken } from '../verifier/access-token.js';

/** What a request does, in the decision API's terms. */
export interface RequestTarget {
  action: AuthorizeAction | string;
  resource: AuthorizeResource;
  context?: AuthorizeContext | undefined;
}

export interface RequestAuthorization<Req> {
  /** A KeywardClient holding an operator (or admin) API token. */
  client: { authorize(request: AuthorizeRequest): Promise<AuthorizeDecision> };
  /** Maps the request to what it does; undefined skips the decision for this request. */
  map: (
    request: Req,
    token: VerifiedAccessToken,
  ) => RequestTarget | undefined | Promise<RequestTarget | undefined>;
}

export interface AuthzRefusal {
  status: 202 | 403 | 503;
  body: { error: string; error_description: string; approval_id?: string; decision_id?: string };
}

export type AuthzResult =
  | { ok: true; decision: AuthorizeDecision | undefined }
  | { ok: false; refusal: AuthzRefusal };

export async function authorizeRequest<Req>(
  authz: RequestAuthorization<Req>,
  request: Req,
  rawToken: string,
  token: VerifiedAccessToken,
): Promise<AuthzResult> {
  let decision: AuthorizeDecision;
  try {
    const target = await authz.map(request, token);
    if (target === undefined) return { ok: true, decision: undefined };
    decision = await authz.client.authorize({
      subject: { type: 'token', id: rawToken },
      action: typeof target.action === 'string' ? { name: target.action } : target.action,
      resource: target.resource,
      ...(target.context ? { context: target.context } : {}),
    });
  } catch {
    return {
      ok: false,
      refusal: {
        status: 503,
        body: {
          error: 'temporarily_unavailable',
          error_description: 'cannot reach the authorization service',
        },
      },
    };
  }
  const { outcome, reason, approval_id, decision_id } = decision.context;
  if (decision.decision && outcome === 'allow') return { ok: true, decision };
  if (outcome === 'approval_required' && approval_id) {
    return {
      ok: false,
      refusal: {
        status: 202,
        body: {
          error: 'approval_required',
          error_description: `a human must approve this request first (approval ${approval_id}); retry it once approved`,
          approval_id,
          decision_id,
        },
      },
    };
  }
  return {
    ok: false,
    refusal: {
      status: 403,
      body: { error: 'access_denied', error_description: reason || 'denied', decision_id },
    },
  };
}
