/**
 * One dedicated PostgreSQL connection per process for LISTEN/NOTIFY between replicas (a pooled
 * connection could be handed to a query mid-LISTEN). It listens on the given channels and sends
 * NOTIFYs of its own. A dropped connection is retried every second; when it is back, every
 * channel's handler is called once with no payload, for whatever was missed meanwhile (consumers
 * re-read; they also poll, so a gap only delays them).
 */
import pg from 'pg';

export interface PgListenerOptions {
  url: string;
  schema?: string | undefined;
  /** Channel → handler (payload undefined after a (re)connect). Channel names must be identifiers. */
  channels: Record<string, (payload: string | undefined) => void>;
  onError: (err: unknown) => void;
  retryMs?: number;
}

export interface PgListener {
  /** NOTIFY `channel` with `payload`; dropped (reported to onError) while disconnected. */
  notify(channel: string, payload: string): void;
  stop(): Promise<void>;
}

export function startPgListener(options: PgListenerOptions): PgListener {
  let client: pg.Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const channels = Object.keys(options.channels);

  const scheduleRetry = () => {
    if (stopped || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      void connect();
    }, options.retryMs ?? 1000);
    retry.unref();
  };

  async function connect(): Promise<void> {
    const c = new pg.Client({
      connectionString: options.url,
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    });
    c.on('notification', (n) => options.channels[n.channel]?.(n.payload ?? ''));
    c.on('error', (err) => {
      options.onError(err);
      c.end().catch(() => {});
      if (client === c) client = undefined;
      scheduleRetry();
    });
    try {
      await c.connect();
      for (const channel of channels) await c.query(`LISTEN ${channel}`);
      if (stopped) {
        await c.end();
        return;
      }
      client = c;
      // Whatever was sent while we were not listening.
      for (const channel of channels) options.channels[channel]!(undefined);
    } catch (err) {
      options.onError(err);
      await c.end().catch(() => {});
      scheduleRetry();
    }
  }

  void connect();
  return {
    notify(channel, payload) {
      if (!client) {
        options.onError(new Error(`NOTIFY ${channel} dropped: the LISTEN connection is down`));
        return;
      }
      client.query('select pg_notify($1, $2)', [channel, payload]).catch(options.onError);
    },
    async stop() {
      stopped = true;
      if (retry) clearTimeout(retry);
      await client?.end().catch(() => {});
    },
  };
}
