/**
 * Generic list/create/get/update routes for a versioned inventory record type, so humans, systems,
 * resources and identities expose the same shapes (pagination, ETag, If-Match) from one definition.
 */
import { type TObject, type TSchema, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { actorOf } from '../auth-hook.js';
import { IdParams, Page, PageQuery, Problem } from '../schemas.js';
import { requestedVersion, setEtag } from '../versioning.js';

export interface CrudService<T, I, P, F> {
  create(actor: string, input: I): Promise<T>;
  get(id: string): Promise<T>;
  list(
    filter: F,
    page: { cursor?: string | undefined; limit?: number | undefined },
  ): Promise<{
    items: T[];
    nextCursor: string | null;
  }>;
  update(actor: string, id: string, patch: P & { version: number }): Promise<T>;
}

export interface CrudSpec<T, I, P, F> {
  path: string;
  tag: string;
  noun: string;
  item: TSchema;
  input: TSchema;
  patch: TSchema;
  filter: Record<string, TSchema>;
  service: CrudService<T, I, P, F>;
}

export const problems = {
  400: Problem,
  401: Problem,
  403: Problem,
  404: Problem,
  409: Problem,
  412: Problem,
};

export function registerCrudRoutes<T extends { version: number }, I, P extends { version?: number }, F>(
  app: FastifyInstance,
  spec: CrudSpec<T, I, P, F>,
): void {
  const { path, tag, noun, service } = spec;
  app.get(
    path,
    {
      config: { permission: 'read' },
      schema: {
        tags: [tag],
        summary: `List ${noun}s (filters, cursor pagination, ordered by creation)`,
        querystring: Type.Object({ ...spec.filter, ...PageQuery }, { additionalProperties: false }),
        response: { 200: Page(spec.item) },
      },
    },
    async (request) => {
      const { cursor, limit, ...filter } = request.query as Record<string, unknown>;
      return service.list(filter as F, {
        cursor: cursor as string | undefined,
        limit: limit as number | undefined,
      });
    },
  );
  app.post(
    path,
    {
      config: { permission: 'write' },
      schema: { tags: [tag], summary: `Create a ${noun}`, body: spec.input, response: { 201: spec.item } },
    },
    async (request, reply) => {
      const created = await service.create(actorOf(request), request.body as I);
      setEtag(reply, created);
      reply.header('location', `${path}/${(created as unknown as { id: string }).id}`);
      return reply.code(201).send(created);
    },
  );
  app.get(
    `${path}/:id`,
    {
      config: { permission: 'read' },
      schema: { tags: [tag], summary: `Get a ${noun}`, params: IdParams, response: { 200: spec.item } },
    },
    async (request, reply) => {
      const record = await service.get((request.params as { id: string }).id);
      setEtag(reply, record);
      return record;
    },
  );
  app.patch(
    `${path}/:id`,
    {
      config: { permission: 'write' },
      schema: {
        tags: [tag],
        summary: `Update a ${noun} (send the version you read, or If-Match)`,
        params: IdParams,
        body: spec.patch as TObject,
        response: { 200: spec.item },
      },
    },
    async (request, reply) => {
      const body = request.body as P;
      const version = requestedVersion(request, body.version);
      const updated = await service.update(actorOf(request), (request.params as { id: string }).id, {
        ...body,
        version,
      });
      setEtag(reply, updated);
      return updated;
    },
  );
}
