/**
 * Deciding what an import changes, without I/O: which records are new, changed, unchanged or gone
 * from the feed, and the refs that remember it. planNodes handles identities, resources and
 * credentials; planEdges (import-edge-plan.ts) the edges, once node ids are known.
 */
import type { Identity, Resource } from '@keyward/sdk';
import type { CredentialRecord, DiscoveryRef, RefNodeType, RunSummary } from './discovery-types.js';
import type { ImportBatch, ImportProblem } from './import-batch.js';
import { type ImportContext, refKey } from './import-context.js';
import {
  contentHash,
  credentialRecord,
  foundInText,
  mergeIdentity,
  mergeResource,
  newIdentity,
  newResource,
  originOf,
  sourceLabels,
  withMissing,
} from './import-records.js';
import { isUnmanaged } from './managed-status.js';

export interface NodePlan {
  createIdentities: Identity[];
  updateIdentities: Array<{ next: Identity; expectedVersion: number }>;
  createResources: Resource[];
  updateResources: Array<{ next: Resource; expectedVersion: number }>;
  createCredentials: CredentialRecord[];
  updateCredentials: CredentialRecord[];
  /** Credentials that became revoked or went missing in this run (their findings resolve). */
  revokedCredentials: CredentialRecord[];
  refs: DiscoveryRef[];
  /** externalId → Keyward id, for every identity and resource of the batch and of the scope. */
  nodeIds: Map<string, string>;
  problems: ImportProblem[];
  summary: RunSummary;
}

const zero = (): Record<RefNodeType, number> => ({ identity: 0, resource: 0, edge: 0, credential: 0 });

export function emptySummary(): RunSummary {
  return {
    created: zero(),
    updated: zero(),
    unchanged: 0,
    missing: zero(),
    unmanaged: 0,
    pendingEdges: 0,
    findings: { opened: 0, updated: 0, resolved: 0, linked: 0 },
    counts: {},
    problems: [],
    problemCount: 0,
  };
}

/** A name no other record holds: the proposed one, or it with a short suffix from the external id. */
function freeName(name: string, externalId: string, taken: Map<string, string>, used: Set<string>): string {
  if (!taken.has(name) && !used.has(name)) return name;
  const suffix = contentHash(externalId).slice(0, 8);
  return `${name.slice(0, 190)}~${suffix}`;
}

interface PlanInput {
  batch: ImportBatch;
  ctx: ImportContext;
  runId: string;
  at: string;
}

function refFor(
  input: PlanInput,
  nodeType: RefNodeType,
  externalId: string,
  nodeId: string | null,
  hash: string,
  details: Record<string, unknown>,
): DiscoveryRef {
  const { batch, ctx, runId, at } = input;
  const previous = (ctx.scopeRefs.get(refKey(nodeType, externalId)) ?? []).find((r) => r.feed === batch.feed);
  return {
    scope: batch.scope,
    feed: batch.feed,
    externalId,
    nodeType,
    nodeId,
    contentHash: hash,
    details,
    firstImportedAt: previous?.firstImportedAt ?? at,
    lastImportedAt: at,
    lastRunId: runId,
    missingSince: null,
  };
}

/** The node id an earlier import of the scope (any feed) made of this external id. */
function knownNode(ctx: ImportContext, nodeType: RefNodeType, externalId: string): DiscoveryRef | undefined {
  return (ctx.scopeRefs.get(refKey(nodeType, externalId)) ?? []).find((r) => r.nodeId);
}

export function planNodes(input: PlanInput): NodePlan {
  const { batch, ctx, at } = input;
  const plan: NodePlan = {
    createIdentities: [],
    updateIdentities: [],
    createResources: [],
    updateResources: [],
    createCredentials: [],
    updateCredentials: [],
    revokedCredentials: [],
    refs: [],
    nodeIds: new Map(),
    problems: [],
    summary: emptySummary(),
  };
  const { summary } = plan;
  const origin = originOf(batch.scope, batch.source);
  const usedNames = new Set<string>();
  const seen = new Set<string>();

  for (const list of ctx.scopeRefs.values()) {
    for (const r of list) {
      if (r.nodeId && (r.nodeType === 'identity' || r.nodeType === 'resource'))
        plan.nodeIds.set(r.externalId, r.nodeId);
    }
  }

  for (const d of batch.identities) {
    const key = refKey('identity', d.externalId);
    if (seen.has(key)) {
      plan.problems.push({
        file: d.foundIn.file,
        path: d.foundIn.path,
        severity: 'warning',
        reason: `identity ${d.externalId} appears twice; the first is kept`,
      });
      continue;
    }
    seen.add(key);
    const ownerId = d.ownerEmail ? (ctx.humansByEmail.get(d.ownerEmail.toLowerCase()) ?? null) : null;
    if (d.ownerEmail && !ownerId) {
      plan.problems.push({
        file: d.foundIn.file,
        path: d.foundIn.path,
        severity: 'warning',
        reason: `owner ${d.ownerEmail} of ${d.name} is not a known human; left without an owner`,
      });
    }
    const hash = contentHash({ d, ownerId });
    const labelKeys = Object.keys(sourceLabels(d.labels));
    const details = {
      foundIn: foundInText(d.foundIn),
      labelKeys,
      ...(d.details ? { source: d.details } : {}),
    };
    const ictx = { scope: batch.scope, origin, ownerId, at };
    const known = knownNode(ctx, 'identity', d.externalId);
    const current = known?.nodeId ? ctx.identities.get(known.nodeId) : undefined;
    let identity: Identity;
    if (current) {
      const mine = (ctx.scopeRefs.get(key) ?? []).find((r) => r.feed === batch.feed);
      const unchanged =
        mine?.contentHash === hash && !mine.missingSince && !current.labels['kw.missing_since'];
      if (unchanged) {
        summary.unchanged++;
        identity = current;
      } else {
        const previousKeys = (known?.details['labelKeys'] as string[] | undefined) ?? [];
        identity = mergeIdentity(current, d, ictx, previousKeys);
        plan.updateIdentities.push({ next: identity, expectedVersion: current.version });
        summary.updated.identity++;
      }
    } else {
      const name = freeName(d.name, d.externalId, ctx.takenIdentityNames, usedNames);
      if (name !== d.name) {
        plan.problems.push({
          file: d.foundIn.file,
          path: d.foundIn.path,
          severity: 'warning',
          reason: `name ${d.name} is taken by another record; imported as ${name}`,
        });
      }
      usedNames.add(name);
      identity = newIdentity(d, name, ictx);
      plan.createIdentities.push(identity);
      summary.created.identity++;
    }
    if (isUnmanaged(identity)) summary.unmanaged++;
    plan.nodeIds.set(d.externalId, identity.id);
    plan.refs.push(refFor(input, 'identity', d.externalId, identity.id, hash, details));
  }

  const usedResourceNames = new Set<string>();
  for (const d of batch.resources) {
    const key = refKey('resource', d.externalId);
    if (seen.has(key)) continue;
    seen.add(key);
    const hash = contentHash(d);
    const labelKeys = Object.keys(sourceLabels(d.labels));
    const details = {
      foundIn: foundInText(d.foundIn),
      labelKeys,
      ...(d.details ? { source: d.details } : {}),
    };
    const known = knownNode(ctx, 'resource', d.externalId);
    const current = known?.nodeId ? ctx.resources.get(known.nodeId) : undefined;
    let resource: Resource;
    if (current) {
      const mine = (ctx.scopeRefs.get(key) ?? []).find((r) => r.feed === batch.feed);
      if (mine?.contentHash === hash && !mine.missingSince && !current.labels['kw.missing_since']) {
        summary.unchanged++;
        resource = current;
      } else {
        const previousKeys = (known?.details['labelKeys'] as string[] | undefined) ?? [];
        resource = mergeResource(current, d, batch.scope, previousKeys, at);
        plan.updateResources.push({ next: resource, expectedVersion: current.version });
        summary.updated.resource++;
      }
    } else {
      const name = freeName(d.name, d.externalId, ctx.takenResourceNames, usedResourceNames);
      usedResourceNames.add(name);
      resource = newResource(d, name, batch.scope, at);
      plan.createResources.push(resource);
      summary.created.resource++;
    }
    plan.nodeIds.set(d.externalId, resource.id);
    plan.refs.push(refFor(input, 'resource', d.externalId, resource.id, hash, details));
  }

  let byName: Map<string, string> | undefined;
  const identityNamed = (name: string | undefined): string | undefined => {
    if (!name) return undefined;
    byName ??= new Map(
      [...ctx.identities.values(), ...plan.createIdentities].map((i) => [i.name, i.id] as const),
    );
    return byName.get(name);
  };
  for (const d of batch.credentials) {
    const key = refKey('credential', d.externalId);
    if (seen.has(key)) continue;
    seen.add(key);
    const identityId = plan.nodeIds.get(d.identity) ?? identityNamed(d.identityName) ?? '';
    if (!identityId.startsWith('nhi_')) {
      plan.problems.push({
        file: d.foundIn.file,
        path: d.foundIn.path,
        severity: 'error',
        reason: `credential ${d.externalId} names unknown identity ${d.identity}; skipped`,
      });
      continue;
    }
    const hash = contentHash({ d, identityId });
    const known = knownNode(ctx, 'credential', d.externalId);
    const current = known?.nodeId ? ctx.credentials.get(known.nodeId) : undefined;
    const mine = (ctx.scopeRefs.get(key) ?? []).find((r) => r.feed === batch.feed);
    let record: CredentialRecord;
    if (current && mine?.contentHash === hash && !mine.missingSince) {
      summary.unchanged++;
      record = current;
    } else {
      record = credentialRecord(d, identityId, batch.scope, at, current);
      if (current) {
        plan.updateCredentials.push(record);
        summary.updated.credential++;
        if (record.status !== 'active' && current.status === 'active') plan.revokedCredentials.push(record);
      } else {
        plan.createCredentials.push(record);
        summary.created.credential++;
      }
    }
    plan.refs.push(
      refFor(input, 'credential', d.externalId, record.id, hash, { foundIn: foundInText(d.foundIn) }),
    );
  }

  if (!batch.partial) markMissing(input, plan, seen);
  return plan;
}

/** Records this feed held before and no longer does: identities and resources marked, credentials revoked. */
function markMissing(input: PlanInput, plan: NodePlan, seen: Set<string>): void {
  const { batch, ctx, at } = input;
  for (const [key, list] of ctx.scopeRefs) {
    const mine = list.find((r) => r.feed === batch.feed);
    if (!mine || mine.nodeType === 'edge' || seen.has(key)) continue;
    const stillElsewhere = list.some((r) => r.feed !== batch.feed && !r.missingSince);
    if (!mine.missingSince) {
      plan.refs.push({ ...mine, missingSince: at });
      plan.summary.missing[mine.nodeType]++;
    }
    if (stillElsewhere || !mine.nodeId) continue;
    if (mine.nodeType === 'identity') {
      const current = ctx.identities.get(mine.nodeId);
      if (current && !current.labels['kw.missing_since']) {
        plan.updateIdentities.push({ next: withMissing(current, at, at), expectedVersion: current.version });
      }
    } else if (mine.nodeType === 'resource') {
      const current = ctx.resources.get(mine.nodeId);
      if (current && !current.labels['kw.missing_since']) {
        const labels = { ...current.labels, 'kw.missing_since': at };
        plan.updateResources.push({
          next: { ...current, labels, updatedAt: at, version: current.version + 1 },
          expectedVersion: current.version,
        });
      }
    } else if (mine.nodeType === 'credential') {
      const current = ctx.credentials.get(mine.nodeId);
      if (current && current.status !== 'revoked') {
        const next = {
          ...current,
          status: 'revoked' as const,
          revokedAt: at,
          updatedAt: at,
          details: { ...current.details, goneFromSource: at },
        };
        plan.updateCredentials.push(next);
        plan.revokedCredentials.push(next);
      }
    }
  }
}
