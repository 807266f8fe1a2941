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
import { createApiTokenService } from './auth/api-token-service.js';
import { loadOrCreateBrokerKey } from './brokers/broker-key-file.js';
import { registerBrokerMetrics } from './brokers/broker-metrics.js';
import { createBrokeredDatabaseService } from './brokers/brokered-database-service.js';
import { createCredentialBroker } from './brokers/credential-broker.js';
import type { RevocationObserver } from './brokers/lease-revoker.js';
import { createRevocationRetrier, type RevocationRetrier } from './brokers/revocation-retrier.js';
import { createAesGcmSecretBox, type SecretBox } from './brokers/secret-box.js';
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
  /** Seals brokered databases' admin passwords; default: AES-256-GCM over <dataDir>/broker-secret.key. */
  secretBox?: SecretBox;
  /** How often the RevocationRetrier sweeps (expired leases, failed revocations); default 5 s. */
  revocationIntervalMs?: number;
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
  revocationRetrier: RevocationRetrier;
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
  secrets: SecretBox,
  observer: RevocationObserver,
) {
  const audit = createAuditRecorder(now);
  const deps = { store, graph: index, audit, now };
  const brokeredDatabases = createBrokeredDatabaseService({ store, secrets, audit, now });
  return {
    brokeredDatabases,
    broker: createCredentialBroker({ store, databases: brokeredDatabases, audit, now, observer }),
    tokens: createApiTokenService({ store, audit, now }),
    identities: createIdentityService(deps),
    humans: createHumanService(deps),
    resources: createResourceService(deps),
    edges: createEdgeService(deps),
    graph: createGraphQueryService({ store, index }),
    summary: createSummaryService({ store, index, now }),
  };
}

export async function createKeyward(config: KeywardConfig, options: KeywardOptions = {}): Promise<Keyward> {
  const now = options.now ?? (() => new Date());
  const store = await openConfiguredStore(config, options.pgSchema);
  try {
    await store.migrate();
    const demo = options.demo ? await loadDemoEstate(store, now()) : undefined;
    const index = await loadGraphIndex(store);
    const metrics = createMetricsRegistry();
    const observer = registerBrokerMetrics(metrics, () => store.leases.countByStatus());
    const secrets = options.secretBox ?? createAesGcmSecretBox(loadOrCreateBrokerKey(config.dataDir));
    const services = createServices(store, index, now, secrets, observer);
    const bootstrapToken = await services.tokens.bootstrap();
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
      { bodyLimit: config.bodyLimit, version: KEYWARD_VERSION, logger: { level: config.logLevel } },
    );
    const revocationRetrier = createRevocationRetrier({
      sweep: () => services.broker.processDue(),
      intervalMs: options.revocationIntervalMs ?? 5_000,
      onError: (err) => http.log.error({ err }, 'revocation sweep failed'),
    });
    revocationRetrier.start();
    return {
      config,
      store,
      index,
      http,
      services,
      bootstrapToken,
      demoLoaded: demo?.loaded ?? false,
      revocationRetrier,
      async close() {
        await revocationRetrier.stop();
        await http.close();
        await store.close();
      },
    };
  } catch (err) {
    await store.close();
    throw err;
  }
}
