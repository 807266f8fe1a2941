/**
 * The decision API and step-up approvals. Deciding an approval is a human's own act: pass their ID
 * token from a trusted issuer (`humanToken`), sent as X-Keyward-Human-Token; the API token is not
 * what authorizes it.
 */
import type {
  Approval,
  ApprovalFilter,
  AuthorizeBatchRequest,
  AuthorizeBatchResponse,
  AuthorizeDecision,
  AuthorizeRequest,
  McpAuditEventInput,
} from './authz-types.js';
import { type HttpTransport, seg } from './http-transport.js';
import type { Page } from './types.js';

export const HUMAN_TOKEN_HEADER = 'x-keyward-human-token';

export class AuthzApi {
  constructor(private readonly http: HttpTransport) {}

  authorize(request: AuthorizeRequest): Promise<AuthorizeDecision> {
    return this.http.request<AuthorizeDecision>('/v1/authorize', { method: 'POST', body: request });
  }

  authorizeBatch(request: AuthorizeBatchRequest): Promise<AuthorizeBatchResponse> {
    return this.http.request<AuthorizeBatchResponse>('/v1/authorize/batch', {
      method: 'POST',
      body: request,
    });
  }

  getApproval(id: string): Promise<Approval> {
    return this.http.request<Approval>(`/v1/approvals/${seg(id)}`);
  }

  listApprovals(filter: ApprovalFilter = {}): Promise<Page<Approval>> {
    return this.http.request<Page<Approval>>('/v1/approvals', { query: { ...filter } });
  }

  approve(id: string, humanToken: string, comment?: string): Promise<Approval> {
    return this.decide(id, 'approve', humanToken, comment);
  }

  deny(id: string, humanToken: string, comment?: string): Promise<Approval> {
    return this.decide(id, 'deny', humanToken, comment);
  }

  recordMcpEvent(event: McpAuditEventInput): Promise<{ id: string; seq: number }> {
    return this.http.request('/v1/audit/events', { method: 'POST', body: event });
  }

  private decide(id: string, verb: 'approve' | 'deny', humanToken: string, comment?: string) {
    return this.http.request<Approval>(`/v1/approvals/${seg(id)}/${verb}`, {
      method: 'POST',
      body: comment === undefined ? {} : { comment },
      headers: { [HUMAN_TOKEN_HEADER]: humanToken },
    });
  }
}
