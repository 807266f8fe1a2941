/**
 * An identity's registered public keys (for private_key_jwt). Registering or deleting a key decides
 * who can act as the identity, so both are admin-only; listing needs read.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { IdentityKeyService } from '../../workload-auth/identity-key-service.js';
import { actorOf } from '../auth-hook.js';
import { IdParams } from '../schemas.js';
import { IdentityKey, IdentityKeyParams, Jwk } from '../workload-auth-schemas.js';

export function registerIdentityKeyRoutes(
  app: FastifyInstance,
  { identityKeys }: { identityKeys: IdentityKeyService },
): void {
  app.post(
    '/v1/identities/:id/keys',
    {
      config: { permission: 'admin' },
      schema: {
        tags: ['workload-auth'],
        summary:
          'Register a public JWK (EC P-256, Ed25519, RSA ≥ 2048) for private_key_jwt; private keys are refused',
        params: IdParams,
        body: Jwk,
        response: { 201: IdentityKey },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const created = await identityKeys.register(actorOf(request), id, request.body);
      reply.header('location', `/v1/identities/${id}/keys/${encodeURIComponent(created.kid)}`);
      return reply.code(201).send(created);
    },
  );
  app.get(
    '/v1/identities/:id/keys',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['workload-auth'],
        summary: "List an identity's registered public keys",
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(IdentityKey) }) },
      },
    },
    async (request) => ({ items: await identityKeys.list((request.params as { id: string }).id) }),
  );
  app.delete(
    '/v1/identities/:id/keys/:kid',
    {
      config: { permission: 'admin' },
      schema: {
        tags: ['workload-auth'],
        summary: 'Delete a registered key: assertions signed with it stop authenticating',
        params: IdentityKeyParams,
        response: { 200: IdentityKey },
      },
    },
    async (request) => {
      const { id, kid } = request.params as { id: string; kid: string };
      return identityKeys.remove(actorOf(request), id, kid);
    },
  );
}
