/**
 * Posture routes: `POST /v1/posture/evaluate` (admin) runs the findings engine over the estate, or
 * over the given identities, and answers with what changed. The findings themselves are listed by
 * the discovery routes (`GET /v1/findings?code=NHI5`). `GET /v1/posture/right-size/:identityId`
 * (auditor) proposes a least-privilege policy from the identity's use. All logic is in posture/.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { PostureEngine } from '../../posture/posture-engine.js';
import type { RightSizer } from '../../posture/right-sizing.js';
import { actorOf } from '../auth-hook.js';

const EvaluateBody = Type.Object(
  {
    identityIds: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { minItems: 1, maxItems: 10_000 }),
    ),
  },
  { additionalProperties: false },
);

const RightSizeParams = Type.Object({ identityId: Type.String({ minLength: 1, maxLength: 200 }) });
const RightSizeQuery = Type.Object(
  { window_days: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })) },
  { additionalProperties: false },
);

export function registerPostureRoutes(
  app: FastifyInstance,
  deps: { posture: PostureEngine; rightSizer: RightSizer },
): void {
  // Read-only (auditor or better): a proposal changes nothing; applying it is the caller's step.
  app.get(
    '/v1/posture/right-size/:identityId',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['posture'],
        summary: 'Granted vs used permissions of an identity, and the least-privilege policy from its use',
        params: RightSizeParams,
        querystring: RightSizeQuery,
      },
    },
    async (request) => {
      const { identityId } = request.params as { identityId: string };
      const q = request.query as { window_days?: number };
      return deps.rightSizer.propose(identityId, q.window_days ? { windowDays: q.window_days } : {});
    },
  );

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
