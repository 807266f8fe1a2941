/**
 * Approval routes. Reading needs an API token (read); deciding is a human's own act, proven by
 * their ID token from a trusted federation issuer in X-Keyward-Human-Token (never by an API token):
 *   GET  /v1/approvals?status=&approver=&requester=&taskId=
 *   GET  /v1/approvals/{id}
 *   POST /v1/approvals/{id}/approve   {comment?}
 *   POST /v1/approvals/{id}/deny      {comment?}
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { type ApprovalService, HUMAN_TOKEN_HEADER } from '../../approvals/approval-service.js';
import { headerOf } from '../caller-auth.js';
import * as S from '../schemas.js';

const strict = { additionalProperties: false } as const;
const ApprovalId = Type.String({ pattern: '^apr_[0-9a-f]{32}$' });
const Status = Type.Union(['pending', 'approved', 'denied', 'expired'].map((s) => Type.Literal(s)));
export const ApprovalSchema = Type.Object(
  {
    id: Type.String(),
    status: Status,
    binding: Type.Object({
      principal: Type.String(),
      action: Type.String(),
      resource: Type.String(),
      argumentsHash: Type.String({ description: 'hex SHA-256 of the canonical JSON arguments, or ""' }),
    }),
    requesterId: Type.String(),
    taskId: S.Nullable(Type.String()),
    approverIds: Type.Array(Type.String()),
    policyIds: Type.Array(Type.String()),
    reason: Type.String(),
    delegationChain: Type.Array(Type.String()),
    createdAt: Type.String(),
    expiresAt: Type.String({ description: 'pending: expires unanswered then; approved: stops lifting then' }),
    decidedBy: S.Nullable(Type.String()),
    decidedAt: S.Nullable(Type.String()),
    comment: S.Nullable(Type.String()),
  },
  { $id: 'Approval' },
);
const ListQuery = Type.Object(
  {
    status: Type.Optional(Status),
    approver: Type.Optional(Type.String({ maxLength: 100 })),
    requester: Type.Optional(Type.String({ maxLength: 100 })),
    taskId: Type.Optional(Type.String({ maxLength: 100 })),
    cursor: Type.Optional(Type.String()),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  strict,
);
const IdParams = Type.Object({ id: ApprovalId }, strict);
const DecisionBody = Type.Optional(
  Type.Object({ comment: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })) }, strict),
);

export function registerApprovalRoutes(app: FastifyInstance, deps: { approvals: ApprovalService }): void {
  const tags = ['approvals'];
  app.addSchema(ApprovalSchema);
  const Approval = Type.Ref('Approval');
  app.get(
    '/v1/approvals',
    {
      config: { permission: 'read' },
      schema: {
        tags,
        summary: 'List approvals (e.g. pending ones a human may decide)',
        querystring: ListQuery,
        response: {
          200: Type.Object({ items: Type.Array(Approval), nextCursor: S.Nullable(Type.String()) }),
        },
      },
    },
    async (request) => {
      const q = request.query as { status?: never; approver?: string; requester?: string; taskId?: string };
      const { cursor, limit } = request.query as { cursor?: string; limit?: number };
      return deps.approvals.list(
        { status: q.status, approverId: q.approver, requesterId: q.requester, taskId: q.taskId },
        { cursor, limit },
      );
    },
  );
  app.get(
    '/v1/approvals/:id',
    {
      config: { permission: 'read' },
      schema: { tags, summary: 'One approval', params: IdParams, response: { 200: Approval } },
    },
    async (request) => deps.approvals.get((request.params as { id: string }).id),
  );
  for (const verb of ['approve', 'deny'] as const) {
    app.post(
      `/v1/approvals/:id/${verb}`,
      {
        config: { public: true },
        schema: {
          tags,
          summary: `${verb === 'approve' ? 'Approve' : 'Deny'} a pending approval (a listed approver, proven by X-Keyward-Human-Token)`,
          security: [],
          params: IdParams,
          body: DecisionBody,
          response: { 200: Approval },
        },
      },
      async (request) => {
        const comment = (request.body as { comment?: string } | undefined)?.comment;
        return deps.approvals[verb](
          (request.params as { id: string }).id,
          { humanToken: headerOf(request, HUMAN_TOKEN_HEADER) },
          comment,
        );
      },
    );
  }
}
