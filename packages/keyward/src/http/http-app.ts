/**
 * Builds the Fastify app for the v1 API from already-built services. Request bodies are validated
 * strictly (no type coercion, unknown fields rejected); query strings are coerced from text.
 */

import swagger from '@fastify/swagger';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { ApprovalService } from '../approvals/approval-service.js';
import type { AuditTrail } from '../audit/audit-trail.js';
import type { ApiTokenService } from '../auth/api-token-service.js';
import type { Authz } from '../authz/authz-module.js';
import type { BrokeredDatabaseService } from '../brokers/brokered-database-service.js';
import type { CredentialBroker } from '../brokers/credential-broker.js';
import type { ActivityService } from '../detection/activity-service.js';
import type { AlertService } from '../detection/alert-service.js';
import type { DetectionService } from '../detection/detection-service.js';
import type { FindingService } from '../discovery/finding-service.js';
import type { ImportService } from '../discovery/import-service.js';
import type { ScanService } from '../discovery/scan-service.js';
import type { EdgeService } from '../graph/edge-service.js';
import type { GraphQueryService } from '../graph/graph-query-service.js';
import type { HumanService } from '../inventory/human-service.js';
import type { IdentityService } from '../inventory/identity-service.js';
import type { ResourceService } from '../inventory/resource-service.js';
import type { SummaryService } from '../inventory/summary-service.js';
import type { SigningKeyService } from '../keys/signing-key-service.js';
import type { Lifecycle } from '../lifecycle/lifecycle-service.js';
import type { IntrospectionService } from '../oauth/introspection-service.js';
import type { TokenEndpoint } from '../oauth/token-endpoint.js';
import type { WorkloadAuthenticator } from '../oauth/workload-credential.js';
import type { OverviewService } from '../posture/overview-service.js';
import type { PostureEngine } from '../posture/posture-engine.js';
import type { PostureKpiService } from '../posture/posture-kpis.js';
import type { RightSizer } from '../posture/right-sizing.js';
import type { RevocationFeed } from '../revocation/revocation-feed.js';
import type { RevocationService } from '../revocation/revocation-service.js';
import type { Store } from '../storage/storage-types.js';
import type { TaskService } from '../tasks/task-service.js';
import type { FederationIssuerService } from '../workload-auth/federation-issuer-service.js';
import type { IdentityKeyService } from '../workload-auth/identity-key-service.js';
import type { WorkloadAuthService } from '../workload-auth/workload-auth-service.js';
import { installAuth } from './auth-hook.js';
import { installHttpMetrics } from './http-metrics.js';
import { installProblemHandlers, problemOf, sendProblem } from './problem.js';
import { registerAdminRoutes } from './routes/admin-routes.js';
import { registerApprovalRoutes } from './routes/approval-routes.js';
import { registerAuditRoutes } from './routes/audit-routes.js';
import { registerAuditStreamRoute } from './routes/audit-stream-route.js';
import { registerAuthzRoutes } from './routes/authz-routes.js';
import { registerBrokerRoutes } from './routes/broker-routes.js';
import { registerConsoleRoutes } from './routes/console-routes.js';
import { registerDetectionRoutes } from './routes/detection-routes.js';
import { registerDiscoveryRoutes } from './routes/discovery-routes.js';
import { registerFederationRoutes } from './routes/federation-routes.js';
import { registerGraphRoutes } from './routes/graph-routes.js';
import { registerIdentityKeyRoutes } from './routes/identity-key-routes.js';
import { registerInventoryRoutes } from './routes/inventory-routes.js';
import { registerLifecycleRoutes } from './routes/lifecycle-routes.js';
import { registerMcpAuditRoutes } from './routes/mcp-audit-routes.js';
import { registerMetaRoutes } from './routes/meta-routes.js';
import { registerOAuthMetadataRoutes } from './routes/oauth-metadata-routes.js';
import { registerOAuthRoutes } from './routes/oauth-routes.js';
import { registerOverviewRoutes } from './routes/overview-routes.js';
import { registerPolicyRoutes } from './routes/policy-routes.js';
import { registerPostureKpiRoutes } from './routes/posture-kpi-routes.js';
import { registerPostureRoutes } from './routes/posture-routes.js';
import { registerReviewRoutes } from './routes/review-routes.js';
import { registerRevocationRoutes } from './routes/revocation-routes.js';
import { registerRotationRoutes } from './routes/rotation-routes.js';
import { registerSigningKeyRoutes } from './routes/signing-key-routes.js';
import { registerTaskRoutes } from './routes/task-routes.js';

export interface HttpServices {
  store: Store;
  tokens: ApiTokenService;
  identities: IdentityService;
  humans: HumanService;
  resources: ResourceService;
  edges: EdgeService;
  graph: GraphQueryService;
  summary: SummaryService;
  brokeredDatabases: BrokeredDatabaseService;
  broker: CredentialBroker;
  signingKeys: SigningKeyService;
  identityKeys: IdentityKeyService;
  federationIssuers: FederationIssuerService;
  workloadAuth: WorkloadAuthService;
  authenticateWorkload: WorkloadAuthenticator;
  tasks: TaskService;
  tokenEndpoint: TokenEndpoint;
  introspection: IntrospectionService;
  revocation: RevocationService;
  feed: RevocationFeed;
  /** Keyward's issuer URL, resolved when asked (it may depend on the port bound at listen). */
  issuer: () => string;
  metrics: Registry;
  auditTrail: AuditTrail;
  approvals: ApprovalService;
  /** Heartbeat period of the SSE revocation feed (default 15 s). */
  heartbeatMs?: number;
  authz: Authz;
  alerts: AlertService;
  activity: ActivityService;
  detection: Pick<DetectionService, 'baselineOf'>;
  imports: ImportService;
  scans: ScanService;
  findings: FindingService;
  postureKpis: PostureKpiService;
  overview: OverviewService;
  posture: PostureEngine;
  rightSizer: RightSizer;
  discovery: { roots: readonly string[]; maxBytes: number };
  lifecycle: Lifecycle;
}

export interface HttpOptions {
  bodyLimit?: number;
  logger?: boolean | { level: string };
  version: string;
  /** Test-only routes (the durability test's burst endpoint). */
  auditTestRoutes?: boolean;
  /** Built web console to serve at `/` (null: none). */
  consoleDir?: string | null;
}

function makeAjv(coerce: boolean): Ajv {
  const ajv = new Ajv({
    coerceTypes: coerce ? 'array' : false,
    removeAdditional: false,
    useDefaults: true,
    allErrors: false,
    strict: false,
  });
  addFormats.default(ajv);
  return ajv;
}

export async function buildHttpApp(services: HttpServices, options: HttpOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    // Errors Fastify raises before any route (a malformed %-escape in the URL …) are problems too.
    frameworkErrors: (error, _request, reply) => {
      sendProblem(reply, problemOf('validation_failed', error.message));
    },
  });
  const bodyAjv = makeAjv(false);
  const queryAjv = makeAjv(true);
  app.setValidatorCompiler(({ schema, httpPart }) =>
    httpPart === 'body' ? bodyAjv.compile(schema) : queryAjv.compile(schema),
  );
  installProblemHandlers(app);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Keyward API',
        version: options.version,
        description:
          'Identity control plane for non-human identities: inventory, lineage, blast radius. Errors are RFC 9457 problem+json with a stable `code`.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  installAuth(app, services.tokens);
  installHttpMetrics(app, services.metrics);
  registerMetaRoutes(app, { store: services.store, metrics: services.metrics, version: options.version });
  registerInventoryRoutes(app, services);
  registerGraphRoutes(app, services);
  registerAdminRoutes(app, services);
  registerBrokerRoutes(app, services);
  registerOAuthMetadataRoutes(app, services);
  registerSigningKeyRoutes(app, services);
  registerIdentityKeyRoutes(app, services);
  registerFederationRoutes(app, services);
  registerAuditRoutes(app, services.auditTrail, { testRoutes: options.auditTestRoutes ?? false });
  registerAuditStreamRoute(app, services.auditTrail.feed);
  registerTaskRoutes(app, services);
  registerOAuthRoutes(app, services);
  registerRevocationRoutes(app, services);
  registerApprovalRoutes(app, services);
  registerMcpAuditRoutes(app, services.auditTrail);
  registerAuthzRoutes(app, services);
  registerPolicyRoutes(app, services);
  registerDetectionRoutes(app, services);
  registerDiscoveryRoutes(app, services);
  registerPostureRoutes(app, services);
  registerPostureKpiRoutes(app, { posture: services.postureKpis });
  registerOverviewRoutes(app, { overview: services.overview });
  registerLifecycleRoutes(app, services);
  registerReviewRoutes(app, services);
  registerRotationRoutes(app, services);
  await registerConsoleRoutes(app, options.consoleDir ?? null);
  return app;
}
