/** Routes for lineage edges and graph queries (lineage, blast radius, path). */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { EdgeService } from '../../graph/edge-service.js';
import type { GraphQueryService } from '../../graph/graph-query-service.js';
import { actorOf } from '../auth-hook.js';
import * as S from '../schemas.js';

export interface GraphRouteDeps {
  edges: EdgeService;
  graph: GraphQueryService;
}

const GraphResult = Type.Object({}, { additionalProperties: true });

export function registerGraphRoutes(app: FastifyInstance, { edges, graph }: GraphRouteDeps): void {
  app.get(
    '/v1/edges',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['graph'],
        summary: 'List lineage edges',
        querystring: Type.Object(
          {
            kind: Type.Optional(S.EdgeKind),
            fromId: Type.Optional(S.Id),
            toId: Type.Optional(S.Id),
            ...S.PageQuery,
          },
          { additionalProperties: false },
        ),
        response: { 200: S.Page(S.Edge) },
      },
    },
    async (request) => {
      const { cursor, limit, ...filter } = request.query as Record<string, string | number | undefined>;
      return edges.list(filter, { cursor: cursor as string | undefined, limit: limit as number | undefined });
    },
  );
  app.post(
    '/v1/edges',
    {
      config: { permission: 'write' },
      schema: {
        tags: ['graph'],
        summary: 'Create a lineage edge',
        body: S.EdgeInput,
        response: { 201: S.Edge },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await edges.create(actorOf(request), request.body as never)),
  );
  app.get(
    '/v1/edges/:id',
    {
      config: { permission: 'read' },
      schema: { tags: ['graph'], summary: 'Get an edge', params: S.IdParams, response: { 200: S.Edge } },
    },
    async (request) => edges.get((request.params as { id: string }).id),
  );
  app.delete(
    '/v1/edges/:id',
    {
      config: { permission: 'write' },
      schema: { tags: ['graph'], summary: 'Delete an edge', params: S.IdParams },
    },
    async (request, reply) => {
      await edges.remove(actorOf(request), (request.params as { id: string }).id);
      return reply.code(204).send();
    },
  );
  app.get(
    '/v1/identities/:id/lineage',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['graph'],
        summary: 'Lineage: who/what created and sponsors the identity, and what it created or delegates to',
        params: S.IdParams,
        querystring: Type.Object(
          { depth: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })) },
          { additionalProperties: false },
        ),
        response: { 200: GraphResult },
      },
    },
    async (request) =>
      graph.lineage((request.params as { id: string }).id, request.query as { depth?: number | undefined }),
  );
  app.get(
    '/v1/identities/:id/blast-radius',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['graph'],
        summary:
          'Blast radius: everything reachable over traversable edges, ranked by sensitivity, with paths',
        params: S.IdParams,
        querystring: Type.Object(
          { limit: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000 })) },
          { additionalProperties: false },
        ),
        response: { 200: GraphResult },
      },
    },
    async (request) =>
      graph.blastRadius(
        (request.params as { id: string }).id,
        request.query as { limit?: number | undefined },
      ),
  );
  app.get(
    '/v1/graph/path',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['graph'],
        summary: 'Can FROM reach TO over traversable edges, and how (shortest path)',
        querystring: Type.Object({ from: S.Id, to: S.Id }, { additionalProperties: false }),
        response: { 200: GraphResult },
      },
    },
    async (request) => {
      const { from, to } = request.query as { from: string; to: string };
      return graph.path(from, to);
    },
  );
}
