/**
 * A cluster worker's AuditWriter: the high-rate events (decisions, token refusals, reported
 * activity) go to the leader, whose one AuditWriter group-commits every worker's events into the
 * chain. One writer, not N: the chain head is a single serialization point, and N processes
 * taking turns at it (a row lock on PostgreSQL, the write lock on SQLite) commit smaller groups
 * and wait on each other. Each event loop turn's appends travel as one message; a caller's promise
 * resolves when the leader's group holding its events COMMITTED (the same guarantee as locally).
 */
import type { AuditEvent, AuditEventInput } from '../audit/audit-types.js';
import type { AuditWriter } from '../audit/audit-writer.js';

export interface AuditForward {
  keywardAudit: { id: number; events: AuditEventInput[] };
}
export interface AuditAck {
  keywardAuditAck: { id: number; stored?: AuditEvent[]; error?: string };
}

export const isAuditForward = (m: unknown): m is AuditForward =>
  typeof m === 'object' && m !== null && 'keywardAudit' in m;
const isAck = (m: unknown): m is AuditAck => typeof m === 'object' && m !== null && 'keywardAuditAck' in m;

interface Pending {
  count: number;
  resolve: (stored: AuditEvent[]) => void;
  reject: (err: unknown) => void;
}

export function createForwardingAuditWriter(): AuditWriter {
  const send = process.send?.bind(process);
  if (!send) throw new TypeError('a forwarding audit writer needs an IPC channel (a cluster worker)');
  let queue: { events: AuditEventInput[]; pending: Pending[] } = { events: [], pending: [] };
  const inFlight = new Map<number, Pending[]>();
  let nextId = 1;
  let scheduled = false;
  let closed = false;
  let drained: (() => void) | undefined;

  const fail = (pending: Pending[], err: unknown): void => {
    for (const p of pending) p.reject(err);
  };
  const flush = (): void => {
    scheduled = false;
    const batch = queue;
    queue = { events: [], pending: [] };
    if (batch.events.length === 0) return;
    const id = nextId++;
    inFlight.set(id, batch.pending);
    if (!process.connected) {
      inFlight.delete(id);
      fail(batch.pending, new Error('the cluster leader is gone; the events were not recorded'));
      return;
    }
    send({ keywardAudit: { id, events: batch.events } } satisfies AuditForward, undefined, {}, (err) => {
      if (!err || !inFlight.delete(id)) return;
      fail(batch.pending, err);
    });
  };
  const onMessage = (m: unknown): void => {
    if (!isAck(m)) return;
    const { id, stored, error } = m.keywardAuditAck;
    const pending = inFlight.get(id);
    if (!pending) return;
    inFlight.delete(id);
    if (error !== undefined || !stored) fail(pending, new Error(error ?? 'audit append failed'));
    else {
      let at = 0;
      for (const p of pending) {
        p.resolve(stored.slice(at, at + p.count));
        at += p.count;
      }
    }
    if (inFlight.size === 0 && drained) drained();
  };
  process.on('message', onMessage);
  process.on('disconnect', () => {
    for (const pending of inFlight.values()) fail(pending, new Error('the cluster leader is gone'));
    inFlight.clear();
    drained?.();
  });

  function appendMany(events: readonly AuditEventInput[]): Promise<AuditEvent[]> {
    if (closed) return Promise.reject(new Error('audit writer is closed'));
    if (events.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      for (const e of events) queue.events.push(e);
      queue.pending.push({ count: events.length, resolve, reject });
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });
  }

  async function flushAll(): Promise<void> {
    if (scheduled) flush();
    if (inFlight.size === 0) return;
    await new Promise<void>((resolve) => {
      drained = resolve;
    });
    drained = undefined;
  }

  return {
    append: async (event) => (await appendMany([event]))[0]!,
    appendMany,
    flush: flushAll,
    async close() {
      closed = true;
      await flushAll();
      process.off('message', onMessage);
    },
  };
}
