/**
 * The one wiring file: opens the store, migrates, builds the graph index, creates every service
 * with only the dependencies it uses, and builds the HTTP face over them. The CLI's `serve`, the
 * tests and the benchmarks all start Keyward through here.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge } from 'prom-client';
import { createApprovalService } from './approvals/approval-service.js';
import type { ApprovalGate } from './approvals/approval-types.js';
import { approvalWebhookSinks } from './approvals/approval-webhook.js';
import { createAuditRecorder } from './audit/audit-recorder.js';
import { createAuditTrail } from './audit/audit-trail.js';
import type { AuditWriter } from './audit/audit-writer.js';
import { loadCheckpointSigner } from './audit/checkpoint-key-service.js';
import type { CheckpointSigner } from './audit/checkpoint-signer.js';
import type { SinkConfig } from './audit/sinks/sink-config.js';
import { createApiTokenService } from './auth/api-token-service.js';
import { type AuthzConfig, authzConfig } from './authz/authz-config.js';
import { createAuthz } from './authz/authz-module.js';
import { registerBrokerMetrics } from './brokers/broker-metrics.js';
import { createBrokeredDatabaseService } from './brokers/brokered-database-service.js';
import { createCredentialBroker } from './brokers/credential-broker.js';
import type { RevocationObserver } from './brokers/lease-revoker.js';
import { createRevocationRetrier, type RevocationRetrier } from './brokers/revocation-retrier.js';
import { masterKeySecretBox, type SecretBox } from './brokers/secret-box.js';
import { type AuditTail, createAuditTail, withClusterWakeups } from './cluster/audit-tail.js';
import { type ClusterBus, localBus, withLocalDelivery } from './cluster/cluster-bus.js';
import { announceCommits } from './cluster/commit-announcer.js';
import { startReplicaSync } from './cluster/replica-sync.js';
import { sharedGraph } from './cluster/shared-state.js';
import type { KeywardConfig } from './config.js';
import { recordDemoActivity, recordDemoLeak } from './demo/demo-activity.js';
import { loadDemoEstate } from './demo/demo-loader.js';
import { createActivityService } from './detection/activity-service.js';
import { createAlertService } from './detection/alert-service.js';
import { createDetectionEngine } from './detection/detection-engine.js';
import { createDetectionService } from './detection/detection-service.js';
import { createInventoryResolver } from './detection/inventory-resolver.js';
import { createFindingService } from './discovery/finding-service.js';
import { createImportService } from './discovery/import-service.js';
import { IMPORT_PARSERS } from './discovery/importers/parsers.js';
import { createLeakFindings } from './discovery/leak-findings.js';
import { scanTree } from './discovery/scan/secret-scanner.js';
import { createScanService } from './discovery/scan-service.js';
import { createEdgeService } from './graph/edge-service.js';
import type { GraphIndex } from './graph/graph-index.js';
import { loadGraphIndex } from './graph/graph-loader.js';
import { createGraphQueryService } from './graph/graph-query-service.js';
import { buildHttpApp } from './http/http-app.js';
import { createMetricsRegistry } from './http/http-metrics.js';
import { createHumanService } from './inventory/human-service.js';
import { createIdentityService } from './inventory/identity-service.js';
import { createResourceService } from './inventory/resource-service.js';
import { createSummaryService } from './inventory/summary-service.js';
import { loadMasterKey, type MasterKey } from './keys/master-key.js';
import { createSigningKeyService } from './keys/signing-key-service.js';
import { createLifecycle, type Lifecycle } from './lifecycle/lifecycle-service.js';
import { createRotationReducer } from './lifecycle/rotation-reducer.js';
import { type MaintenanceLoop, startMaintenanceLoop } from './maintenance/maintenance-loop.js';
import { createAccessTokenVerifier } from './oauth/access-token-verifier.js';
import { createGrantReadCache } from './oauth/grant-read-cache.js';
import { createIntrospectionService } from './oauth/introspection-service.js';
import { createIssuanceCommitter } from './oauth/issuance-committer.js';
import { createOAuthAuditSink } from './oauth/oauth-audit.js';
import { createTokenEndpoint } from './oauth/token-endpoint.js';
import { createTokenMinter } from './oauth/token-minter.js';
import { createWorkloadAuthenticator } from './oauth/workload-credential.js';
import { createOverviewService } from './posture/overview-service.js';
import { createPostureEngine } from './posture/posture-engine.js';
import { createPostureKpis } from './posture/posture-kpis.js';
import { type PostureWatcher, startPostureWatcher } from './posture/posture-watcher.js';
import { createRightSizer } from './posture/right-sizing.js';
import { createRevocationFeed } from './revocation/revocation-feed.js';
import { createRevocationService } from './revocation/revocation-service.js';
import { openStore } from './storage/open-store.js';
import type { CommitSource, Store } from './storage/storage-types.js';
import { createTaskService } from './tasks/task-service.js';
import { KEYWARD_VERSION } from './version.js';
import { createFederationIssuerService } from './workload-auth/federation-issuer-service.js';
import { createIdentityKeyService } from './workload-auth/identity-key-service.js';
import { createWorkloadAuthService } from './workload-auth/workload-auth-service.js';

export interface KeywardOptions {
  /** Load the demo estate if the store holds no identities yet. */
  demo?: boolean;
  now?: () => Date;
  /** For tests: a PostgreSQL schema to isolate in. */
  pgSchema?: string;
  /** Seals brokered databases' admin passwords; default: sealed with the master key. */
  secretBox?: SecretBox;
  /** How often the RevocationRetrier sweeps (expired leases, failed revocations); default 5 s. */
  revocationIntervalMs?: number;
  /** Where start-up warnings go (one line each); default stderr. */
  warn?: (line: string) => void;
  /** Period of the maintenance loop (key refresh/rotation/pruning); 0 disables the timer. Default 60 s. */
  maintenanceIntervalMs?: number;
  /**
   * Period of the lifecycle scheduler (offboarding, expiry: src/lifecycle); 0 disables the timer
   * (jobs then run only through `lifecycle.runOnce()` / `POST /v1/lifecycle/run`). Default 60 s;
   * the first round runs one period after start.
   */
  lifecycleIntervalMs?: number;
  /** How long a replica's lease on a lifecycle job lasts without renewal; default max(3 × period, 60 s). */
  lifecycleLeaseMs?: number;
  /** Least time between two fetches of a federation issuer's JWKS; default 30 s. */
  jwksCooldownMs?: number;
  /**
   * Signs audit checkpoints. Default: the persistent checkpoint key (generated on first start, sealed
   * under the master key, see audit/checkpoint-key-service.ts).
   */
  auditSigner?: CheckpointSigner;
  /** Audit export sinks, in addition to those configured by KEYWARD_AUDIT_SINKS. */
  auditSinks?: SinkConfig[];
  auditCheckpointEveryEvents?: number;
  auditCheckpointEveryMs?: number;
  /** Registers the test-only `POST /v1/audit/_burst` route (appends N events through the AuditWriter). */
  auditTestRoutes?: boolean;
  /** Period of the SSE revocation feed's heartbeat comments; default 15 s. */
  feedHeartbeatMs?: number;
  /** The approval gate the decision engine consults; default: the approval service (src/approvals). */
  approvals?: ApprovalGate;
  /** Decision engine settings; default from KEYWARD_AUTHZ_* (authz/authz-config.ts). */
  authz?: Partial<AuthzConfig>;
  /** How often detection persists its baselines; default 5 s. */
  detectionPersistMs?: number;
  /**
   * This process's part in a `serve --workers N` cluster (cluster/cluster-serve.ts). The leader runs
   * the background work that must happen once (maintenance, detection, checkpoints, sinks, broker
   * revocation retries) over every process's events; workers serve HTTP. Default: standalone (all).
   */
  cluster?: { role: 'leader' | 'worker'; bus: ClusterBus; auditWriter?: AuditWriter };
}

export interface Keyward {
  config: KeywardConfig;
  store: Store;
  index: GraphIndex;
  http: FastifyInstance;
  services: ReturnType<typeof createServices>;
  /** The bootstrap admin token's secret on the very first start, else null. Shown once, never stored. */
  bootstrapToken: string | null;
  demoLoaded: boolean;
  /** Whether a built web console is served at `/`. */
  consoleServed: boolean;
  revocationRetrier: RevocationRetrier;
  /** Keyward's issuer URL: KEYWARD_ISSUER, else the URL it listens on. */
  issuer(): string;
  maintenance: MaintenanceLoop;
  /** Re-evaluates posture after each change (absent on cluster workers). */
  postureWatcher: PostureWatcher | undefined;
  /** The lifecycle workflows and their scheduler; `runOnce()` runs every job now (tests, the API). */
  lifecycle: Lifecycle;
  close(): Promise<void>;
}

/** Picks up a checkpoint key rotated by another replica (persistent signers only). */
async function refreshSigner(signer: CheckpointSigner): Promise<void> {
  if ('refresh' in signer && typeof signer.refresh === 'function') await signer.refresh();
}

export async function openConfiguredStore(config: KeywardConfig, pgSchema?: string): Promise<Store> {
  if (config.databaseUrl) {
    return openStore({
      backend: 'postgres',
      url: config.databaseUrl,
      ...((pgSchema ?? config.databaseSchema) ? { schema: pgSchema ?? config.databaseSchema } : {}),
    });
  }
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  return openStore({ backend: 'sqlite', file: path.join(config.dataDir, 'keyward.db') });
}

interface ServiceContext {
  config: KeywardConfig;
  masterKey: MasterKey;
  issuer: () => string;
  jwksCooldownMs: number | undefined;
  secrets: SecretBox;
  observer: RevocationObserver;
  audit: { signer: CheckpointSigner; sinks: SinkConfig[]; everyEvents?: number; everyMs?: number };
  /** Errors of background work (batched writes, feed reads, broker revocation after commit). */
  logError: (err: unknown, context: string) => void;
  /** Overrides the approval service as the decision engine's gate (tests). */
  approvals?: ApprovalGate;
  authz: AuthzConfig;
  detectionPersistMs: number | undefined;
  bus: ClusterBus;
  /** Where the audit consumers hear of commits: the store, or in a cluster what covers the others. */
  commits: CommitSource;
  auditWriter: AuditWriter | undefined;
}

function createServices(store: Store, index: GraphIndex, now: () => Date, ctx: ServiceContext) {
  const audit = createAuditRecorder(now);
  const { config, issuer, logError, bus } = ctx;
  const deps = { store, graph: sharedGraph(index, bus), audit, now };
  const brokeredDatabases = createBrokeredDatabaseService({ store, secrets: ctx.secrets, audit, now });
  const broker = createCredentialBroker({
    store,
    databases: brokeredDatabases,
    audit,
    now,
    observer: ctx.observer,
  });
  const signingKeys = createSigningKeyService({
    store,
    audit,
    now,
    masterKey: ctx.masterKey,
    alg: config.signingAlg,
    maxTokenTtlSeconds: config.maxTokenTtlSeconds,
    maxKeyAgeSeconds: config.signingKeyMaxAgeSeconds,
  });
  const grantReads = createGrantReadCache(store);
  const workloadAuth = createWorkloadAuthService({
    store,
    cachedReads: grantReads,
    audit,
    now,
    clockSkewSeconds: config.clockSkewSeconds,
    defaultAudiences: () => [issuer(), `${issuer()}/oauth2/token`],
    ...(ctx.jwksCooldownMs !== undefined ? { jwksCooldownMs: ctx.jwksCooldownMs } : {}),
  });
  const feed = createRevocationFeed({
    events: store.revocationEvents,
    onError: (err) => logError(err, 'reading revocation events'),
  });
  bus.on('revocations', () => void feed.poke());
  // After a commit that wrote revocation events (or alert SETs): this process's feed reads on, and
  // so does every other process's of a cluster.
  const pokeFeeds = (): Promise<void> => {
    bus.publish({ t: 'revocations' });
    return feed.poke();
  };
  const revocation = createRevocationService({
    store,
    audit,
    now,
    issuer,
    signSecurityEvent: signingKeys.signSecurityEvent,
    broker,
    poke: pokeFeeds,
    onError: logError,
  });
  const accessTokens = createAccessTokenVerifier({
    store,
    jwks: signingKeys.jwks,
    issuer,
    clockSkewSeconds: config.clockSkewSeconds,
  });
  const authenticateWorkload = createWorkloadAuthenticator(workloadAuth);
  const auditTrail = createAuditTrail({
    store,
    commits: ctx.commits,
    writer: ctx.auditWriter,
    now,
    signer: ctx.audit.signer,
    sinks: ctx.audit.sinks,
    checkpointEveryEvents: ctx.audit.everyEvents,
    checkpointEveryMs: ctx.audit.everyMs,
  });
  const approvals = createApprovalService({
    store,
    audit,
    now,
    workloadAuth,
    pendingTtlSeconds: config.approvalTtlSeconds,
    grantTtlSeconds: config.approvalGrantTtlSeconds,
  });
  const auditSink = createOAuthAuditSink(audit, auditTrail.writer, (err) => logError(err, 'oauth audit'));
  const detectionEngine = createDetectionEngine(
    createInventoryResolver(store, { clock: () => now().getTime() }),
    config.detection,
  );
  const alerts = createAlertService({
    store,
    audit,
    now,
    issuer,
    signSecurityEvent: signingKeys.signSecurityEvent,
    poke: pokeFeeds,
    suppressMinutes: detectionEngine.config.suppressMinutes,
  });
  const leaks = createLeakFindings({ audit });
  const findings = createFindingService({ store, audit, now });
  const identities = createIdentityService({ ...deps, onBlocked: revocation.identityHook });
  const tokens = createApiTokenService({ store, audit, now });
  const lifecycle = createLifecycle({
    store,
    audit,
    now,
    identities,
    revocation,
    offboardingGraceSeconds: config.offboardingGraceSeconds,
    expiryNoticeSeconds: config.expiryNoticeSeconds,
    tokens,
    signingKeys,
    rotationOverlapSeconds: config.rotationOverlapSeconds,
    rotationReducer: createRotationReducer({
      store,
      rightSizer: createRightSizer({ store, index, now }),
      edges: createEdgeService(deps),
    }),
    databases: brokeredDatabases,
    secrets: ctx.secrets,
    onError: logError,
  });
  return {
    lifecycle,
    imports: createImportService({ ...deps, leaks, parsers: IMPORT_PARSERS }),
    scans: createScanService({ store, audit, now, leaks, scanTree }),
    findings,
    leaks,
    // Posture findings (NHI1, NHI3–NHI10): the whole estate by the maintenance loop and on demand
    // (POST /v1/posture/evaluate); the identities a change touched by the posture watcher.
    posture: createPostureEngine({ store, index, audit, now }),
    // Least privilege from real use (GET /v1/posture/right-size/:id): grants vs the audit's use.
    rightSizer: createRightSizer({ store, index, now }),
    alerts,
    activity: createActivityService({ store, writer: auditTrail.writer, now }),
    detection: createDetectionService({
      store,
      commits: ctx.commits,
      engine: detectionEngine,
      alerts,
      now,
      ...(ctx.detectionPersistMs !== undefined ? { persistEveryMs: ctx.detectionPersistMs } : {}),
      onError: logError,
    }),
    brokeredDatabases,
    broker,
    signingKeys,
    identityKeys: createIdentityKeyService({ store, audit, now }),
    federationIssuers: createFederationIssuerService({ store, audit, now }),
    workloadAuth,
    authenticateWorkload,
    tokens,
    identities,
    // A departure revokes the sponsor's tasks and opens their offboarding case (src/lifecycle).
    humans: createHumanService({ ...deps, onBlocked: lifecycle.offboarding.hook }),
    resources: createResourceService(deps),
    edges: createEdgeService(deps),
    graph: createGraphQueryService({ store, index }),
    summary: createSummaryService({ store, index, now, discoveryFigures: findings.figures }),
    postureKpis: createPostureKpis({ store, now, findings }),
    overview: createOverviewService({ store, now }),
    auditTrail,
    revocation,
    feed,
    accessTokens,
    tasks: createTaskService({
      store,
      audit,
      now,
      authenticateWorkload,
      workloadAuth,
      accessTokens,
      broker,
      brokeredDatabases,
      revocation,
      audiences: () => [issuer(), `${issuer()}/v1/tasks`, `${issuer()}/oauth2/token`],
      maxTaskTtlSeconds: config.maxTaskTtlSeconds,
    }),
    tokenEndpoint: createTokenEndpoint({
      store,
      now,
      issuer,
      authenticateWorkload,
      workloadAuth,
      accessTokens,
      mint: createTokenMinter({ signJwt: signingKeys.signJwt, issuer, now }),
      auditSink,
      audit,
      commit: createIssuanceCommitter({ store, now }),
      cachedReads: grantReads,
      accessTokenTtlSeconds: config.accessTokenTtlSeconds,
      maxDelegationDepth: config.maxDelegationDepth,
      tokenAudiences: config.tokenAudiences,
    }),
    introspection: createIntrospectionService({ accessTokens, revocation }),
    approvals,
    authz: createAuthz({
      store,
      accessTokens,
      audit,
      writer: auditTrail.writer,
      approvals: ctx.approvals ?? approvals,
      now,
      onError: logError,
      config: ctx.authz,
      bus,
    }),
  };
}

const FIRST_ROUND_WAIT_MS = 5_000;

/** The URL a listening Fastify server is reachable at, or undefined before listen. */
function listenUrl(http: FastifyInstance | undefined, config: KeywardConfig): string | undefined {
  const addr = http?.server.address();
  if (!addr || typeof addr !== 'object') return undefined;
  const wildcard = addr.address === '0.0.0.0' || addr.address === '::';
  const host = wildcard ? 'localhost' : addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return `http://${host}:${addr.port || config.port}`;
}

export async function createKeyward(config: KeywardConfig, options: KeywardOptions = {}): Promise<Keyward> {
  const now = options.now ?? (() => new Date());
  const warn = options.warn ?? ((line: string) => process.stderr.write(`${line}\n`));
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const masterKey = loadMasterKey({ configured: config.masterKey, dataDir: config.dataDir, warn });
  let http: FastifyInstance | undefined;
  const issuer = (): string =>
    config.issuer ?? listenUrl(http, config) ?? `http://${config.host}:${config.port}`;
  const store = await openConfiguredStore(config, options.pgSchema);
  let logError = (err: unknown, context: string): void => warn(`${context}: ${String(err)}`);
  const role = options.cluster?.role ?? 'standalone';
  const bus = withLocalDelivery(options.cluster?.bus ?? localBus(), (err) => logError(err, 'cluster bus'));
  // Once per cluster: the leader's background work, over every process's events (the tail).
  const once = role !== 'worker';
  const tail: AuditTail | undefined =
    role === 'leader'
      ? createAuditTail({ store, onError: (err) => logError(err, 'following the audit log') })
      : undefined;
  const commits: CommitSource = tail ?? (role === 'worker' ? withClusterWakeups(store, bus) : store);
  try {
    await store.migrate();
    const demo = options.demo && once ? await loadDemoEstate(store, now()) : undefined;
    const index = await loadGraphIndex(store);
    const metrics = createMetricsRegistry();
    const observer = registerBrokerMetrics(metrics, () => store.leases.countByStatus());
    const services = createServices(store, index, now, {
      config,
      masterKey,
      issuer,
      jwksCooldownMs: options.jwksCooldownMs,
      secrets: options.secretBox ?? masterKeySecretBox(masterKey),
      observer,
      audit: {
        signer: options.auditSigner ?? (await loadCheckpointSigner({ store, masterKey, now })),
        sinks: [...config.auditSinks, ...approvalWebhookSinks(config), ...(options.auditSinks ?? [])],
        ...(options.auditCheckpointEveryEvents ? { everyEvents: options.auditCheckpointEveryEvents } : {}),
        ...(options.auditCheckpointEveryMs ? { everyMs: options.auditCheckpointEveryMs } : {}),
      },
      logError: (err, context) => logError(err, context),
      ...(options.approvals ? { approvals: options.approvals } : {}),
      authz: authzConfig(options.authz),
      detectionPersistMs: options.detectionPersistMs,
      bus,
      commits,
      auditWriter: options.cluster?.auditWriter,
    });
    bus.on('api-tokens', () => services.tokens.invalidate());
    bus.on(
      'signing-keys',
      () => void services.signingKeys.refresh().catch((err) => logError(err, 'signing keys')),
    );
    // Before anything else may sign: loads (or, on first start, generates) the signing key. A wrong
    // master key fails here with master_key_mismatch.
    await services.signingKeys.ensureActiveKey();
    await services.authz.policies.refresh();
    const bootstrapToken = once ? await services.tokens.bootstrap() : null;
    new Gauge({
      name: 'keyward_graph_nodes',
      help: 'Nodes in the in-memory lineage graph',
      registers: [metrics],
      collect() {
        this.set(index.stats().nodes);
      },
    });
    new Counter({
      name: 'keyward_token_issuance_batches_total',
      help: 'Group commits of token issuance (one transaction and WAL sync each)',
      registers: [metrics],
      collect() {
        this.reset();
        this.inc(services.tokenEndpoint.batchStats().batches);
      },
    });
    new Counter({
      name: 'keyward_token_issuance_batch_waitouts_total',
      help: 'Issuance batches that waited the full gather time for an announced request',
      registers: [metrics],
      collect() {
        this.reset();
        this.inc(services.tokenEndpoint.batchStats().waitedOut);
      },
    });
    new Gauge({
      name: 'keyward_graph_edges',
      help: 'Edges in the in-memory lineage graph',
      registers: [metrics],
      collect() {
        this.set(index.stats().edges);
      },
    });
    const app = await buildHttpApp(
      {
        store,
        metrics,
        issuer,
        ...services,
        discovery: { roots: config.discoveryRoots, maxBytes: config.discoveryMaxBytes },
        ...(options.feedHeartbeatMs ? { heartbeatMs: options.feedHeartbeatMs } : {}),
      },
      {
        bodyLimit: config.bodyLimit,
        version: KEYWARD_VERSION,
        logger: { level: config.logLevel },
        auditTestRoutes: options.auditTestRoutes ?? false,
        consoleDir: config.consoleDir,
      },
    );
    http = app;
    logError = (err, context) => app.log.error({ err }, context);
    const stopTail: Array<() => void> = [announceCommits(store, bus)];
    if (tail) {
      await tail.start();
      stopTail.push(
        store.onAuditCommit(() => tail.poke()),
        bus.on('audit', () => tail.poke()),
      );
    }
    if (once) services.auditTrail.start();
    await services.feed.start();
    if (once) await services.detection.start();
    const pgListener = config.databaseUrl
      ? startReplicaSync({
          store,
          url: config.databaseUrl,
          schema: options.pgSchema ?? config.databaseSchema,
          deliver: bus.deliverLocal,
          onRevocations: () => void services.feed.poke(),
          onError: (err) => app.log.warn({ err }, 'replica LISTEN/NOTIFY connection failed; retrying'),
        })
      : undefined;
    // Workers only pick up what the leader (or another replica) changed; the leader does the work.
    const refreshOnly = new Set([
      'replicas: drop inventory caches',
      'signing keys: refresh',
      'policies: pick up changes made on other replicas',
      'audit checkpoint key: refresh',
    ]);
    const maintenanceTasks = [
      // Replicas: a change notice lost to a crash or a dropped connection is made good here.
      ...(config.databaseUrl
        ? [{ name: 'replicas: drop inventory caches', run: async () => bus.deliverLocal({ t: 'inventory' }) }]
        : []),
      { name: 'signing keys: refresh', run: services.signingKeys.refresh },
      { name: 'signing keys: scheduled rotation', run: services.signingKeys.rotateIfDue },
      { name: 'signing keys: drop retired', run: services.signingKeys.pruneRetired },
      { name: 'client assertions: forget expired jtis', run: services.workloadAuth.pruneUsedJtis },
      { name: 'tasks: expire due', run: services.tasks.expireDue },
      { name: 'approvals: expire due', run: services.approvals.expireDue },
      { name: 'policies: pick up changes made on other replicas', run: services.authz.policies.refresh },
      { name: 'audit checkpoint key: refresh', run: () => refreshSigner(services.auditTrail.signer) },
      {
        name: 'findings: resolve leaks of revoked API tokens',
        run: () =>
          store.transaction((tx) => services.leaks.sweepApiTokens(tx, 'system', now().toISOString())),
      },
      {
        name: 'posture: evaluate',
        run: () => services.posture.evaluate('system'),
        everyMs: config.postureFullIntervalSeconds * 1000,
      },
      {
        name: 'issued tokens: forget expired',
        run: () => store.issuedTokens.deleteExpired(new Date(now().getTime() - 3_600_000).toISOString()),
      },
    ];
    const maintenance = startMaintenanceLoop(
      once ? maintenanceTasks : maintenanceTasks.filter((t) => refreshOnly.has(t.name)),
      {
        intervalMs: options.maintenanceIntervalMs ?? 60_000,
        onError: (task, err) => app.log.error({ err }, `maintenance task failed: ${task}`),
      },
    );
    // The first round (a full posture evaluation among others) is awaited on small estates, so a
    // fresh server shows its findings at once; on a large one (100,000 identities take tens of
    // seconds the first time) the server starts listening after FIRST_ROUND_WAIT_MS and the round
    // finishes in the background (evaluations are serialized in the engine).
    const firstRound = maintenance.runOnce();
    await Promise.race([firstRound, new Promise((r) => setTimeout(r, FIRST_ROUND_WAIT_MS).unref())]);
    // Then each committed change re-evaluates what it touched.
    const postureWatcher = once
      ? startPostureWatcher({
          commits,
          store,
          engine: services.posture,
          onError: (err, context) => logError(err, context),
        })
      : undefined;
    if (demo?.loaded) {
      await recordDemoActivity(store, services.activity);
      await recordDemoLeak(services.scans, scanTree);
    }
    const revocationRetrier = createRevocationRetrier({
      sweep: () => services.broker.processDue(),
      intervalMs: options.revocationIntervalMs ?? 5_000,
      onError: (err) => app.log.error({ err }, 'revocation sweep failed'),
    });
    if (once) revocationRetrier.start();
    // Replicas share the lifecycle jobs by lease. Workers of a cluster run no timer (the leader
    // does) but still answer `POST /v1/lifecycle/run` through the same leases.
    services.lifecycle.start({
      intervalMs: once ? (options.lifecycleIntervalMs ?? 60_000) : 0,
      leaseMs: options.lifecycleLeaseMs,
    });
    return {
      config,
      store,
      index,
      http: app,
      services,
      bootstrapToken,
      demoLoaded: demo?.loaded ?? false,
      consoleServed: config.consoleDir !== null && existsSync(path.join(config.consoleDir, 'index.html')),
      revocationRetrier,
      issuer,
      maintenance,
      postureWatcher,
      lifecycle: services.lifecycle,
      async close() {
        for (const off of stopTail) off();
        await services.lifecycle.stop();
        await revocationRetrier.stop();
        await maintenance.stop();
        await postureWatcher?.close();
        await services.detection.close();
        await tail?.stop();
        await services.auditTrail.close();
        await services.authz.close();
        await pgListener?.stop();
        await app.close();
        await services.feed.stop();
        bus.close();
        await store.close();
      },
    };
  } catch (err) {
    await tail?.stop();
    await store.close();
    throw err;
  }
}
