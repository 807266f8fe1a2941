/**
 * Credential broker routes: brokered PostgreSQL configurations (admin only; the admin URL's
 * password is accepted, sealed, and never returned) and credential leases (operator and admin).
 * Issuing is not an HTTP route: credentials are issued in-process for tasks (credential-broker.ts).
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { BrokeredDatabaseService } from '../../brokers/brokered-database-service.js';
import type { CredentialBroker } from '../../brokers/credential-broker.js';
import { LEASE_STATUSES, type LeaseFilter } from '../../storage/storage-types.js';
import { actorOf } from '../auth-hook.js';
import * as S from '../schemas.js';

export interface BrokerRouteDeps {
  brokeredDatabases: BrokeredDatabaseService;
  broker: CredentialBroker;
}

const strict = { additionalProperties: false } as const;
const Nullable = S.Nullable;
const configFields = {
  adminUrl: Type.String({
    minLength: 1,
    maxLength: 2000,
    description: 'postgres://user:password@host:port/db',
  }),
  rolePrefix: Type.String({ minLength: 1, maxLength: 40 }),
  grants: Type.Array(Type.String({ minLength: 1, maxLength: 2000 }), { maxItems: 50 }),
  maxTtlSeconds: Type.Integer({ minimum: 1 }),
};
const ConfigInput = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 63 }), ...configFields },
  strict,
);
const ConfigPatch = Type.Object(configFields, strict);
const ConfigView = Type.Object({
  name: Type.String(),
  adminUrl: Type.String({ description: 'password masked as ****' }),
  rolePrefix: Type.String(),
  grants: Type.Array(Type.String()),
  maxTtlSeconds: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
const NameParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: 63 }) }, strict);
const LeaseStatus = Type.Union(LEASE_STATUSES.map((s) => Type.Literal(s)));
const Lease = Type.Object({
  id: Type.String(),
  database: Type.String(),
  roleName: Type.String(),
  ownerRef: Type.String(),
  createdAt: Type.String(),
  validUntil: Type.String(),
  status: LeaseStatus,
  attempts: Type.Integer(),
  lastError: Nullable(Type.String()),
  revokedAt: Nullable(Type.String()),
  nextAttemptAt: Nullable(Type.String()),
  claimedAt: Nullable(Type.String()),
});
const LeaseParams = Type.Object({ id: Type.String({ pattern: '^lea_[0-9a-f]{32}$' }) }, strict);
const admin = { permission: 'admin' as const };
const operator = { permission: 'write' as const };

export function registerBrokerRoutes(
  app: FastifyInstance,
  { brokeredDatabases, broker }: BrokerRouteDeps,
): void {
  const tags = ['brokers'];
  app.post(
    '/v1/brokers/postgres',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Configure a brokered PostgreSQL database',
        body: ConfigInput,
        response: { 201: ConfigView },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await brokeredDatabases.create(actorOf(request), request.body as never)),
  );
  app.get(
    '/v1/brokers/postgres',
    {
      config: admin,
      schema: {
        tags,
        summary: 'List brokered databases',
        response: { 200: Type.Object({ items: Type.Array(ConfigView) }) },
      },
    },
    async () => ({ items: await brokeredDatabases.list() }),
  );
  app.get(
    '/v1/brokers/postgres/:name',
    {
      config: admin,
      schema: { tags, summary: 'One brokered database', params: NameParams, response: { 200: ConfigView } },
    },
    async (request) => brokeredDatabases.get((request.params as { name: string }).name),
  );
  app.put(
    '/v1/brokers/postgres/:name',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Replace a brokered database configuration (send the admin password again)',
        params: NameParams,
        body: ConfigPatch,
        response: { 200: ConfigView },
      },
    },
    async (request) =>
      brokeredDatabases.update(
        actorOf(request),
        (request.params as { name: string }).name,
        request.body as never,
      ),
  );
  app.delete(
    '/v1/brokers/postgres/:name',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Remove a brokered database (none of its leases may be live)',
        params: NameParams,
      },
    },
    async (request, reply) => {
      await brokeredDatabases.remove(actorOf(request), (request.params as { name: string }).name);
      return reply.code(204).send();
    },
  );
  app.get(
    '/v1/brokers/leases',
    {
      config: operator,
      schema: {
        tags,
        summary: 'List credential leases (never their passwords)',
        querystring: Type.Object(
          {
            status: Type.Optional(LeaseStatus),
            ownerRef: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            database: Type.Optional(Type.String({ minLength: 1, maxLength: 63 })),
            ...S.PageQuery,
          },
          strict,
        ),
        response: { 200: S.Page(Lease) },
      },
    },
    async (request) => {
      const { cursor, limit, ...filter } = request.query as LeaseFilter & { cursor?: string; limit?: number };
      return broker.listLeases(filter, { cursor, limit });
    },
  );
  app.get(
    '/v1/brokers/leases/:id',
    {
      config: operator,
      schema: { tags, summary: 'One credential lease', params: LeaseParams, response: { 200: Lease } },
    },
    async (request) => broker.getLease((request.params as { id: string }).id),
  );
  app.post(
    '/v1/brokers/leases/:id/revoke',
    {
      config: operator,
      schema: {
        tags,
        summary: 'Revoke a credential now; a failure leaves it revoke_failed and retried in the background',
        params: LeaseParams,
        response: { 200: Lease },
      },
    },
    async (request) => broker.revokeLease((request.params as { id: string }).id, actorOf(request)),
  );
}
