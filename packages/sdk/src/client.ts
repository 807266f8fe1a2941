/**
 * KeywardClient: the typed entry point to the Keyward HTTP API. One namespace per resource; every
 * method returns the wire types of types.ts and throws KeywardApiError on failure.
 */
import { ApiTokensApi } from './api-tokens-api.js';
import { AuthzApi } from './approvals-api.js';
import type {
  Approval,
  ApprovalFilter,
  AuthorizeBatchRequest,
  AuthorizeBatchResponse,
  AuthorizeDecision,
  AuthorizeRequest,
  McpAuditEventInput,
} from './authz-types.js';
import { EdgesApi } from './edges-api.js';
import { HttpTransport, type KeywardClientOptions } from './http-transport.js';
import { IdentitiesApi } from './identities-api.js';
import { RecordApi } from './record-api.js';
import type {
  EstateSummary,
  GraphPath,
  Human,
  HumanFilter,
  HumanInput,
  HumanPatch,
  Page,
  PostureKpis,
  Resource,
  ResourceFilter,
  ResourceInput,
  ResourcePatch,
  System,
  SystemInput,
  SystemPatch,
} from './types.js';

export interface SystemFilter {
  q?: string | undefined;
}

/** Body of /healthz and /readyz; only `status` is guaranteed. */
export interface HealthStatus {
  status: string;
  [key: string]: unknown;
}

export class KeywardClient {
  readonly identities: IdentitiesApi;
  readonly humans: RecordApi<Human, HumanInput, HumanPatch, HumanFilter>;
  readonly systems: RecordApi<System, SystemInput, SystemPatch, SystemFilter>;
  readonly resources: RecordApi<Resource, ResourceInput, ResourcePatch, ResourceFilter>;
  readonly edges: EdgesApi;
  readonly apiTokens: ApiTokensApi;
  readonly graph: { path(from: string, to: string): Promise<GraphPath> };
  private readonly http: HttpTransport;
  private readonly authz: AuthzApi;

  constructor(options: KeywardClientOptions) {
    this.http = new HttpTransport(options);
    this.identities = new IdentitiesApi(this.http, '/v1/identities');
    this.humans = new RecordApi(this.http, '/v1/humans');
    this.systems = new RecordApi(this.http, '/v1/systems');
    this.resources = new RecordApi(this.http, '/v1/resources');
    this.edges = new EdgesApi(this.http);
    this.apiTokens = new ApiTokensApi(this.http);
    this.authz = new AuthzApi(this.http);
    const http = this.http;
    this.graph = {
      path: (from, to) => http.request<GraphPath>('/v1/graph/path', { query: { from, to } }),
    };
  }

  summary(): Promise<EstateSummary> {
    return this.http.request<EstateSummary>('/v1/summary');
  }

  /** Estate KPIs beside the industry figures (`GET /v1/posture/kpis`). */
  postureKpis(): Promise<PostureKpis> {
    return this.http.request<PostureKpis>('/v1/posture/kpis');
  }

  /** One decision (`POST /v1/authorize`; needs an operator or admin token). */
  authorize(request: AuthorizeRequest): Promise<AuthorizeDecision> {
    return this.authz.authorize(request);
  }

  /** Many decisions in one call; top-level subject/action/resource/context are defaults. */
  authorizeBatch(request: AuthorizeBatchRequest): Promise<AuthorizeBatchResponse> {
    return this.authz.authorizeBatch(request);
  }

  getApproval(id: string): Promise<Approval> {
    return this.authz.getApproval(id);
  }

  listApprovals(filter: ApprovalFilter = {}): Promise<Page<Approval>> {
    return this.authz.listApprovals(filter);
  }

  /** Approves as the human whose ID token (from a trusted issuer) is `humanToken`. */
  approve(id: string, humanToken: string, comment?: string): Promise<Approval> {
    return this.authz.approve(id, humanToken, comment);
  }

  deny(id: string, humanToken: string, comment?: string): Promise<Approval> {
    return this.authz.deny(id, humanToken, comment);
  }

  /** Records an `mcp.*` audit event (the MCP gateway's tool-call outcomes; operator tokens). */
  recordMcpEvent(event: McpAuditEventInput): Promise<{ id: string; seq: number }> {
    return this.authz.recordMcpEvent(event);
  }

  /** Liveness (no auth needed). */
  health(): Promise<HealthStatus> {
    return this.http.request<HealthStatus>('/healthz');
  }
}
