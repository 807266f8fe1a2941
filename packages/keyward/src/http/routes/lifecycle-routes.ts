/**
 * Lifecycle routes: `GET /v1/lifecycle/offboarding` (offboarding cases, filters and cursor pages),
 * `GET /v1/lifecycle/offboarding/:id` (read), and `POST /v1/lifecycle/run` (admin: runs every
 * lifecycle job now and says what each did).
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Lifecycle } from '../../lifecycle/lifecycle-service.js';
import type { OffboardingState } from '../../storage/lifecycle-stores.js';

const strict = { additionalProperties: false } as const;
const Id = Type.String({ minLength: 1, maxLength: 200 });
const STATES = ['orphaning', 'awaiting_reassignment', 'closed'] as const;

export function registerLifecycleRoutes(app: FastifyInstance, deps: { lifecycle: Lifecycle }): void {
  app.get(
    '/v1/lifecycle/offboarding',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['lifecycle'],
        summary: 'Offboarding cases: one per departed human, with the identities orphaned and their fate',
        querystring: Type.Object(
          {
            state: Type.Optional(Type.Union(STATES.map((s) => Type.Literal(s)))),
            humanId: Type.Optional(Id),
            cursor: Type.Optional(Type.String({ maxLength: 60 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
          },
          strict,
        ),
      },
    },
    async (request) => {
      const { cursor, limit, ...filter } = request.query as {
        state?: OffboardingState;
        humanId?: string;
        cursor?: string;
        limit?: number;
      };
      return deps.lifecycle.offboarding.list(filter, {
        ...(cursor ? { cursor } : {}),
        ...(limit ? { limit } : {}),
      });
    },
  );

  app.get(
    '/v1/lifecycle/offboarding/:id',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['lifecycle'],
        summary: 'One offboarding case',
        params: Type.Object({ id: Id }, strict),
      },
    },
    async (request) => deps.lifecycle.offboarding.get((request.params as { id: string }).id),
  );

  app.post(
    '/v1/lifecycle/run',
    {
      config: { permission: 'admin' },
      schema: {
        tags: ['lifecycle'],
        summary: 'Run every lifecycle job now (offboarding, expiry); reports each',
      },
    },
    async () => ({ jobs: await deps.lifecycle.runOnce() }),
  );
}
