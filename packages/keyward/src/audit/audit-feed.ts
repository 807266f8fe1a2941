/**
 * AuditFeed: in-process pub/sub of committed audit events, in seq order, for the live stream.
 * It is fed after commit (Store.onAuditCommit, plus a slow poll that also picks up other processes'
 * appends) and always reads the events back from the log by seq, so a subscriber sees every
 * committed event exactly once and in order. A subscriber may start from any seq: it catches up from
 * the log, buffering live events meanwhile, then goes live.
 */
import type { CommitSource, Store } from '../storage/storage-types.js';
import type { AuditEvent } from './audit-types.js';

export interface AuditSubscription {
  close(): void;
}

interface Subscriber {
  pos: number;
  live: boolean;
  buffer: AuditEvent[];
  onEvent: (e: AuditEvent) => void;
  onClose: () => void;
}

export interface AuditFeed {
  /** Delivers every event with seq > afterSeq (default: from the current head on). */
  subscribe(
    afterSeq: number | undefined,
    onEvent: (e: AuditEvent) => void,
    onClose?: () => void,
  ): Promise<AuditSubscription>;
  close(): void;
}

export function createAuditFeed(
  store: Store,
  options: { pollMs?: number; commits?: CommitSource | undefined } = {},
): AuditFeed {
  const subscribers = new Set<Subscriber>();
  let lastSeq: number | undefined;
  let pumping: Promise<void> | undefined;
  let again = false;

  const deliver = (s: Subscriber, e: AuditEvent): void => {
    if (!s.live) s.buffer.push(e);
    else if (e.seq > s.pos) {
      s.pos = e.seq;
      s.onEvent(e);
    }
  };

  async function pump(): Promise<void> {
    do {
      again = false;
      lastSeq ??= (await store.audit.head()).seq;
      for (;;) {
        const page = await store.audit.list({ afterSeq: lastSeq }, 1000);
        for (const e of page) for (const s of subscribers) deliver(s, e);
        if (page.length > 0) lastSeq = page[page.length - 1]!.seq;
        if (page.length < 1000) break;
      }
    } while (again);
    pumping = undefined;
  }
  const wake = (): void => {
    if (subscribers.size === 0) {
      lastSeq = undefined;
      return;
    }
    if (pumping) again = true;
    else pumping = pump().catch(() => {});
  };

  const unsubscribe = (options.commits ?? store).onAuditCommit(wake);
  const timer = setInterval(wake, options.pollMs ?? 1000);
  timer.unref();

  return {
    async subscribe(afterSeq, onEvent, onClose = () => {}) {
      const s: Subscriber = { pos: afterSeq ?? -1, live: false, buffer: [], onEvent, onClose };
      subscribers.add(s);
      if (s.pos < 0) s.pos = (await store.audit.head()).seq;
      for (;;) {
        const page = await store.audit.list({ afterSeq: s.pos }, 1000);
        for (const e of page) {
          s.pos = e.seq;
          onEvent(e);
        }
        if (page.length < 1000) break;
      }
      s.live = true;
      for (const e of s.buffer.splice(0)) deliver(s, e);
      wake();
      return { close: () => subscribers.delete(s) };
    },
    close() {
      unsubscribe();
      clearInterval(timer);
      for (const s of subscribers) s.onClose();
      subscribers.clear();
    },
  };
}
