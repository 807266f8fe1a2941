/**
 * Imports: parse files with the source's importer, then apply the batch to the inventory in one
 * transaction (records, refs, found credentials, the findings they resolve or link, the run and its
 * audit event), then tell the graph index. Idempotent: the same files twice change nothing the
 * second time; records gone from the feed are marked, never deleted (edges gone are removed).
 */
import type { AuditRecorder } from '../audit/audit-recorder.js';
import { KeywardError } from '../errors.js';
import type { GraphUpdates } from '../graph/graph-updates.js';
import { newId } from '../ids.js';
import { identityToNode } from '../inventory/identity-service.js';
import { resourceToNode } from '../inventory/resource-service.js';
import type { Store, StoreTx } from '../storage/storage-types.js';
import type { DiscoveryRun } from './discovery-types.js';
import type { ImportBatch, ImportFile, ImportOptions, ImportParser, ImportSource } from './import-batch.js';
import { loadImportContext } from './import-context.js';
import { type EdgePlan, planEdges, resolveEdges, tripleKey } from './import-edge-plan.js';
import { type NodePlan, planNodes } from './import-plan.js';
import type { LeakFindings } from './leak-findings.js';
import { resolvePendingEdges } from './pending-edges.js';

const MAX_PROBLEMS_KEPT = 200;

export interface ImportServiceDeps {
  store: Store;
  graph: GraphUpdates;
  audit: AuditRecorder;
  now: () => Date;
  leaks: LeakFindings;
  parsers: Readonly<Record<ImportSource, ImportParser>>;
}

export interface ImportRequest {
  source: ImportSource;
  files: readonly ImportFile[];
  options?: ImportOptions;
  /** Only a subset of the feed: nothing absent is marked missing. */
  partial?: boolean;
  /** Plan and report, change nothing. */
  dryRun?: boolean;
}

export interface ImportOutcome {
  run: DiscoveryRun;
  dryRun: boolean;
}

class DryRun extends Error {
  constructor(readonly outcome: { run: DiscoveryRun; nodes: NodePlan; edges: EdgePlan }) {
    super('dry run');
  }
}

async function writePlan(tx: StoreTx, nodes: NodePlan, edges: EdgePlan): Promise<void> {
  await tx.identities.createMany(nodes.createIdentities);
  for (const u of nodes.updateIdentities) await tx.identities.update(u.next, u.expectedVersion);
  await tx.resources.createMany(nodes.createResources);
  for (const u of nodes.updateResources) await tx.resources.update(u.next, u.expectedVersion);
  for (const e of edges.deleteEdges) await tx.edges.delete(e.id);
  await tx.edges.createMany(edges.createEdges);
  await tx.credentials.createMany(nodes.createCredentials);
  for (const c of nodes.updateCredentials) await tx.credentials.update(c);
  await tx.discoveryRefs.deleteMany(edges.deleteRefs);
  await tx.discoveryRefs.upsertMany([...nodes.refs, ...edges.refs]);
}

export function createImportService({ store, graph, audit, now, leaks, parsers }: ImportServiceDeps) {
  function parse(request: ImportRequest): ImportBatch {
    const parser = parsers[request.source];
    if (!parser) throw new TypeError(`no importer for ${request.source}`);
    if (request.files.length === 0)
      throw new KeywardError('validation_failed', 'nothing to import: no files given');
    const batch = parser(request.files, request.options ?? {});
    return request.partial ? { ...batch, partial: true } : batch;
  }

  async function apply(actor: string, batch: ImportBatch, dryRun = false): Promise<ImportOutcome> {
    if (!batch.scope) {
      throw new KeywardError(
        'validation_failed',
        `the ${batch.source} import has no scope: ${batch.problems[0]?.reason ?? 'give one'}`,
      );
    }
    const runId = newId('discoveryRun');
    const startedAt = now().toISOString();
    let outcome: { run: DiscoveryRun; nodes: NodePlan; edges: EdgePlan };
    try {
      outcome = await store.transaction(async (tx) => {
        const ctx = await loadImportContext(tx, batch);
        const nodes = planNodes({ batch, ctx, runId, at: startedAt });
        const resolved = resolveEdges(batch, ctx, nodes);
        const triples = resolved.flatMap((r) => (r.ids ? [{ kind: r.details.spec.kind, ...r.ids }] : []));
        const stored = new Map((await tx.edges.findByTriples(triples)).map((e) => [tripleKey(e), e]));
        const edges = planEdges(batch, ctx, resolved, stored, runId, startedAt);
        await writePlan(tx, nodes, edges);
        const pending = await resolvePendingEdges(tx, batch, nodes, runId, startedAt);
        edges.createEdges.push(...pending.created);
        const summary = nodes.summary;
        summary.created.edge = edges.createEdges.length;
        summary.missing.edge = edges.deleteRefs.length;
        summary.pendingEdges = edges.refs.filter((r) => r.nodeId === null).length + pending.stillPending;
        summary.findings = await leaks.afterImport(
          tx,
          actor,
          [...nodes.createCredentials, ...nodes.updateCredentials],
          startedAt,
        );
        summary.counts = batch.counts;
        const problems = [...batch.problems, ...nodes.problems];
        summary.problems = problems.slice(0, MAX_PROBLEMS_KEPT);
        summary.problemCount = problems.length;
        const run: DiscoveryRun = {
          id: runId,
          type: 'import',
          source: batch.source,
          scope: batch.scope,
          feed: batch.feed,
          actor,
          startedAt,
          finishedAt: now().toISOString(),
          summary,
        };
        if (dryRun) throw new DryRun({ run, nodes, edges });
        await tx.discoveryRuns.create(run);
        await tx.audit.append(
          audit.event(actor, 'discovery.imported', runId, {
            source: batch.source,
            scope: batch.scope,
            feed: batch.feed,
            partial: batch.partial,
            created: summary.created,
            updated: summary.updated,
            missing: summary.missing,
            unmanaged: summary.unmanaged,
            problems: summary.problemCount,
          }),
        );
        return { run, nodes, edges };
      });
    } catch (err) {
      if (err instanceof DryRun) return { run: err.outcome.run, dryRun: true };
      throw err;
    }
    const { nodes, edges } = outcome;
    for (const i of nodes.createIdentities) graph.upsertNode(identityToNode(i));
    for (const u of nodes.updateIdentities) graph.upsertNode(identityToNode(u.next));
    for (const r of nodes.createResources) graph.upsertNode(resourceToNode(r, 'resource'));
    for (const u of nodes.updateResources) graph.upsertNode(resourceToNode(u.next, 'resource'));
    for (const e of edges.deleteEdges) graph.removeEdge(e);
    for (const e of edges.createEdges) graph.addEdge(e);
    return { run: outcome.run, dryRun: false };
  }

  /** Parses and applies: what `keyward import` and `POST /v1/discovery/imports` do. */
  function importFiles(actor: string, request: ImportRequest): Promise<ImportOutcome> {
    return apply(actor, parse(request), request.dryRun === true);
  }

  return { parse, apply, importFiles };
}

export type ImportService = ReturnType<typeof createImportService>;
