/**
 * Keyward's revocation feed, consumed two ways: `start()` holds the SSE stream open
 * (`GET /v1/revocations/feed`, fetch streaming + SseParser) with jittered exponential back-off and
 * `Last-Event-ID` resumption; `poll()` pages through `GET /v1/revocations/events?after=`. Both
 * share one cursor. Each `set` event's data is a compact SET, handed to `onSet` to verify and apply.
 */
import { type SseEvent, SseParser } from './sse-parser.js';

export interface RevocationFeedOptions {
  feedUrl: string;
  eventsUrl: string;
  apiToken: string;
  fetch: typeof fetch;
  /** Verifies and applies one SET; throws when it is not acceptable. */
  onSet: (set: string) => Promise<void>;
  onError: (err: Error) => void;
  /** First reconnect delay; default 250 ms (the server's `retry:` wins when larger). */
  minBackoffMs?: number | undefined;
  /** Longest reconnect delay; default 30 s. */
  maxBackoffMs?: number | undefined;
  /** Reconnect when nothing (not even a heartbeat) arrives for this long; default 60 s. */
  idleTimeoutMs?: number | undefined;
}

export interface RevocationFeedStatus {
  connected: boolean;
  /** The cursor: the last event id (sequence) applied. */
  lastEventId: string | undefined;
  lastEventAt: Date | undefined;
}

const POLL_LIMIT = 500;

export class RevocationFeed {
  private lastEventId: string | undefined;
  private lastEventAt: Date | undefined;
  private connected = false;
  /** When the stream was last lost (or first tried); undefined while connected or never started. */
  private downSince: number | undefined;
  private running = false;
  private started: Promise<void> | undefined;
  private closed = false;
  private controller: AbortController | undefined;
  private wake: (() => void) | undefined;
  private readonly minBackoff: number;
  private readonly maxBackoff: number;
  private readonly idleTimeout: number;

  constructor(private readonly o: RevocationFeedOptions) {
    this.minBackoff = o.minBackoffMs ?? 250;
    this.maxBackoff = o.maxBackoffMs ?? 30_000;
    this.idleTimeout = o.idleTimeoutMs ?? 60_000;
  }

  status(): RevocationFeedStatus {
    return { connected: this.connected, lastEventId: this.lastEventId, lastEventAt: this.lastEventAt };
  }

  /** How long the stream has been down, once started; undefined while connected or not started. */
  outageMs(): number | undefined {
    return this.running && !this.closed && this.downSince !== undefined
      ? Date.now() - this.downSince
      : undefined;
  }

  /** Starts the SSE loop; resolves once the stream is first open (retrying in the background). */
  start(): Promise<void> {
    if (!this.started) {
      this.running = true;
      this.downSince = Date.now();
      this.started = new Promise((resolve) => {
        void this.loop(resolve);
      });
    }
    return this.started;
  }

  /** One catch-up pass over the poll endpoint; returns how many events it applied. */
  async poll(): Promise<number> {
    let applied = 0;
    for (;;) {
      const url = new URL(this.o.eventsUrl);
      if (this.lastEventId !== undefined) url.searchParams.set('after', this.lastEventId);
      url.searchParams.set('limit', String(POLL_LIMIT));
      const res = await this.o.fetch(url, { headers: this.headers('application/json') });
      if (!res.ok)
        throw new Error(`revocation events: ${url.origin}${url.pathname} answered HTTP ${res.status}`);
      const page = (await res.json()) as {
        events?: Array<{ seq: number | string; set: string }>;
        next?: unknown;
      };
      const events = Array.isArray(page.events) ? page.events : [];
      for (const e of events) {
        await this.apply(e.set, String(e.seq));
        applied++;
      }
      if (page.next !== undefined && page.next !== null) this.lastEventId = String(page.next);
      if (events.length < POLL_LIMIT || page.next === null) return applied;
    }
  }

  close(): void {
    this.closed = true;
    this.controller?.abort();
    this.wake?.();
  }

  private headers(accept: string): Record<string, string> {
    return { accept, authorization: `Bearer ${this.o.apiToken}` };
  }

  private async apply(set: string, id: string | undefined): Promise<void> {
    try {
      await this.o.onSet(set);
    } catch (err) {
      this.o.onError(err instanceof Error ? err : new Error(String(err)));
    }
    // A refused SET is reported, not retried: resuming before it would loop on it forever.
    if (id !== undefined) this.lastEventId = id;
    this.lastEventAt = new Date();
  }

  private async loop(opened: () => void): Promise<void> {
    let attempt = 0;
    let retryMs: number | undefined;
    while (!this.closed) {
      const parser = new SseParser(this.lastEventId);
      let gotData = false;
      try {
        await this.connect(
          parser,
          () => {
            this.connected = true;
            this.downSince = undefined;
            opened();
          },
          () => {
            gotData = true;
          },
        );
        if (!this.closed) this.o.onError(new Error('revocation feed: stream ended; reconnecting'));
      } catch (err) {
        if (!this.closed) this.o.onError(err instanceof Error ? err : new Error(String(err)));
      } finally {
        if (this.connected) this.downSince = Date.now();
        this.connected = false;
      }
      retryMs = parser.retryMs ?? retryMs;
      attempt = gotData ? 0 : attempt + 1;
      if (this.closed) break;
      const base = Math.max(this.minBackoff, retryMs ?? 0);
      const delay = Math.min(this.maxBackoff, base * 2 ** Math.min(attempt, 16));
      await this.sleep(delay / 2 + Math.random() * (delay / 2));
    }
    opened();
  }

  private async connect(parser: SseParser, onOpen: () => void, onData: () => void): Promise<void> {
    const controller = new AbortController();
    this.controller = controller;
    let idle: ReturnType<typeof setTimeout> | undefined;
    const armIdle = () => {
      clearTimeout(idle);
      idle = setTimeout(() => controller.abort(), this.idleTimeout);
    };
    try {
      armIdle();
      const headers = this.headers('text/event-stream');
      if (this.lastEventId !== undefined) headers['last-event-id'] = this.lastEventId;
      const res = await this.o.fetch(this.o.feedUrl, { headers, signal: controller.signal });
      if (!res.ok || !res.body) {
        await res.body?.cancel();
        throw new Error(`revocation feed: ${this.o.feedUrl} answered HTTP ${res.status}`);
      }
      onOpen();
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        armIdle();
        onData();
        for (const event of parser.push(value)) await this.dispatch(event);
      }
    } finally {
      clearTimeout(idle);
      controller.abort();
    }
  }

  private async dispatch(event: SseEvent): Promise<void> {
    if (event.event !== 'set') {
      if (event.id !== undefined) this.lastEventId = event.id;
      return;
    }
    await this.apply(event.data.trim(), event.id);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
