/**
 * Lineage edges: creation, listing and deletion, with the shape rules of each edge kind. The edge
 * and its audit event commit together; the graph index is updated after commit.
 */
import type { Edge, EdgeFilter, EdgeInput, EdgeKind, NodeType, Page, PageRequest } from '@keyward/sdk';
import type { AuditRecorder } from '../audit/audit-recorder.js';
import { KeywardError, notFound } from '../errors.js';
import { newId, nodeTypeOf } from '../ids.js';
import type { Store, StoreTx } from '../storage/storage-types.js';
import type { GraphUpdates } from './graph-updates.js';

/** Which node types each edge kind may connect (from → to). */
const SHAPES: Record<EdgeKind, { from: readonly NodeType[]; to: readonly NodeType[] }> = {
  created: { from: ['human', 'identity', 'system'], to: ['identity', 'resource'] },
  owns: { from: ['human'], to: ['identity', 'resource', 'system'] },
  sponsors: { from: ['human'], to: ['identity'] },
  delegates_to: { from: ['human', 'identity'], to: ['identity'] },
  can_assume: { from: ['identity', 'resource'], to: ['identity'] },
  has_permission: { from: ['identity', 'resource'], to: ['resource', 'system', 'identity'] },
  stored_in: { from: ['identity'], to: ['resource'] },
  member_of: { from: ['identity'], to: ['resource'] },
};

export interface EdgeServiceDeps {
  store: Store;
  graph: GraphUpdates;
  audit: AuditRecorder;
  now: () => Date;
}

async function nodeExists(tx: StoreTx, id: string, type: NodeType): Promise<boolean> {
  switch (type) {
    case 'identity':
      return (await tx.identities.get(id)) !== undefined;
    case 'human':
      return (await tx.humans.get(id)) !== undefined;
    case 'resource':
      return (await tx.resources.get(id)) !== undefined;
    case 'system':
      return (await tx.systems.get(id)) !== undefined;
  }
}

export function checkShape(input: EdgeInput): { fromType: NodeType; toType: NodeType; actions: string[] } {
  const shape = SHAPES[input.kind];
  const fromType = nodeTypeOf(input.fromId);
  const toType = nodeTypeOf(input.toId);
  const errors = [];
  if (!fromType || !shape.from.includes(fromType)) {
    errors.push({ path: '/fromId', message: `${input.kind} edges start at a ${shape.from.join(' or ')}` });
  }
  if (!toType || !shape.to.includes(toType)) {
    errors.push({ path: '/toId', message: `${input.kind} edges end at a ${shape.to.join(' or ')}` });
  }
  if (input.fromId === input.toId)
    errors.push({ path: '/toId', message: 'an edge cannot point at its own source' });
  const actions = [...new Set(input.actions ?? [])].sort();
  if (input.kind === 'has_permission' && actions.length === 0) {
    errors.push({ path: '/actions', message: 'has_permission edges need at least one action' });
  }
  if (input.kind !== 'has_permission' && actions.length > 0) {
    errors.push({ path: '/actions', message: 'only has_permission edges carry actions' });
  }
  if (errors.length > 0 || !fromType || !toType) {
    throw new KeywardError('validation_failed', `invalid ${input.kind} edge`, { errors });
  }
  return { fromType, toType, actions };
}

export function createEdgeService({ store, graph, audit, now }: EdgeServiceDeps) {
  async function create(actor: string, input: EdgeInput): Promise<Edge> {
    const { fromType, toType, actions } = checkShape(input);
    const edge: Edge = {
      id: newId('edge'),
      kind: input.kind,
      fromId: input.fromId,
      toId: input.toId,
      actions,
      createdAt: now().toISOString(),
    };
    await store.transaction(async (tx) => {
      for (const [path, id, type] of [
        ['/fromId', edge.fromId, fromType],
        ['/toId', edge.toId, toType],
      ] as const) {
        if (!(await nodeExists(tx, id, type))) {
          throw new KeywardError(
            'invalid_reference',
            `${path.slice(1)} ${JSON.stringify(id)} does not exist`,
            {
              errors: [{ path, message: `unknown ${type}` }],
            },
          );
        }
      }
      await tx.edges.create(edge);
      await tx.audit.append(
        audit.event(actor, 'edge.created', edge.id, {
          kind: edge.kind,
          fromId: edge.fromId,
          toId: edge.toId,
        }),
      );
    });
    graph.addEdge(edge);
    return edge;
  }

  async function get(id: string): Promise<Edge> {
    const edge = await store.edges.get(id);
    if (!edge) throw notFound('edge', id);
    return edge;
  }

  function list(filter: EdgeFilter, page: PageRequest): Promise<Page<Edge>> {
    return store.edges.list(filter, page);
  }

  async function remove(actor: string, id: string): Promise<Edge> {
    const edge = await store.transaction(async (tx) => {
      const deleted = await tx.edges.delete(id);
      if (!deleted) throw notFound('edge', id);
      await tx.audit.append(
        audit.event(actor, 'edge.deleted', id, {
          kind: deleted.kind,
          fromId: deleted.fromId,
          toId: deleted.toId,
        }),
      );
      return deleted;
    });
    graph.removeEdge(edge);
    return edge;
  }

  return { create, get, list, remove };
}

export type EdgeService = ReturnType<typeof createEdgeService>;
