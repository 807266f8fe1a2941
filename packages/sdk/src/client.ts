/**
 * KeywardClient: the typed entry point to the Keyward HTTP API. One namespace per resource; every
 * method returns the wire types of types.ts and throws KeywardApiError on failure.
 */
import { ApiTokensApi } from './api-tokens-api.js';
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

  constructor(options: KeywardClientOptions) {
    this.http = new HttpTransport(options);
    this.identities = new IdentitiesApi(this.http, '/v1/identities');
    this.humans = new RecordApi(this.http, '/v1/humans');
    this.systems = new RecordApi(this.http, '/v1/systems');
    this.resources = new RecordApi(this.http, '/v1/resources');
    this.edges = new EdgesApi(this.http);
    this.apiTokens = new ApiTokensApi(this.http);
    const http = this.http;
    this.graph = {
      path: (from, to) => http.request<GraphPath>('/v1/graph/path', { query: { from, to } }),
    };
  }

  summary(): Promise<EstateSummary> {
    return this.http.request<EstateSummary>('/v1/summary');
  }

  /** Liveness (no auth needed). */
  health(): Promise<HealthStatus> {
    return this.http.request<HealthStatus>('/healthz');
  }
}
