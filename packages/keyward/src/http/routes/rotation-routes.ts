/**
 * Rotation routes (src/lifecycle/rotation.ts): `GET /v1/lifecycle/rotations` (the records, newest
 * first), `POST /v1/lifecycle/rotations` (admin: rotate a target now; an API key's new secret is in
 * the answer, once), `GET /v1/lifecycle/rotations/due`, `GET /v1/lifecycle/rotations/:id`,
 * `POST /v1/lifecycle/rotations/:id/proposal` (admin: accept or dismiss the proposal a rotation
 * waits for) and `GET|PUT /v1/lifecycle/rotation-schedules`.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Lifecycle } from '../../lifecycle/lifecycle-service.js';
import { actorOf } from '../auth-hook.js';
import { Id } from '../schemas.js';

const strict = { additionalProperties: false } as const;
const Target = Type.String({
  minLength: 1,
  maxLength: 220,
  description: 'api-key:<name>, signing-key or pg-role:<brokered database>',
});

export function registerRotationRoutes(app: FastifyInstance, deps: { lifecycle: Lifecycle }): void {
  const rotation = deps.lifecycle.rotation;

  app.get(
    '/v1/lifecycle/rotations',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['lifecycle'],
        summary: 'Rotations, newest first',
        querystring: Type.Object(
          { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) },
          strict,
        ),
      },
    },
    async (request) => ({ items: await rotation.list((request.query as { limit?: number }).limit ?? 100) }),
  );

  app.post(
    '/v1/lifecycle/rotations',
    {
      config: { permission: 'admin' },
      schema: {
        tags: ['lifecycle'],
        summary:
          'Rotate a target now (or resume its pending rotation); with a proposal the rotation waits for its decision',
        body: Type.Object(
          {
            target: Target,
            overlapSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 90 * 86_400 })),
            proposal: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
            rightSize: Type.Optional(
              Type.Object(
                {
                  identityId: Type.String({ minLength: 1 }),
                  windowDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })),
                },
                strict,
              ),
            ),
          },
          strict,
        ),
      },
    },
    async (request, reply) => {
      const body = request.body as {
        target: string;
        overlapSeconds?: number;
        proposal?: unknown;
        rightSize?: { identityId: string; windowDays?: number };
      };
      const done = await rotation.run(actorOf(request), body.target, {
        overlapSeconds: body.overlapSeconds,
        proposal: body.proposal,
        rightSize: body.rightSize,
      });
      reply.code(201);
      return done;
    },
  );

  app.get(
    '/v1/lifecycle/rotations/due',
    {
      config: { permission: 'read' },
      schema: { tags: ['lifecycle'], summary: 'Credentials due or overdue for rotation by their schedule' },
    },
    async () => ({ items: await rotation.listDue() }),
  );

  app.get(
    '/v1/lifecycle/rotations/:id',
    {
      config: { permission: 'read' },
      schema: { tags: ['lifecycle'], summary: 'One rotation', params: Type.Object({ id: Id }, strict) },
    },
    async (request) => rotation.get((request.params as { id: string }).id),
  );

  app.post(
    '/v1/lifecycle/rotations/:id/proposal',
    {
      config: { permission: 'admin' },
      schema: {
        tags: ['lifecycle'],
        summary: 'Accept or dismiss the proposal a rotation waits for; the rotation becomes pending',
        params: Type.Object({ id: Id }, strict),
        body: Type.Object(
          { decision: Type.Union([Type.Literal('accept'), Type.Literal('dismiss')]) },
          strict,
        ),
      },
    },
    async (request) =>
      rotation.decide(
        actorOf(request),
        (request.params as { id: string }).id,
        (request.body as { decision: 'accept' | 'dismiss' }).decision,
      ),
  );

  app.get(
    '/v1/lifecycle/rotation-schedules',
    {
      config: { permission: 'read' },
      schema: { tags: ['lifecycle'], summary: 'Rotation schedules' },
    },
    async () => ({ items: await rotation.schedules.list() }),
  );

  app.put(
    '/v1/lifecycle/rotation-schedules',
    {
      config: { permission: 'admin' },
      schema: {
        tags: ['lifecycle'],
        summary: 'Set the rotation period of an identity, identity kind, API key name or the signing key',
        body: Type.Object(
          {
            subject: Type.String({
              minLength: 1,
              maxLength: 220,
              description: 'identity:<id>, kind:<kind>, api-key:<name> or signing-key',
            }),
            every: Type.String({ minLength: 1, maxLength: 20, description: 'e.g. 90d or P90D' }),
          },
          strict,
        ),
      },
    },
    async (request) => {
      const body = request.body as { subject: string; every: string };
      return rotation.schedules.set(actorOf(request), body.subject, body.every);
    },
  );
}
