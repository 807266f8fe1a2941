/**
 * The one wiring file: opens the store, migrates, builds the graph index, creates every service
 * with only the dependencies it uses, and builds the HTTP face over them. The CLI's `serve`, the
 * tests and the benchmarks all start Keyward through here.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Gauge } from 'prom-client';
import { createAuditRecorder } from './audit/audit-recorder.js';
import { createAuditTrail } from './audit/audit-trail.js';
import { type CheckpointSigner, createEphemeralSigner } from './audit/checkpoint-signer.js';
import type { SinkConfig } from './audit/sinks/sink-config.js';
import { createApiTokenService } from './auth/api-token-service.js';
import type { KeywardConfig } from './config.js';
import { loadDemoEstate } from './demo/demo-loader.js';
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
import { openStore } from './storage/open-store.js';
import type { Store } from './storage/storage-types.js';
import { KEYWARD_VERSION } from './version.js';

export interface KeywardOptions {
  /** Load the demo estate if the store holds no identities yet. */
  demo?: boolean;
  now?: () => Date;
  /** For tests: a PostgreSQL schema to isolate in. */
  pgSchema?: string;
  /**
   * Signs audit checkpoints. Default: an Ed25519 key generated in memory at start (to be replaced by
   * Keyward's signing-key service at merge).
   */
  auditSigner?: CheckpointSigner;
  /** Audit export sinks, in addition to those configured by KEYWARD_AUDIT_SINKS. */
  auditSinks?: SinkConfig[];
  auditCheckpointEveryEvents?: number;
  auditCheckpointEveryMs?: number;
  /** Registers the test-only `POST /v1/audit/_burst` route (appends N events through the AuditWriter). */
  auditTestRoutes?: boolean;
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
  close(): Promise<void>;
}

export async function openConfiguredStore(config: KeywardConfig, pgSchema?: string): Promise<Store> {
  if (config.databaseUrl) {
    return openStore({
      backend: 'postgres',
      url: config.databaseUrl,
      ...(pgSchema ? { schema: pgSchema } : {}),
    });
  }
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  return openStore({ backend: 'sqlite', file: path.join(config.dataDir, 'keyward.db') });
}

function createServices(
  store: Store,
  index: GraphIndex,
  now: () => Date,
  trailOptions: { signer: CheckpointSigner; sinks: SinkConfig[]; everyEvents?: number; everyMs?: number },
) {
  const audit = createAuditRecorder(now);
  const deps = { store, graph: index, audit, now };
  return {
    tokens: createApiTokenService({ store, audit, now }),
    identities: createIdentityService(deps),
    humans: createHumanService(deps),
    resources: createResourceService(deps),
    edges: createEdgeService(deps),
    graph: createGraphQueryService({ store, index }),
    summary: createSummaryService({ store, index, now }),
    auditTrail: createAuditTrail({
      store,
      now,
      signer: trailOptions.signer,
      sinks: trailOptions.sinks,
      checkpointEveryEvents: trailOptions.everyEvents,
      checkpointEveryMs: trailOptions.everyMs,
    }),
  };
}

export async function createKeyward(config: KeywardConfig, options: KeywardOptions = {}): Promise<Keyward> {
  const now = options.now ?? (() => new Date());
  const store = await openConfiguredStore(config, options.pgSchema);
  try {
    await store.migrate();
    const demo = options.demo ? await loadDemoEstate(store, now()) : undefined;
    const index = await loadGraphIndex(store);
    const services = createServices(store, index, now, {
      signer: options.auditSigner ?? (await createEphemeralSigner()),
      sinks: [...config.auditSinks, ...(options.auditSinks ?? [])],
      ...(options.auditCheckpointEveryEvents ? { everyEvents: options.auditCheckpointEveryEvents } : {}),
      ...(options.auditCheckpointEveryMs ? { everyMs: options.auditCheckpointEveryMs } : {}),
    });
    const bootstrapToken = await services.tokens.bootstrap();
    const metrics = createMetricsRegistry();
    new Gauge({
      name: 'keyward_graph_nodes',
      help: 'Nodes in the in-memory lineage graph',
      registers: [metrics],
      collect() {
        this.set(index.stats().nodes);
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
    const http = await buildHttpApp(
      { store, metrics, ...services },
      {
        bodyLimit: config.bodyLimit,
        version: KEYWARD_VERSION,
        logger: { level: config.logLevel },
        auditTestRoutes: options.auditTestRoutes ?? false,
      },
    );
    services.auditTrail.start();
    return {
      config,
      store,
      index,
      http,
      services,
      bootstrapToken,
      demoLoaded: demo?.loaded ?? false,
      async close() {
        await services.auditTrail.close();
        await http.close();
        await store.close();
      },
    };
  } catch (err) {
    await store.close();
    throw err;
  }
}
