/** Admin routes: API tokens (admin only) and the estate summary. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { ApiTokenService } from '../../auth/api-token-service.js';
import type { SummaryService } from '../../inventory/summary-service.js';
import { actorOf } from '../auth-hook.js';
import * as S from '../schemas.js';

export interface AdminRouteDeps {
  tokens: ApiTokenService;
  summary: SummaryService;
}

export function registerAdminRoutes(app: FastifyInstance, { tokens, summary }: AdminRouteDeps): void {
  app.post(
    '/v1/api-tokens',
    {
      config: { permission: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'Create an API token; the secret is in this response only',
        body: S.ApiTokenInput,
        response: { 201: Type.Object({ token: S.ApiToken, secret: Type.String() }) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await tokens.create(actorOf(request), request.body as never)),
  );
  app.get(
    '/v1/api-tokens',
    {
      config: { permission: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'List API tokens (never their secrets)',
        querystring: Type.Object(S.PageQuery, { additionalProperties: false }),
        response: { 200: S.Page(S.ApiToken) },
      },
    },
    async (request) => tokens.list(request.query as { cursor?: string; limit?: number }),
  );
  app.delete(
    '/v1/api-tokens/:id',
    {
      config: { permission: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'Revoke an API token',
        params: S.IdParams,
        response: { 200: S.ApiToken },
      },
    },
    async (request) => tokens.revoke(actorOf(request), (request.params as { id: string }).id),
  );
  app.get(
    '/v1/whoami',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['admin'],
        summary: 'The API token this request carries: its id, name and role (what the console may offer)',
        response: {
          200: Type.Object({
            tokenId: Type.String(),
            name: Type.String(),
            role: Type.Union([Type.Literal('admin'), Type.Literal('operator'), Type.Literal('auditor')]),
          }),
        },
      },
    },
    async (request) => request.principal,
  );
  app.get(
    '/v1/summary',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['inventory'],
        summary: 'Estate summary: counts, hygiene figures and the widest blast radii',
        response: { 200: Type.Object({}, { additionalProperties: true }) },
      },
    },
    async () => summary.summary(),
  );
}
