/**
 * LISTEN keyward_revocations on a dedicated PostgreSQL connection (a pooled one could be handed
 * to a query mid-LISTEN): another replica's revocation commits with a NOTIFY, and this replica's
 * feed reads the new rows at once. A dropped connection is retried every second; meanwhile the
 * feed's poll keeps events flowing, only later.
 */
import pg from 'pg';
import { REVOCATION_CHANNEL } from '../storage/sql/stores/revocation-event-sql-store.js';

export interface PgListenerOptions {
  url: string;
  schema?: string | undefined;
  onNotify: () => void;
  onError: (err: unknown) => void;
  retryMs?: number;
}

export function startPgRevocationListener(options: PgListenerOptions): { stop(): Promise<void> } {
  let client: pg.Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;

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
    c.on('notification', () => options.onNotify());
    c.on('error', (err) => {
      options.onError(err);
      c.end().catch(() => {});
      if (client === c) client = undefined;
      scheduleRetry();
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${REVOCATION_CHANNEL}`);
      if (stopped) {
        await c.end();
        return;
      }
      client = c;
      // Whatever committed while we were not listening.
      options.onNotify();
    } catch (err) {
      options.onError(err);
      await c.end().catch(() => {});
      scheduleRetry();
    }
  }

  void connect();
  return {
    async stop() {
      stopped = true;
      if (retry) clearTimeout(retry);
      await client?.end().catch(() => {});
    },
  };
}
