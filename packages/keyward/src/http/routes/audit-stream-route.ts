/**
 * `GET /v1/audit/stream`: committed audit events as Server-Sent Events (`id:` is the seq, `event:
 * audit`, `data:` the event JSON). A client resumes with `Last-Event-ID` (or `?lastEventId=`) and gets
 * every event after that seq, then live ones; without it the stream starts at the current head.
 * Authentication as for every route (Bearer token, read permission). A comment line every 15 s keeps
 * proxies from closing an idle stream.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AuditFeed } from '../../audit/audit-feed.js';
import { KeywardError } from '../../errors.js';

const HEARTBEAT_MS = 15_000;

export function registerAuditStreamRoute(app: FastifyInstance, feed: AuditFeed): void {
  app.get(
    '/v1/audit/stream',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['audit'],
        summary: 'Live audit events (text/event-stream), resumable with Last-Event-ID',
        querystring: Type.Object({ lastEventId: Type.Optional(Type.String({ maxLength: 20 })) }),
      },
    },
    async (request, reply) => {
      const raw = request.headers['last-event-id'] ?? (request.query as { lastEventId?: string }).lastEventId;
      const text = Array.isArray(raw) ? raw[0] : raw;
      if (text !== undefined && !/^\d{1,15}$/.test(text)) {
        throw new KeywardError('validation_failed', 'Last-Event-ID must be an event seq');
      }
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write(': keyward audit stream\n\n');
      const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
      let closed = false;
      let sub: { close(): void } | undefined;
      request.raw.on('close', () => {
        closed = true;
        clearInterval(heartbeat);
        sub?.close();
      });
      sub = await feed.subscribe(
        text === undefined ? undefined : Number(text),
        (e) => res.write(`id: ${e.seq}\nevent: audit\ndata: ${JSON.stringify(e)}\n\n`),
        () => res.end(),
      );
      // The client may have gone while the subscription caught up.
      if (closed) sub.close();
    },
  );
}
