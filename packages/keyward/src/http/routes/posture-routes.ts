/**
 * Posture routes: `POST /v1/posture/evaluate` (admin) runs the findings engine over the estate, or
 * over the given identities, and answers with what changed. The findings themselves are listed by
 * the discovery routes (`GET /v1/findings?code=NHI5`). All logic is in posture/.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { PostureEngine } from '../../posture/posture-engine.js';
import { actorOf } from '../auth-hook.js';

const EvaluateBody = Type.Object(
  {
    identityIds: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { minItems: 1, maxItems: 10_000 }),
    ),
  },
  { additionalProperties: false },
);

export function registerPostureRoutes(app: FastifyInstance, deps: { posture: PostureEngine }): void {
  app.post(
    '/v1/posture/evaluate',
    {
      config: { permission: 'admin' },
      schema: {
        tags: ['posture'],
        summary: 'Evaluate the posture rules (OWASP NHI Top 10) and reconcile their findings',
        body: Type.Optional(EvaluateBody),
      },
    },
    async (request) => {
      const body = (request.body ?? {}) as { identityIds?: string[] };
      return deps.posture.evaluate(
        actorOf(request),
        body.identityIds ? { identityIds: body.identityIds } : {},
      );
    },
  );
}
