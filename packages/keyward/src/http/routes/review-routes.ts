/**
 * Access review routes: `POST /v1/lifecycle/reviews` (admin: start a campaign), `GET
 * /v1/lifecycle/reviews` (campaigns, cursor pages), `GET /v1/lifecycle/reviews/:id` (one campaign
 * with its progress and items) and `POST /v1/lifecycle/reviews/:id/attest` (admin or operator).
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Lifecycle } from '../../lifecycle/lifecycle-service.js';
import type { ReviewDecision, ReviewState } from '../../storage/review-stores.js';
import { actorOf } from '../auth-hook.js';
import { Environment, Id, IdentityKind, Name } from '../schemas.js';

const strict = { additionalProperties: false } as const;
const DECISIONS = ['keep', 'reduce', 'retire'] as const;

export function registerReviewRoutes(app: FastifyInstance, deps: { lifecycle: Lifecycle }): void {
  const reviews = deps.lifecycle.reviews;

  app.post(
    '/v1/lifecycle/reviews',
    {
      config: { permission: 'admin' },
      schema: {
        tags: ['lifecycle'],
        summary:
          'Start an access review: every active identity in scope, for its owner to attest by the deadline',
        body: Type.Object(
          {
            name: Name,
            deadline: Type.String({ minLength: 10, maxLength: 40 }),
            environment: Type.Optional(Environment),
            kind: Type.Optional(IdentityKind),
          },
          strict,
        ),
      },
    },
    async (request, reply) => {
      const body = request.body as { name: string; deadline: string; environment?: string; kind?: string };
      reply.code(201);
      return reviews.start(actorOf(request), body);
    },
  );

  app.get(
    '/v1/lifecycle/reviews',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['lifecycle'],
        summary: 'Access review campaigns',
        querystring: Type.Object(
          {
            state: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closed')])),
            cursor: Type.Optional(Type.String({ maxLength: 60 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
          },
          strict,
        ),
      },
    },
    async (request) => {
      const { state, cursor, limit } = request.query as {
        state?: ReviewState;
        cursor?: string;
        limit?: number;
      };
      return reviews.list(state ? { state } : {}, {
        ...(cursor ? { cursor } : {}),
        ...(limit ? { limit } : {}),
      });
    },
  );

  app.get(
    '/v1/lifecycle/reviews/:id',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['lifecycle'],
        summary: 'One access review with its progress (per decision and per owner) and items',
        params: Type.Object({ id: Id }, strict),
      },
    },
    async (request) => reviews.show((request.params as { id: string }).id),
  );

  app.post(
    '/v1/lifecycle/reviews/:id/attest',
    {
      config: { permission: 'write' },
      schema: {
        tags: ['lifecycle'],
        summary:
          'Attest one identity of a review: keep, reduce (kept, recorded) or retire (disabled at once)',
        params: Type.Object({ id: Id }, strict),
        body: Type.Object(
          {
            identityId: Id,
            decision: Type.Union(DECISIONS.map((d) => Type.Literal(d))),
            note: Type.Optional(Type.String({ maxLength: 2000 })),
          },
          strict,
        ),
      },
    },
    async (request) => {
      const body = request.body as { identityId: string; decision: ReviewDecision; note?: string };
      return reviews.attest(
        actorOf(request),
        (request.params as { id: string }).id,
        body.identityId,
        body.decision,
        body.note ?? null,
      );
    },
  );
}
