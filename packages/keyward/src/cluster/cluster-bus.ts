/**
 * The cluster bus: how the processes of one `keyward serve --workers N` keep their in-memory state
 * coherent. Every process owns caches (entity slices, the decision cache, history counts, the
 * lineage graph, the revocation and audit feeds' positions) that the database alone does not
 * refresh; after a commit, the process that made it announces what changed here, the primary relays
 * the message to every other process, and each applies it. Messages say *what to re-read*, never
 * carry a secret, and are an optimisation over the database, which stays the truth: a lost message
 * delays a refresh (every consumer also polls), it never loses data.
 *
 * Transport: Node's cluster IPC channel (one pipe per worker, to the primary). A standalone server
 * uses the no-op bus.
 */
import type { GraphEdgeUpdate, GraphNodeUpdate } from '../graph/graph-updates.js';

export type BusMessage =
  /** Audit events were committed: the leader's tail and the live audit feeds read on. */
  | { t: 'audit' }
  /** An identity, human, resource, system or edge changed: drop entity slices and cached decisions. */
  | { t: 'inventory' }
  /** The active policy set changed. */
  | { t: 'policies' }
  /** Revocation events (or alert SETs) were written: the revocation feeds read on. */
  | { t: 'revocations' }
  /** A signing key was created, rotated or dropped. */
  | { t: 'signing-keys' }
  /** An API token was revoked: drop the tokens found so far. */
  | { t: 'api-tokens' }
  /** Decisions made elsewhere, for the history counts rate rules read: [key, epoch ms] pairs. */
  | { t: 'history'; adds: Array<[string, number]> }
  /** Changes to the lineage graph, in the order they were applied. */
  | {
      t: 'graph';
      ops: Array<
        ['node', GraphNodeUpdate] | ['add-edge', GraphEdgeUpdate] | ['remove-edge', GraphEdgeUpdate]
      >;
    };

export type BusMessageType = BusMessage['t'];
type Handler<T extends BusMessageType> = (message: Extract<BusMessage, { t: T }>) => void;

export interface ClusterBus {
  /** True when other processes share this server's state (publishing has an effect). */
  readonly clustered: boolean;
  /** Sends `message` to every other process of the cluster (not to this one). */
  publish(message: BusMessage): void;
  /** Handles messages of type `t` published by other processes; returns the unsubscribe. */
  on<T extends BusMessageType>(t: T, handler: Handler<T>): () => void;
  close(): void;
}

/** The envelope on the IPC channel, so Keyward's messages are told apart from anything else. */
export interface BusEnvelope {
  keywardBus: BusMessage;
}

export const isEnvelope = (m: unknown): m is BusEnvelope =>
  typeof m === 'object' && m !== null && 'keywardBus' in m;

/**
 * The bus core both transports share: handler registry plus delivery of received messages. A
 * handler's failure is reported, never thrown into the transport.
 */
export function createBusCore(onError: (err: unknown) => void) {
  const handlers = new Map<BusMessageType, Array<(m: BusMessage) => void>>();
  return {
    on<T extends BusMessageType>(t: T, handler: Handler<T>): () => void {
      const h = handler as (m: BusMessage) => void;
      handlers.set(t, [...(handlers.get(t) ?? []), h]);
      return () =>
        handlers.set(
          t,
          (handlers.get(t) ?? []).filter((x) => x !== h),
        );
    },
    deliver(message: BusMessage): void {
      for (const h of handlers.get(message.t) ?? []) {
        try {
          h(message);
        } catch (err) {
          onError(err);
        }
      }
    },
  };
}

/**
 * `bus`, plus delivery to this process's own handlers of messages that arrive another way (from
 * other replicas through PostgreSQL: replica-sync.ts).
 */
export function withLocalDelivery(
  bus: ClusterBus,
  onError: (err: unknown) => void,
): ClusterBus & { deliverLocal(message: BusMessage): void } {
  const local = createBusCore(onError);
  return {
    clustered: bus.clustered,
    publish: (message) => bus.publish(message),
    on(t, handler) {
      const offBus = bus.on(t, handler);
      const offLocal = local.on(t, handler);
      return () => {
        offBus();
        offLocal();
      };
    },
    close: () => bus.close(),
    deliverLocal: local.deliver,
  };
}

/** A standalone server's bus: nothing to tell, nobody to hear. */
export function localBus(): ClusterBus {
  return { clustered: false, publish() {}, on: () => () => {}, close() {} };
}

/**
 * Coalesces frequent messages per event-loop turn: one 'audit' (or 'inventory', …) however many
 * commits, and the history and graph entries of the turn in one message each.
 */
export function createCoalescer(post: (m: BusMessage) => void) {
  const flags = new Set<BusMessageType>();
  let history: Array<[string, number]> = [];
  let graph: Extract<BusMessage, { t: 'graph' }>['ops'] = [];
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    // Graph changes first: a receiver that then drops its caches re-reads a current graph.
    if (graph.length > 0) post({ t: 'graph', ops: graph });
    if (history.length > 0) post({ t: 'history', adds: history });
    graph = [];
    history = [];
    for (const t of flags) post({ t } as BusMessage);
    flags.clear();
  };
  return {
    publish(message: BusMessage): void {
      if (message.t === 'history') for (const a of message.adds) history.push(a);
      else if (message.t === 'graph') for (const op of message.ops) graph.push(op);
      else flags.add(message.t);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush: () => {
      if (scheduled) flush();
    },
  };
}

/** A cluster worker's bus over `process.send` / `process.on('message')` to the primary. */
export function workerBus(onError: (err: unknown) => void): ClusterBus {
  const send = process.send?.bind(process);
  if (!send) throw new TypeError('workerBus needs an IPC channel (run as a cluster worker)');
  const core = createBusCore(onError);
  let closed = false;
  const out = createCoalescer((m) => {
    if (closed || !process.connected) return;
    send({ keywardBus: m } satisfies BusEnvelope, undefined, {}, (err: Error | null) => {
      if (err) onError(err);
    });
  });
  const listener = (m: unknown): void => {
    if (isEnvelope(m)) core.deliver(m.keywardBus);
  };
  process.on('message', listener);
  return {
    clustered: true,
    publish: out.publish,
    on: core.on,
    close() {
      out.flush();
      closed = true;
      process.off('message', listener);
    },
  };
}
