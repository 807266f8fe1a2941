/**
 * Audit routes (auditor and up): query the log, verify it, export it (JSON lines or OCSF), list and
 * make checkpoints. The live stream is in audit-stream-route.ts.
 */
import { Readable } from 'node:stream';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AuditTrail } from '../../audit/audit-trail.js';
import type { AuditFilter } from '../../audit/audit-types.js';
import { isRotating } from '../../audit/checkpoint-signer.js';
import { KeywardError } from '../../errors.js';
import { newId } from '../../ids.js';
import { actorOf } from '../auth-hook.js';

const Seq = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
const Str = Type.String({ minLength: 1, maxLength: 200 });
const Time = Type.String({ format: 'date-time', maxLength: 40 });

export function registerAuditRoutes(
  app: FastifyInstance,
  trail: AuditTrail,
  o: { testRoutes: boolean },
): void {
  app.get(
    '/v1/audit/events',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['audit'],
        summary:
          'Audit events in seq order (order=desc: newest first); identityId matches the actor or the target',
        querystring: Type.Object(
          {
            identityId: Type.Optional(Str),
            taskId: Type.Optional(Str),
            outcome: Type.Optional(
              Type.Union([Type.Literal('success'), Type.Literal('failure'), Type.Literal('denied')]),
            ),
            type: Type.Optional(Str),
            from: Type.Optional(Time),
            to: Type.Optional(Time),
            cursor: Type.Optional(Type.String({ maxLength: 20 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
            order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const { cursor, limit, order, ...filter } = request.query as AuditFilter & {
        cursor?: string;
        limit?: number;
        order?: 'asc' | 'desc';
      };
      return trail.list({ ...filter, newestFirst: order === 'desc' }, { cursor, limit });
    },
  );
  app.post(
    '/v1/audit/verify',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['audit'],
        summary: 'Verify the hash chain and the checkpoints; names the first bad event',
        body: Type.Optional(Type.Object({ fromSeq: Type.Optional(Seq) }, { additionalProperties: false })),
      },
    },
    async (request) => trail.verify((request.body ?? {}) as { fromSeq?: number }),
  );
  app.get(
    '/v1/audit/export',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['audit'],
        summary: 'The log as JSON lines: Keyward events (jsonl) or OCSF objects (ocsf)',
        querystring: Type.Object(
          {
            format: Type.Optional(Type.Union([Type.Literal('jsonl'), Type.Literal('ocsf')])),
            afterSeq: Type.Optional(Seq),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const q = request.query as { format?: 'jsonl' | 'ocsf'; afterSeq?: number };
      reply.type('application/x-ndjson');
      return reply.send(Readable.from(trail.exportLines(q.format ?? 'jsonl', q.afterSeq ?? 0)));
    },
  );
  app.get(
    '/v1/audit/checkpoints',
    {
      config: { permission: 'read' },
      schema: { tags: ['audit'], summary: 'Signed checkpoints in seq order' },
    },
    async () => ({ items: await trail.checkpoints(), kid: trail.signer.kid }),
  );
  app.post(
    '/v1/audit/checkpoints',
    {
      config: { permission: 'admin' },
      schema: { tags: ['audit'], summary: 'Checkpoint the chain head now' },
    },
    async (_request, reply) => reply.code(201).send(await trail.checkpointer.checkpoint('manual')),
  );
  app.get(
    '/v1/audit/checkpoint-keys',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['audit'],
        summary: 'Public keys of the checkpoint signing keys, active and retired (JWK)',
      },
    },
    async () => ({
      items: isRotating(trail.signer) ? await trail.signer.publicKeys() : [],
      activeKid: trail.signer.kid,
    }),
  );
  app.post(
    '/v1/audit/checkpoint-keys/rotate',
    {
      config: { permission: 'admin' },
      schema: {
        tags: ['audit'],
        summary: 'Rotate the checkpoint signing key (the old public key is kept; audited)',
        body: Type.Optional(
          Type.Object(
            { reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })) },
            {
              additionalProperties: false,
            },
          ),
        ),
      },
    },
    async (request, reply) => {
      const signer = trail.signer;
      if (!isRotating(signer))
        throw new KeywardError('not_found', 'this server signs checkpoints with a key it does not keep');
      const reason = (request.body as { reason?: string } | undefined)?.reason;
      const kid = await signer.rotate(actorOf(request), reason ?? 'rotated by an admin');
      return reply.code(201).send({ kid });
    },
  );
  if (o.testRoutes) registerBurstRoute(app, trail);
}

/**
 * Test-only: appends `count` events through the AuditWriter from `concurrency` loops and streams the
 * seq of each event as it is acknowledged (committed), one per line.
 */
function registerBurstRoute(app: FastifyInstance, trail: AuditTrail): void {
  app.post(
    '/v1/audit/_burst',
    {
      config: { permission: 'admin' },
      schema: {
        hide: true,
        body: Type.Object(
          {
            count: Type.Integer({ minimum: 1, maximum: 10_000_000 }),
            concurrency: Type.Optional(Type.Integer({ minimum: 1, maximum: 4096 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const { count, concurrency = 16 } = request.body as { count: number; concurrency?: number };
      const actor = actorOf(request);
      reply.hijack();
      reply.raw.writeHead(200, { 'content-type': 'text/plain' });
      let next = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < count) {
            const n = next++;
            const e = await trail.writer.append({
              id: newId('auditEvent'),
              time: new Date().toISOString(),
              actor,
              type: 'decision.evaluated',
              targetId: null,
              outcome: 'success',
              details: { burst: n },
            });
            reply.raw.write(`${e.seq}\n`);
          }
        }),
      );
      reply.raw.end();
    },
  );
}
