/**
 * Detection routes: `POST /v1/activity` (operator and up) for resource servers to report credential
 * use; `GET /v1/alerts` (filters, cursor pages, newest first), `GET /v1/alerts/:id`,
 * `POST /v1/alerts/:id/ack|resolve` (operator and up; audited), and `GET /v1/baselines/:identityId`.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { ActivityItem, ActivityService } from '../../detection/activity-service.js';
import type { AlertService } from '../../detection/alert-service.js';
import {
  ALERT_KINDS,
  ALERT_SEVERITIES,
  ALERT_STATUSES,
  type AlertFilter,
} from '../../detection/alert-types.js';
import type { DetectionService } from '../../detection/detection-service.js';
import { notFound } from '../../errors.js';
import { actorOf } from '../auth-hook.js';

const strict = { additionalProperties: false } as const;
const Id = Type.String({ minLength: 1, maxLength: 200 });
const literals = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));

const ActivityItemSchema = Type.Object(
  {
    identityId: Type.Optional(Id),
    subject: Type.Optional(Id),
    action: Type.String({ minLength: 1, maxLength: 200 }),
    target: Type.Optional(Id),
    outcome: Type.Optional(literals(['success', 'denied', 'failure'])),
    source: Type.Optional(
      Type.Object(
        {
          ip: Type.Optional(Type.String({ maxLength: 64 })),
          userAgent: Type.Optional(Type.String({ maxLength: 500 })),
          workload: Type.Optional(Type.String({ maxLength: 500 })),
        },
        strict,
      ),
    ),
    time: Type.Optional(Type.String({ format: 'date-time', maxLength: 40 })),
    bytes: Type.Optional(Type.Integer({ minimum: 0 })),
    records: Type.Optional(Type.Integer({ minimum: 0 })),
    taskId: Type.Optional(Id),
  },
  strict,
);

const Note = Type.Optional(
  Type.Object({ note: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })) }, strict),
);

export function registerDetectionRoutes(
  app: FastifyInstance,
  deps: { alerts: AlertService; activity: ActivityService; detection: Pick<DetectionService, 'baselineOf'> },
): void {
  app.post(
    '/v1/activity',
    {
      config: { permission: 'write' },
      schema: {
        tags: ['detection'],
        summary: 'Report credential use seen by a resource server (recorded as activity.* audit events)',
        body: Type.Object({ items: Type.Array(ActivityItemSchema, { minItems: 1, maxItems: 1000 }) }, strict),
      },
    },
    async (request, reply) => {
      const { items } = request.body as { items: ActivityItem[] };
      return reply.code(201).send(await deps.activity.record(actorOf(request), items));
    },
  );

  app.get(
    '/v1/alerts',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['detection'],
        summary: 'Behavioural alerts, newest first',
        querystring: Type.Object(
          {
            status: Type.Optional(literals(ALERT_STATUSES)),
            kind: Type.Optional(literals(ALERT_KINDS)),
            severity: Type.Optional(literals(ALERT_SEVERITIES)),
            identityId: Type.Optional(Id),
            cursor: Type.Optional(Type.String({ maxLength: 60 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
          },
          strict,
        ),
      },
    },
    async (request) => {
      const { cursor, limit, ...filter } = request.query as AlertFilter & { cursor?: string; limit?: number };
      return deps.alerts.list(filter, { cursor, limit });
    },
  );

  app.get(
    '/v1/alerts/:id',
    {
      config: { permission: 'read' },
      schema: { tags: ['detection'], summary: 'One alert', params: Type.Object({ id: Id }, strict) },
    },
    async (request) => deps.alerts.get((request.params as { id: string }).id),
  );

  app.get(
    '/v1/baselines/:identityId',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['detection'],
        summary: "An identity's behavioural baseline (what detection considers normal for it)",
        params: Type.Object({ identityId: Id }, strict),
      },
    },
    async (request) => {
      const { identityId } = request.params as { identityId: string };
      const baseline = await deps.detection.baselineOf(identityId);
      if (!baseline) throw notFound('baseline of identity', identityId);
      return { identityId, ...baseline };
    },
  );

  for (const [verb, to] of [
    ['ack', 'acknowledge'],
    ['resolve', 'resolve'],
  ] as const) {
    app.post(
      `/v1/alerts/:id/${verb}`,
      {
        config: { permission: 'write' },
        schema: {
          tags: ['detection'],
          summary: verb === 'ack' ? 'Acknowledge an alert (audited)' : 'Resolve an alert (audited)',
          params: Type.Object({ id: Id }, strict),
          body: Note,
        },
      },
      async (request) => {
        const { id } = request.params as { id: string };
        const note = (request.body as { note?: string } | undefined)?.note;
        return deps.alerts[to](actorOf(request), id, note);
      },
    );
  }
}
