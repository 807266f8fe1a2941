/** Trusted federation issuers (admin to change, read to list). Updates name the version they read. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type {
  FederationIssuerService,
  FederationIssuerInput as Input,
  FederationIssuerPatch as Patch,
} from '../../workload-auth/federation-issuer-service.js';
import { actorOf } from '../auth-hook.js';
import { IdParams, Page, PageQuery } from '../schemas.js';
import { requestedVersion, setEtag } from '../versioning.js';
import { FederationIssuer, FederationIssuerInput, FederationIssuerPatch } from '../workload-auth-schemas.js';

const PATH = '/v1/federation/issuers';
const tags = ['workload-auth'];

export function registerFederationRoutes(
  app: FastifyInstance,
  { federationIssuers: service }: { federationIssuers: FederationIssuerService },
): void {
  app.post(
    PATH,
    {
      config: { permission: 'admin' },
      schema: {
        tags,
        summary: 'Trust an external OIDC issuer, with rules mapping its tokens to identities or humans',
        body: FederationIssuerInput,
        response: { 201: FederationIssuer },
      },
    },
    async (request, reply) => {
      const created = await service.create(actorOf(request), request.body as Input);
      setEtag(reply, created);
      reply.header('location', `${PATH}/${created.id}`);
      return reply.code(201).send(created);
    },
  );
  app.get(
    PATH,
    {
      config: { permission: 'read' },
      schema: {
        tags,
        summary: 'List trusted issuers',
        querystring: Type.Object(PageQuery, { additionalProperties: false }),
        response: { 200: Page(FederationIssuer) },
      },
    },
    async (request) => service.list(request.query as { cursor?: string; limit?: number }),
  );
  app.get(
    `${PATH}/:id`,
    {
      config: { permission: 'read' },
      schema: {
        tags,
        summary: 'Get a trusted issuer',
        params: IdParams,
        response: { 200: FederationIssuer },
      },
    },
    async (request, reply) => {
      const found = await service.get((request.params as { id: string }).id);
      setEtag(reply, found);
      return found;
    },
  );
  app.patch(
    `${PATH}/:id`,
    {
      config: { permission: 'admin' },
      schema: {
        tags,
        summary: 'Update a trusted issuer (send the version you read, or If-Match)',
        params: IdParams,
        body: FederationIssuerPatch,
        response: { 200: FederationIssuer },
      },
    },
    async (request, reply) => {
      const body = request.body as Partial<Input> & { version?: number };
      const version = requestedVersion(request, body.version);
      const updated = await service.update(actorOf(request), (request.params as { id: string }).id, {
        ...body,
        version,
      } as Patch);
      setEtag(reply, updated);
      return updated;
    },
  );
  app.delete(
    `${PATH}/:id`,
    {
      config: { permission: 'admin' },
      schema: {
        tags,
        summary: 'Stop trusting an issuer',
        params: IdParams,
        response: { 200: FederationIssuer },
      },
    },
    async (request) => service.remove(actorOf(request), (request.params as { id: string }).id),
  );
}
