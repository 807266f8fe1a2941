/**
 * Edges that earlier imports could not make because an endpoint was not imported yet (a Kubernetes
 * service account naming an AWS role before the AWS account was imported). Each import retries the
 * pending edges that name its scope, so the order sources are imported in does not matter.
 */
import type { Edge } from '@keyward/sdk';
import { checkShape } from '../graph/edge-service.js';
import { newId } from '../ids.js';
import type { StoreTx } from '../storage/storage-types.js';
import type { ImportBatch } from './import-batch.js';
import { splitQualified } from './import-context.js';
import type { EdgeRefDetails } from './import-edge-plan.js';
import type { NodePlan } from './import-plan.js';

const MAX_PENDING_PER_IMPORT = 10_000;

export async function resolvePendingEdges(
  tx: StoreTx,
  batch: ImportBatch,
  nodes: NodePlan,
  runId: string,
  at: string,
): Promise<{ created: Edge[]; stillPending: number }> {
  const created: Edge[] = [];
  let stillPending = 0;
  const pending = await tx.discoveryRefs.listPendingEdges(MAX_PENDING_PER_IMPORT);
  const lookup = async (endpoint: string, home: string): Promise<string | undefined> => {
    const [scope, externalId] = splitQualified(endpoint) ?? [home, endpoint];
    if (scope === batch.scope) return nodes.nodeIds.get(externalId);
    const ref = (await tx.discoveryRefs.findByExternalIds(scope, [externalId])).find(
      (r) => r.nodeId && (r.nodeType === 'identity' || r.nodeType === 'resource'),
    );
    return ref?.nodeId ?? undefined;
  };
  for (const ref of pending) {
    if (ref.scope === batch.scope && ref.feed === batch.feed) continue; // planned with the batch
    const details = ref.details as unknown as EdgeRefDetails;
    const { spec } = details;
    const names = (e: string) => (splitQualified(e)?.[0] ?? ref.scope) === batch.scope;
    if (!names(spec.from) && !names(spec.to)) {
      stillPending++;
      continue;
    }
    const fromId = await lookup(spec.from, ref.scope);
    const toId = await lookup(spec.to, ref.scope);
    if (!fromId || !toId) {
      stillPending++;
      continue;
    }
    try {
      checkShape({ kind: spec.kind, fromId, toId, actions: spec.actions });
    } catch {
      continue; // stays pending: it can never be made, and an import of its own feed will report it
    }
    const triple = { kind: spec.kind, fromId, toId };
    const [existing] = await tx.edges.findByTriples([triple]);
    const edge: Edge = existing ?? { id: newId('edge'), ...triple, actions: spec.actions, createdAt: at };
    if (!existing) {
      await tx.edges.createMany([edge]);
      created.push(edge);
    }
    const next: EdgeRefDetails = {
      ...details,
      edge: { id: edge.id, ...triple, actions: edge.actions },
      ...(existing ? { adopted: true } : {}),
    };
    await tx.discoveryRefs.upsertMany([
      {
        ...ref,
        nodeId: edge.id,
        details: next as unknown as Record<string, unknown>,
        lastImportedAt: at,
        lastRunId: runId,
      },
    ]);
  }
  return { created, stillPending };
}
