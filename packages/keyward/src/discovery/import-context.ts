/**
 * What an import reads before it decides anything, all inside its transaction: the scope's refs,
 * the records they point at, the humans named as owners, the names already taken, and the refs of
 * other scopes that cross-scope edges name.
 */
import type { Identity, Resource } from '@keyward/sdk';
import type { StoreTx } from '../storage/storage-types.js';
import type { CredentialRecord, DiscoveryRef } from './discovery-types.js';
import type { ImportBatch } from './import-batch.js';

export interface ImportContext {
  /** Every ref of the scope, by `nodeType:externalId` (a node's refs of all feeds). */
  scopeRefs: Map<string, DiscoveryRef[]>;
  identities: Map<string, Identity>;
  resources: Map<string, Resource>;
  credentials: Map<string, CredentialRecord>;
  humansByEmail: Map<string, string>;
  /** Names taken by records outside this import's refs: name → id. */
  takenIdentityNames: Map<string, string>;
  takenResourceNames: Map<string, string>;
  /** `scope|externalId` → node id, for cross-scope endpoints that are known. */
  foreignNodes: Map<string, string>;
}

export const refKey = (nodeType: string, externalId: string): string => `${nodeType}:${externalId}`;

/** `scope|externalId` → [scope, externalId], or undefined for a plain external id. */
export function splitQualified(endpoint: string): [string, string] | undefined {
  const bar = endpoint.indexOf('|');
  if (bar <= 0) return undefined;
  return [endpoint.slice(0, bar), endpoint.slice(bar + 1)];
}

export async function loadImportContext(tx: StoreTx, batch: ImportBatch): Promise<ImportContext> {
  const scopeRefs = new Map<string, DiscoveryRef[]>();
  for (const ref of await tx.discoveryRefs.listScope(batch.scope)) {
    const key = refKey(ref.nodeType, ref.externalId);
    const list = scopeRefs.get(key);
    if (list) list.push(ref);
    else scopeRefs.set(key, [ref]);
  }
  const idsOf = (type: string) => {
    const ids = new Set<string>();
    for (const list of scopeRefs.values())
      for (const r of list) if (r.nodeType === type && r.nodeId) ids.add(r.nodeId);
    return [...ids];
  };
  const identities = new Map((await tx.identities.getMany(idsOf('identity'))).map((i) => [i.id, i]));
  const resources = new Map((await tx.resources.getMany(idsOf('resource'))).map((r) => [r.id, r]));
  const credentials = new Map((await tx.credentials.getMany(idsOf('credential'))).map((c) => [c.id, c]));

  const humansByEmail = new Map<string, string>();
  const emails = new Set(batch.identities.flatMap((d) => (d.ownerEmail ? [d.ownerEmail.toLowerCase()] : [])));
  for (const email of emails) {
    const human = await tx.humans.getByEmail(email);
    if (human) humansByEmail.set(email, human.id);
  }

  const known = (type: string, externalId: string) =>
    (scopeRefs.get(refKey(type, externalId)) ?? []).some((r) => r.nodeId);
  const takenIdentityNames = await tx.identities.findNames(
    batch.identities.filter((d) => !known('identity', d.externalId)).map((d) => d.name),
  );
  const takenResourceNames = await tx.resources.findNames(
    batch.resources.filter((d) => !known('resource', d.externalId)).map((d) => d.name),
  );

  const foreignNodes = new Map<string, string>();
  const byScope = new Map<string, Set<string>>();
  for (const edge of batch.edges) {
    for (const endpoint of [edge.from, edge.to]) {
      const split = splitQualified(endpoint);
      if (!split || split[0] === batch.scope) continue;
      const set = byScope.get(split[0]) ?? new Set<string>();
      set.add(split[1]);
      byScope.set(split[0], set);
    }
  }
  for (const [scope, ids] of byScope) {
    for (const ref of await tx.discoveryRefs.findByExternalIds(scope, [...ids])) {
      if (ref.nodeId && (ref.nodeType === 'identity' || ref.nodeType === 'resource')) {
        foreignNodes.set(`${scope}|${ref.externalId}`, ref.nodeId);
      }
    }
  }
  return {
    scopeRefs,
    identities,
    resources,
    credentials,
    humansByEmail,
    takenIdentityNames,
    takenResourceNames,
    foreignNodes,
  };
}
