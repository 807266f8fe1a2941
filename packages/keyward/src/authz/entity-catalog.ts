/**
 * Cedar entities for principals and resources, computed from the inventory once and then served
 * from memory: each lookup yields the small slice a request needs (the entity and its parents, e.g.
 * a resource and its system). Cleared whole on any inventory change (the engine calls `clear`), so
 * a slice never outlives the records it was built from in this process.
 */
import type { EntityJson, TypeAndId } from '@cedar-policy/cedar-wasm/nodejs';
import type { Human, Identity, IdentityKind, Resource, Sensitivity, System } from '@keyward/sdk';
import { SENSITIVITIES } from '@keyward/sdk';
import { ID_PREFIX } from '../ids.js';
import type { Store } from '../storage/storage-types.js';

export const NS = 'Keyward';

export const IDENTITY_ENTITY_TYPES: Readonly<Record<IdentityKind, string>> = {
  agent: 'Agent',
  service_account: 'ServiceAccount',
  api_key: 'ApiKey',
  oauth_app: 'OAuthApp',
  workload: 'Workload',
  bot: 'Bot',
  certificate: 'Certificate',
  token: 'Token',
};

/** A principal or resource as the engine sees it. */
export interface EntitySlice {
  uid: TypeAndId;
  /** The entity itself first, then its parents. */
  entities: EntityJson[];
  /** The Keyward id (a tool's `<server>/<tool>`). */
  id: string;
  /** The names a task scope may use for it (id and name). */
  names: string[];
  /** What history counts group it by: entity type and kind (e.g. `Resource:database`). */
  historyClass: string;
  /** The principal's or resource's environment, when it has one. */
  environment: string | null;
  /** Identity owner (a human id), when it has one. */
  ownerId: string | null;
  kind: 'identity' | 'human' | 'resource' | 'system' | 'tool';
}

export interface ToolProperties {
  server?: unknown;
  name?: unknown;
  annotations?: unknown;
}

const uid = (type: string, id: string): TypeAndId => ({ type: `${NS}::${type}`, id });
const rank = (s: Sensitivity): number => SENSITIVITIES.indexOf(s);

function identitySlice(identity: Identity, owner: Human | undefined): EntitySlice {
  const type = IDENTITY_ENTITY_TYPES[identity.kind];
  const entity: EntityJson = {
    uid: uid(type, identity.id),
    attrs: {
      name: identity.name,
      kind: identity.kind,
      environment: identity.environment,
      status: identity.status,
      owner: identity.ownerId ?? '',
      has_owner: identity.ownerId !== null,
      owner_active: owner?.active === true,
      owner_left: (identity.ownerId !== null && owner?.active !== true) || identity.status === 'orphaned',
      business_system: identity.businessSystem ?? '',
      origin: identity.origin,
    },
    parents: [],
    tags: { ...identity.labels },
  };
  return {
    uid: entity.uid as TypeAndId,
    entities: [entity],
    id: identity.id,
    names: [identity.id, identity.name],
    historyClass: `${type}`,
    environment: identity.environment,
    ownerId: identity.ownerId,
    kind: 'identity',
  };
}

function humanSlice(human: Human): EntitySlice {
  const entity: EntityJson = {
    uid: uid('Human', human.id),
    attrs: { name: human.name, email: human.email, active: human.active },
    parents: [],
  };
  return {
    uid: entity.uid as TypeAndId,
    entities: [entity],
    id: human.id,
    names: [human.id, human.email],
    historyClass: 'Human',
    environment: null,
    ownerId: null,
    kind: 'human',
  };
}

function systemEntity(system: System): EntityJson {
  return {
    uid: uid('System', system.id),
    attrs: {
      name: system.name,
      sensitivity: system.sensitivity,
      sensitivity_rank: rank(system.sensitivity),
      owner: system.ownerId ?? '',
    },
    parents: [],
  };
}

function resourceSlice(resource: Resource, system: System | undefined): EntitySlice {
  const entity: EntityJson = {
    uid: uid('Resource', resource.id),
    attrs: {
      name: resource.name,
      kind: resource.kind,
      environment: resource.environment ?? '',
      sensitivity: resource.sensitivity,
      sensitivity_rank: rank(resource.sensitivity),
      system: resource.systemId ?? '',
    },
    parents: system ? [uid('System', system.id)] : [],
    tags: { ...resource.labels },
  };
  return {
    uid: entity.uid as TypeAndId,
    entities: system ? [entity, systemEntity(system)] : [entity],
    id: resource.id,
    names: [resource.id, resource.name],
    historyClass: `Resource:${resource.kind}`,
    environment: resource.environment,
    ownerId: null,
    kind: 'resource',
  };
}

const ANNOTATION_TYPES: Record<string, 'string' | 'boolean'> = {
  title: 'string',
  readOnlyHint: 'boolean',
  destructiveHint: 'boolean',
  idempotentHint: 'boolean',
  openWorldHint: 'boolean',
};

/** An MCP tool from the request's own description of it (the gateway's tools/list); no lookup. */
export function toolSlice(id: string, properties: ToolProperties): EntitySlice {
  const slash = id.indexOf('/');
  const server =
    typeof properties.server === 'string' ? properties.server : slash > 0 ? id.slice(0, slash) : '';
  const name = typeof properties.name === 'string' ? properties.name : slash > 0 ? id.slice(slash + 1) : id;
  const annotations: Record<string, string | boolean> = {};
  const given = (properties.annotations ?? {}) as Record<string, unknown>;
  for (const [key, type] of Object.entries(ANNOTATION_TYPES)) {
    if (typeof given[key] === type) annotations[key] = given[key] as string | boolean;
  }
  const entity: EntityJson = { uid: uid('Tool', id), attrs: { name, server, annotations }, parents: [] };
  return {
    uid: entity.uid as TypeAndId,
    entities: [entity],
    id,
    names: [id, name],
    historyClass: `Tool:${server}`,
    environment: null,
    ownerId: null,
    kind: 'tool',
  };
}

export type CatalogKind = 'identity' | 'human' | 'resource' | 'system';

export interface EntityCatalog {
  /** The slice for an inventory record by id or name (email for humans); undefined when unknown. */
  get(kind: CatalogKind, idOrName: string): Promise<EntitySlice | undefined>;
  clear(): void;
  size(): number;
}

const MAX_ENTRIES = 200_000;

export function createEntityCatalog(store: Store): EntityCatalog {
  let slices = new Map<string, Promise<EntitySlice | undefined>>();

  async function identity(ref: string): Promise<EntitySlice | undefined> {
    const found = ref.startsWith(ID_PREFIX.identity)
      ? await store.identities.get(ref)
      : await store.identities.getByName(ref);
    if (!found) return undefined;
    return identitySlice(found, found.ownerId ? await store.humans.get(found.ownerId) : undefined);
  }

  async function load(kind: CatalogKind, ref: string): Promise<EntitySlice | undefined> {
    switch (kind) {
      case 'identity':
        return identity(ref);
      case 'human': {
        const h = ref.startsWith(ID_PREFIX.human)
          ? await store.humans.get(ref)
          : await store.humans.getByEmail(ref);
        return h && humanSlice(h);
      }
      case 'resource': {
        const r = ref.startsWith(ID_PREFIX.resource)
          ? await store.resources.get(ref)
          : await store.resources.getByName(ref);
        return r && resourceSlice(r, r.systemId ? await store.systems.get(r.systemId) : undefined);
      }
      case 'system': {
        const s = ref.startsWith(ID_PREFIX.system)
          ? await store.systems.get(ref)
          : await store.systems.getByName(ref);
        if (!s) return undefined;
        const entity = systemEntity(s);
        return {
          uid: entity.uid as TypeAndId,
          entities: [entity],
          id: s.id,
          names: [s.id, s.name],
          historyClass: 'System',
          environment: null,
          ownerId: s.ownerId,
          kind: 'system',
        };
      }
    }
  }

  return {
    get(kind, ref) {
      const key = `${kind}\u0000${ref}`;
      let slice = slices.get(key);
      if (!slice) {
        if (slices.size >= MAX_ENTRIES) slices = new Map();
        const generation = slices;
        slice = load(kind, ref);
        generation.set(key, slice);
        // A failed lookup (store down) is not remembered: the next request tries again.
        slice.catch(() => generation.delete(key));
      }
      return slice;
    },
    clear() {
      slices = new Map();
    },
    size: () => slices.size,
  };
}
