/** Routes for identities, humans, systems and resources; all logic lives in the inventory services. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { HumanService } from '../../inventory/human-service.js';
import type { IdentityService } from '../../inventory/identity-service.js';
import type { ResourceService } from '../../inventory/resource-service.js';
import { actorOf } from '../auth-hook.js';
import * as S from '../schemas.js';
import { setEtag } from '../versioning.js';
import { registerCrudRoutes } from './crud-routes.js';

export interface InventoryRouteDeps {
  identities: IdentityService;
  humans: HumanService;
  resources: ResourceService;
}

const q = Type.Optional(
  Type.String({ minLength: 1, maxLength: 200, description: 'case-insensitive substring' }),
);

export function registerInventoryRoutes(app: FastifyInstance, deps: InventoryRouteDeps): void {
  registerCrudRoutes(app, {
    path: '/v1/identities',
    tag: 'identities',
    noun: 'identity',
    item: S.Identity,
    input: S.IdentityInput,
    patch: S.IdentityPatch,
    filter: {
      kind: Type.Optional(S.IdentityKind),
      status: Type.Optional(S.IdentityStatus),
      environment: Type.Optional(S.Environment),
      ownerId: Type.Optional(S.Id),
      origin: Type.Optional(Type.String({ maxLength: 40 })),
      businessSystem: Type.Optional(Type.String({ maxLength: 200 })),
      label: Type.Optional(Type.String({ pattern: '^[^=]+=.*$', maxLength: 600, description: 'key=value' })),
      q,
    },
    service: deps.identities,
  });
  app.post(
    '/v1/identities/:id/disable',
    {
      config: { permission: 'write' },
      schema: {
        tags: ['identities'],
        summary: 'Disable an identity: it stays on record, and no graph path runs through it',
        params: S.IdParams,
        body: Type.Optional(S.DisableBody),
        response: { 200: S.Identity },
      },
    },
    async (request, reply) => {
      const body = (request.body ?? {}) as { version?: number; reason?: string };
      const disabled = await deps.identities.disable(
        actorOf(request),
        (request.params as { id: string }).id,
        body,
      );
      setEtag(reply, disabled);
      return disabled;
    },
  );
  registerCrudRoutes(app, {
    path: '/v1/humans',
    tag: 'humans',
    noun: 'human',
    item: S.Human,
    input: S.HumanInput,
    patch: S.HumanPatch,
    filter: { active: Type.Optional(Type.Boolean()), q },
    service: deps.humans,
  });
  registerCrudRoutes(app, {
    path: '/v1/systems',
    tag: 'resources',
    noun: 'system',
    item: S.System,
    input: S.SystemInput,
    patch: S.SystemPatch,
    filter: { q },
    service: deps.resources.systems,
  });
  registerCrudRoutes(app, {
    path: '/v1/resources',
    tag: 'resources',
    noun: 'resource',
    item: S.Resource,
    input: S.ResourceInput,
    patch: S.ResourcePatch,
    filter: {
      kind: Type.Optional(Type.String({ maxLength: 40 })),
      systemId: Type.Optional(S.Id),
      sensitivity: Type.Optional(S.Sensitivity),
      environment: Type.Optional(S.Environment),
      q,
    },
    service: deps.resources.resources,
  });
}
