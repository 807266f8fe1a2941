/**
 * POST /v1/audit/events: how the MCP gateway records what happened to a tool call after
 * /v1/authorize decided it (the decision itself is audited by /v1/authorize). Deliberately narrow:
 * an operator (or admin) token, and only `mcp.*` event types, so this can never forge the
 * lifecycle events Keyward itself writes. The gateway verified the agent's token before it calls
 * this and names the agent as the actor; the API token that recorded it is kept in
 * `details.recordedBy`.
 */
import type { McpAuditEventInput } from '@keyward/sdk';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AuditTrail } from '../../audit/audit-trail.js';
import { newId } from '../../ids.js';
import { actorOf } from '../auth-hook.js';

const strict = { additionalProperties: false } as const;
const Str = Type.String({ minLength: 1, maxLength: 300 });
const McpEventInput = Type.Object(
  {
    type: Type.String({ pattern: '^mcp\\.[a-z_]+(\\.[a-z_]+)*$', maxLength: 64 }),
    actor: Str,
    action: Type.Optional(Str),
    targetId: Type.Optional(Str),
    taskId: Type.Optional(Str),
    delegationChain: Type.Optional(Type.Array(Str, { maxItems: 32 })),
    outcome: Type.Union([Type.Literal('success'), Type.Literal('failure'), Type.Literal('denied')]),
    policyIds: Type.Optional(Type.Array(Str, { maxItems: 100 })),
    details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  strict,
);

export function registerMcpAuditRoutes(app: FastifyInstance, trail: AuditTrail): void {
  app.post(
    '/v1/audit/events',
    {
      config: { permission: 'write' },
      schema: {
        tags: ['audit'],
        summary: 'Record an mcp.* event (the MCP gateway: a tool call and its outcome)',
        body: McpEventInput,
        response: { 201: Type.Object({ id: Type.String(), seq: Type.Integer() }) },
      },
    },
    async (request, reply) => {
      const b = request.body as McpAuditEventInput;
      const stored = await trail.writer.append({
        id: newId('auditEvent'),
        time: new Date().toISOString(),
        actor: b.actor,
        type: b.type,
        action: b.action ?? null,
        targetId: b.targetId ?? null,
        taskId: b.taskId ?? null,
        delegationChain: b.delegationChain ?? [],
        outcome: b.outcome,
        policyIds: b.policyIds ?? [],
        source: {
          ip: request.ip,
          ...(request.headers['user-agent'] ? { userAgent: request.headers['user-agent'] } : {}),
        },
        details: { ...b.details, recordedBy: actorOf(request) },
      });
      return reply.code(201).send({ id: stored.id, seq: stored.seq });
    },
  );
}
