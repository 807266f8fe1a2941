/**
 * The live side of the revocation feed: remembers the last seq it has read and, when poked, reads
 * newer events from the store and hands them, in seq order, to every subscriber (SSE streams).
 * Pokes come from this process after a commit, from PostgreSQL NOTIFY (another replica
 * committed), and from a safety-net poll, so a lost notification delays an event, never loses it.
 * Reads never overlap: a poke during a read schedules exactly one more read.
 */
import type { RevocationEvent, RevocationEventStore } from '../storage/storage-types.js';

export type FeedSubscriber = (event: RevocationEvent) => void;

export interface RevocationFeedDeps {
  events: RevocationEventStore;
  /** Safety-net poll period; 0 disables it (default 3000 ms). */
  pollMs?: number;
  onError: (err: unknown) => void;
}

export function createRevocationFeed(deps: RevocationFeedDeps) {
  const subscribers = new Set<FeedSubscriber>();
  let lastSeq = 0;
  let reading: Promise<void> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;

  async function readNew(): Promise<void> {
    for (;;) {
      const batch = await deps.events.listAfter(lastSeq, 500);
      for (const event of batch) {
        lastSeq = event.seq;
        for (const fn of subscribers) fn(event);
      }
      if (batch.length < 500) return;
    }
  }

  /** Reads whatever is new; resolves once every event committed before the call has been delivered. */
  function poke(): Promise<void> {
    if (reading) {
      again = true;
      return reading;
    }
    reading = (async () => {
      do {
        again = false;
        await readNew().catch(deps.onError);
      } while (again);
    })().finally(() => {
      reading = undefined;
    });
    return reading;
  }

  return {
    async start(): Promise<void> {
      lastSeq = await deps.events.lastSeq();
      const pollMs = deps.pollMs ?? 3000;
      if (pollMs > 0) {
        timer = setInterval(() => void poke(), pollMs);
        timer.unref();
      }
    },
    poke,
    /** The seq of the newest event delivered to subscribers. */
    lastSeq: () => lastSeq,
    subscribe(fn: FeedSubscriber): () => void {
      subscribers.add(fn);
      return () => subscribers.delete(fn);
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      subscribers.clear();
      await reading;
    },
  };
}

export type RevocationFeed = ReturnType<typeof createRevocationFeed>;
