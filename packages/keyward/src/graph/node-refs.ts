/**
 * Turns graph node ids into displayable GraphNodeRefs with one batched primary-key read per record
 * type. Queries run on the in-memory index; only the nodes actually returned are read here.
 */
import type { GraphNodeRef, NodeType } from '@keyward/sdk';
import { nodeTypeOf } from '../ids.js';
import type { StoreTx } from '../storage/storage-types.js';

export async function resolveNodeRefs(
  store: StoreTx,
  ids: Iterable<string>,
): Promise<Map<string, GraphNodeRef>> {
  const byType: Record<NodeType, string[]> = { identity: [], human: [], resource: [], system: [] };
  for (const id of new Set(ids)) {
    const type = nodeTypeOf(id);
    if (type) byType[type].push(id);
  }
  const [identities, humans, resources, systems] = await Promise.all([
    byType.identity.length ? store.identities.getMany(byType.identity) : [],
    byType.human.length ? store.humans.getMany(byType.human) : [],
    byType.resource.length ? store.resources.getMany(byType.resource) : [],
    byType.system.length ? store.systems.getMany(byType.system) : [],
  ]);
  const refs = new Map<string, GraphNodeRef>();
  for (const i of identities) {
    refs.set(i.id, {
      id: i.id,
      type: 'identity',
      name: i.name,
      kind: i.kind,
      status: i.status,
      sensitivity: null,
      environment: i.environment,
    });
  }
  for (const h of humans) {
    refs.set(h.id, {
      id: h.id,
      type: 'human',
      name: h.name,
      kind: null,
      status: h.active ? 'active' : 'disabled',
      sensitivity: null,
      environment: null,
    });
  }
  for (const r of resources) {
    refs.set(r.id, {
      id: r.id,
      type: 'resource',
      name: r.name,
      kind: r.kind,
      status: null,
      sensitivity: r.sensitivity,
      environment: r.environment,
    });
  }
  for (const s of systems) {
    refs.set(s.id, {
      id: s.id,
      type: 'system',
      name: s.name,
      kind: 'system',
      status: null,
      sensitivity: s.sensitivity,
      environment: null,
    });
  }
  return refs;
}

/** A ref for an id the index knows but the store no longer returns (deleted concurrently). */
export function missingRef(id: string): GraphNodeRef {
  return {
    id,
    type: nodeTypeOf(id) ?? 'identity',
    name: id,
    kind: null,
    status: null,
    sensitivity: null,
    environment: null,
  };
}
