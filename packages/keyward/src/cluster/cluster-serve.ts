/**
 * `keyward serve --workers N`: one Keyward over N HTTP worker processes, so request handling (HTTP
 * parsing, token signatures, Cedar, audit hashing) uses every core. Node's cluster module shares the
 * listening socket; connections are dealt to workers round-robin.
 *
 * The primary process is the leader: it migrates and prepares the store before any worker starts
 * (signing key, bootstrap token, demo estate: no two processes race to create them), runs the
 * background work that must happen once (maintenance, broker revocation retries, detection,
 * checkpoints, sinks: over every process's events, read back from the log), and relays the cluster
 * bus. Workers serve the API on the shared store. A worker that dies is replaced.
 *
 * Both backends work: PostgreSQL as for replicas; SQLite in WAL mode with `begin immediate`
 * transactions, every process writing through its own connection (SQLite serializes the writes).
 */
import cluster, { type Worker } from 'node:cluster';
import { createServer } from 'node:net';
import { createKeyward, type Keyward } from '../app.js';
import type { KeywardConfig } from '../config.js';
import {
  type BusMessage,
  type ClusterBus,
  createBusCore,
  createCoalescer,
  isEnvelope,
  workerBus,
} from './cluster-bus.js';
import { type AuditAck, createForwardingAuditWriter, isAuditForward } from './forwarding-audit-writer.js';

export interface ClusterServeOptions {
  config: KeywardConfig;
  workers: number;
  demo: boolean;
  auditTestRoutes: boolean;
  /** Called in the primary once every worker listens. */
  onReady(leader: Keyward, url: string): Promise<void>;
  log(line: string): void;
}

interface ReadyMessage {
  keywardReady: string;
}

const RESTART_DELAY_MS = 1000;
/** How the primary tells workers the port (a `--port 0` flag in their argv would mean another). */
const PORT_ENV = 'KEYWARD_CLUSTER_PORT';
const STOP_TIMEOUT_MS = 15_000;

/** The URL clients reach `host:port` at (a wildcard address is reached as localhost). */
function baseUrl(host: string, port: number): string {
  const h = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${h}:${port}`;
}

/** A free TCP port on `host`, for `--port 0`: workers must all bind the same one. */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, host, () => {
      const address = s.address();
      s.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** The primary's bus: its own messages go to every worker; a worker's go to the others and to it. */
function primaryBus(onError: (err: unknown) => void): ClusterBus & { attach(w: Worker): void } {
  const core = createBusCore(onError);
  const workers = new Set<Worker>();
  const sendTo = (w: Worker, m: BusMessage): void => {
    if (w.isConnected()) w.send({ keywardBus: m }, undefined, (err: Error | null) => err && onError(err));
  };
  const out = createCoalescer((m) => {
    for (const w of workers) sendTo(w, m);
  });
  return {
    clustered: true,
    publish: out.publish,
    on: core.on,
    close: () => out.flush(),
    attach(w) {
      workers.add(w);
      w.on('message', (m: unknown) => {
        if (!isEnvelope(m)) return;
        for (const other of workers) if (other !== w) sendTo(other, m.keywardBus);
        core.deliver(m.keywardBus);
      });
      w.on('exit', () => workers.delete(w));
    },
  };
}

export async function serveCluster(o: ClusterServeOptions): Promise<void> {
  if (cluster.isWorker) return runWorker(o);
  if (!Number.isInteger(o.workers) || o.workers < 1)
    throw new TypeError('workers must be a positive integer');
  const port = o.config.port === 0 ? await freePort(o.config.host) : o.config.port;
  // One issuer for every process: tokens signed by any worker name the same `iss`.
  const issuer = o.config.issuer ?? baseUrl(o.config.host, port);
  const config = { ...o.config, port, issuer };
  const bus = primaryBus((err) => o.log(`cluster bus: ${String(err)}`));
  const leader = await createKeyward(config, { demo: o.demo, cluster: { role: 'leader', bus } });
  let stopping = false;
  let ready = 0;
  let announced = false;
  let url = '';

  const fork = (): void => {
    const w = cluster.fork({ [PORT_ENV]: String(port), KEYWARD_ISSUER: issuer });
    bus.attach(w);
    // Workers' high-rate audit events: committed here, by the one AuditWriter of the cluster.
    w.on('message', (m: unknown) => {
      if (!isAuditForward(m)) return;
      const { id, events } = m.keywardAudit;
      const ack = (body: AuditAck['keywardAuditAck']): void => {
        if (w.isConnected()) w.send({ keywardAuditAck: body } satisfies AuditAck);
      };
      leader.services.auditTrail.writer.appendMany(events).then(
        (stored) => ack({ id, stored }),
        (err: unknown) => ack({ id, error: err instanceof Error ? err.message : String(err) }),
      );
    });
    w.on('message', (m: unknown) => {
      if (typeof m !== 'object' || m === null || !('keywardReady' in m)) return;
      url = (m as ReadyMessage).keywardReady;
      if (++ready === o.workers && !announced) {
        announced = true;
        void o.onReady(leader, url);
      }
    });
    w.on('exit', (code, signal) => {
      if (stopping) return;
      o.log(`keyward worker ${w.process.pid} exited (${signal ?? code}); starting a new one`);
      setTimeout(() => !stopping && fork(), RESTART_DELAY_MS).unref();
    });
  };
  for (let i = 0; i < o.workers; i++) fork();

  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    const exits = Object.values(cluster.workers ?? {}).map(
      (w) =>
        new Promise<void>((resolve) => {
          if (!w || w.isDead()) return resolve();
          w.once('exit', () => resolve());
          w.send({ keywardStop: true });
          setTimeout(() => w.process.kill('SIGKILL'), STOP_TIMEOUT_MS).unref();
        }),
    );
    await Promise.all(exits);
    await leader.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function runWorker(o: ClusterServeOptions): Promise<void> {
  // Listen for the stop first: the primary may stop a worker that is still starting.
  let keyward: Keyward | undefined;
  let stopRequested = false;
  let stopping = false;
  const stop = async (): Promise<void> => {
    stopRequested = true;
    if (stopping || !keyward) return;
    stopping = true;
    await keyward.close();
    process.exit(0);
  };
  process.on('message', (m: unknown) => {
    if (typeof m === 'object' && m !== null && 'keywardStop' in m) void stop();
  });
  // The primary stops workers itself; a terminal's Ctrl-C reaches the whole group.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => void stop());
  process.on('disconnect', () => void stop());

  const bus = workerBus((err) => o.log(`cluster bus: ${String(err)}`));
  const config = { ...o.config, port: Number(process.env[PORT_ENV]) };
  keyward = await createKeyward(config, {
    cluster: { role: 'worker', bus, auditWriter: createForwardingAuditWriter() },
    auditTestRoutes: o.auditTestRoutes,
  });
  if (stopRequested) return stop();
  const id = String(cluster.worker?.id ?? process.pid);
  // Which process answered: for operators reading logs and for the cluster tests.
  keyward.http.server.prependListener('request', (_req, res) => res.setHeader('x-keyward-worker', id));
  const address = await keyward.http.listen({ host: config.host, port: config.port });
  if (stopRequested) return stop();
  process.send?.({ keywardReady: address } satisfies ReadyMessage);
}
