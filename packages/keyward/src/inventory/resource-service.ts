/**
 * Resources (databases, buckets, secret stores, repositories, groups …) and the systems they belong
 * to, each with a sensitivity that ranks blast-radius results.
 */
import type {
  Page,
  PageRequest,
  Resource,
  ResourceFilter,
  ResourceInput,
  ResourcePatch,
  System,
  SystemInput,
  SystemPatch,
} from '@keyward/sdk';
import type { AuditRecorder } from '../audit/audit-recorder.js';
import { KeywardError, notFound } from '../errors.js';
import type { GraphUpdates } from '../graph/graph-updates.js';
import { newId } from '../ids.js';
import type { Store, StoreTx } from '../storage/storage-types.js';
import { applyPatch, changedFields } from './record-patch.js';

export interface ResourceServiceDeps {
  store: Store;
  graph: GraphUpdates;
  audit: AuditRecorder;
  now: () => Date;
}

export const resourceToNode = (r: Resource | System, type: 'resource' | 'system') => ({
  id: r.id,
  type,
  sensitivity: r.sensitivity,
  blocked: false,
});

export function buildSystem(input: SystemInput, at: Date): System {
  const iso = at.toISOString();
  return {
    id: newId('system'),
    name: input.name,
    sensitivity: input.sensitivity,
    ownerId: input.ownerId ?? null,
    description: input.description ?? null,
    createdAt: iso,
    updatedAt: iso,
    version: 1,
  };
}

export function buildResource(input: ResourceInput, at: Date): Resource {
  const iso = at.toISOString();
  return {
    id: newId('resource'),
    name: input.name,
    kind: input.kind,
    systemId: input.systemId ?? null,
    environment: input.environment ?? null,
    sensitivity: input.sensitivity,
    labels: input.labels ?? {},
    createdAt: iso,
    updatedAt: iso,
    version: 1,
  };
}

async function checkRef(
  tx: StoreTx,
  path: string,
  id: string | null,
  kind: 'human' | 'system',
): Promise<void> {
  if (id === null) return;
  const found = kind === 'human' ? await tx.humans.get(id) : await tx.systems.get(id);
  if (!found) {
    throw new KeywardError(
      'invalid_reference',
      `${path.slice(1)} ${JSON.stringify(id)} is not a known ${kind}`,
      {
        errors: [{ path, message: `unknown ${kind}` }],
      },
    );
  }
}

export function createResourceService({ store, graph, audit, now }: ResourceServiceDeps) {
  const systems = {
    async create(actor: string, input: SystemInput): Promise<System> {
      const system = buildSystem(input, now());
      await store.transaction(async (tx) => {
        await checkRef(tx, '/ownerId', system.ownerId, 'human');
        await tx.systems.create(system);
        await tx.audit.append(audit.event(actor, 'system.created', system.id, { name: system.name }));
      });
      graph.upsertNode(resourceToNode(system, 'system'));
      return system;
    },
    async get(id: string): Promise<System> {
      const system = await store.systems.get(id);
      if (!system) throw notFound('system', id);
      return system;
    },
    list(filter: { q?: string | undefined }, page: PageRequest): Promise<Page<System>> {
      return store.systems.list(filter, page);
    },
    async update(actor: string, id: string, patch: SystemPatch): Promise<System> {
      const next = await store.transaction(async (tx) => {
        const current = await tx.systems.get(id);
        if (!current) throw notFound('system', id);
        const merged = applyPatch<System>(current, patch as Partial<System> & { version: number }, now());
        if (merged.ownerId !== current.ownerId) await checkRef(tx, '/ownerId', merged.ownerId, 'human');
        await tx.systems.update(merged, current.version);
        await tx.audit.append(
          audit.event(actor, 'system.updated', id, { changed: changedFields(current, merged) }),
        );
        return merged;
      });
      graph.upsertNode(resourceToNode(next, 'system'));
      return next;
    },
  };

  const resources = {
    async create(actor: string, input: ResourceInput): Promise<Resource> {
      const resource = buildResource(input, now());
      await store.transaction(async (tx) => {
        await checkRef(tx, '/systemId', resource.systemId, 'system');
        await tx.resources.create(resource);
        await tx.audit.append(audit.event(actor, 'resource.created', resource.id, { name: resource.name }));
      });
      graph.upsertNode(resourceToNode(resource, 'resource'));
      return resource;
    },
    async get(id: string): Promise<Resource> {
      const resource = await store.resources.get(id);
      if (!resource) throw notFound('resource', id);
      return resource;
    },
    list(filter: ResourceFilter, page: PageRequest): Promise<Page<Resource>> {
      return store.resources.list(filter, page);
    },
    async update(actor: string, id: string, patch: ResourcePatch): Promise<Resource> {
      const next = await store.transaction(async (tx) => {
        const current = await tx.resources.get(id);
        if (!current) throw notFound('resource', id);
        const merged = applyPatch<Resource>(current, patch as Partial<Resource> & { version: number }, now());
        if (merged.systemId !== current.systemId) await checkRef(tx, '/systemId', merged.systemId, 'system');
        await tx.resources.update(merged, current.version);
        await tx.audit.append(
          audit.event(actor, 'resource.updated', id, { changed: changedFields(current, merged) }),
        );
        return merged;
      });
      graph.upsertNode(resourceToNode(next, 'resource'));
      return next;
    },
  };

  return { systems, resources };
}

export type ResourceService = ReturnType<typeof createResourceService>;
