/**
 * Revocation routes: `POST /v1/revocations` (operator/admin) revokes a token, task, identity or
 * sponsor; the signed SETs it produces are served as a Server-Sent Events stream
 * (`GET /v1/revocations/feed`, resumable with Last-Event-ID, heartbeat comments every 15 s) and
 * as a poll (`GET /v1/revocations/events?after=&limit=`). Both need an API token of any role.
 */
import type { ServerResponse } from 'node:http';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { RevocationFeed } from '../../revocation/revocation-feed.js';
import type { RevocationService } from '../../revocation/revocation-service.js';
import type { RevocationEvent, Store } from '../../storage/storage-types.js';
import { actorOf } from '../auth-hook.js';

export interface RevocationRouteDeps {
  revocation: RevocationService;
  feed: RevocationFeed;
  store: Store;
  /** Heartbeat period of the SSE stream (default 15 s). */
  heartbeatMs?: number;
}

const strict = { additionalProperties: false } as const;
const Kind = Type.Union(['token', 'task', 'identity', 'sponsor'].map((k) => Type.Literal(k)));
const RevocationInput = Type.Object(
  {
    kind: Kind,
    id: Type.String({ minLength: 1, maxLength: 200 }),
    reason: Type.String({ minLength: 1, maxLength: 500 }),
  },
  strict,
);
const PollQuery = Type.Object(
  {
    after: Type.Optional(Type.Integer({ minimum: 0 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  strict,
);

const frame = (e: RevocationEvent): string => `id: ${e.seq}\nevent: set\ndata: ${e.set}\n\n`;

export function registerRevocationRoutes(app: FastifyInstance, deps: RevocationRouteDeps): void {
  const tags = ['revocation'];
  const streams = new Set<ServerResponse>();
  // Open streams would keep server.close() waiting forever.
  app.addHook('preClose', async () => {
    for (const res of streams) res.end();
  });

  app.post(
    '/v1/revocations',
    {
      config: { permission: 'write' },
      schema: { tags, summary: 'Revoke a token (jti), task, identity or sponsor', body: RevocationInput },
    },
    async (request) => {
      const { kind, id, reason } = request.body as {
        kind: 'token' | 'task' | 'identity' | 'sponsor';
        id: string;
        reason: string;
      };
      await deps.revocation.revoke(actorOf(request), kind, id, reason);
      return { kind, id, revoked: true };
    },
  );

  app.get(
    '/v1/revocations/events',
    {
      config: { permission: 'read' },
      schema: {
        tags,
        summary: 'Revocation SETs after a seq (poll form of the feed)',
        querystring: PollQuery,
      },
    },
    async (request) => {
      const { after = 0, limit = 100 } = request.query as { after?: number; limit?: number };
      const events = await deps.store.revocationEvents.listAfter(after, limit);
      return {
        events: events.map((e) => ({ seq: e.seq, set: e.set })),
        next: events.length > 0 ? events[events.length - 1]!.seq : after,
      };
    },
  );

  app.get(
    '/v1/revocations/feed',
    {
      config: { permission: 'read' },
      schema: { tags, summary: 'Revocation SETs as Server-Sent Events (resume with Last-Event-ID)' },
    },
    async (request, reply) => {
      const header = request.headers['last-event-id'];
      const resumeFrom = typeof header === 'string' && /^\d{1,15}$/.test(header) ? Number(header) : undefined;
      let sent = resumeFrom ?? deps.feed.lastSeq();
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write(': keyward revocation feed\n\n');
      streams.add(res);
      let backlog: RevocationEvent[] | undefined = [];
      const send = (e: RevocationEvent) => {
        if (e.seq <= sent) return;
        sent = e.seq;
        res.write(frame(e));
      };
      // Subscribe first, replay second, then drain what arrived meanwhile: nothing is lost or doubled.
      const unsubscribe = deps.feed.subscribe((e) => (backlog ? backlog.push(e) : send(e)));
      const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), deps.heartbeatMs ?? 15_000);
      heartbeat.unref();
      res.on('close', () => {
        clearInterval(heartbeat);
        unsubscribe();
        streams.delete(res);
      });
      try {
        if (resumeFrom !== undefined) {
          for (;;) {
            const batch = await deps.store.revocationEvents.listAfter(sent, 500);
            for (const e of batch) send(e);
            if (batch.length < 500) break;
          }
        }
      } catch (err) {
        request.log.error({ err }, 'revocation feed replay failed');
        res.end();
        return;
      }
      const pending = backlog;
      backlog = undefined;
      for (const e of pending) send(e);
    },
  );
}
