/**
 * Resolves what detection needs from the inventory, cached in memory: a target's system and resource
 * class (resources belong to systems; a class is kind + sensitivity), and an identity's name and
 * whether its owner is still active. Lookups are synchronous on the hot path; `prefetch` loads the
 * ids a batch of events names before the batch is processed. Entries expire (owners leave,
 * resources move), unknown ids are cached as unknown.
 */
import type { Store } from '../storage/storage-types.js';

export interface TargetInfo {
  /** System id the target belongs to (the system itself for a system id). */
  system: string | undefined;
  /** `kind/sensitivity` of a resource, e.g. `bucket/high`; `system/<sensitivity>` for a system. */
  resourceClass: string | undefined;
  sensitivity: string | undefined;
}

export interface IdentityInfo {
  name: string;
  ownerId: string | null;
  /** false when the owner is recorded as inactive (left); undefined without an owner. */
  ownerActive: boolean | undefined;
}

export interface InventoryResolver {
  target(id: string): TargetInfo | undefined;
  identity(id: string): IdentityInfo | undefined;
  prefetch(targetIds: Iterable<string>, identityIds: Iterable<string>): Promise<void>;
}

interface Cached<T> {
  value: T | undefined;
  until: number;
}

const SENS_RANK: Record<string, number> = { low: 0, medium: 1, high: 2, critical: 3 };

/** The higher of two sensitivities (a resource inherits its system's when that is higher). */
export function maxSensitivity(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return (SENS_RANK[a] ?? 0) >= (SENS_RANK[b] ?? 0) ? a : b;
}

export function createInventoryResolver(
  store: Pick<Store, 'resources' | 'systems' | 'identities' | 'humans'>,
  o: { ttlMs?: number; clock?: () => number } = {},
): InventoryResolver {
  const ttl = o.ttlMs ?? 60_000;
  const clock = o.clock ?? Date.now;
  const targets = new Map<string, Cached<TargetInfo>>();
  const identities = new Map<string, Cached<IdentityInfo>>();

  const fresh = <T>(c: Cached<T> | undefined): c is Cached<T> => c !== undefined && c.until > clock();

  async function loadTarget(id: string): Promise<TargetInfo | undefined> {
    if (id.startsWith('sys_')) {
      const s = await store.systems.get(id);
      return s && { system: s.id, resourceClass: `system/${s.sensitivity}`, sensitivity: s.sensitivity };
    }
    if (!id.startsWith('res_')) return undefined;
    const r = await store.resources.get(id);
    if (!r) return undefined;
    const system = r.systemId ? await store.systems.get(r.systemId) : undefined;
    return {
      system: r.systemId ?? undefined,
      resourceClass: `${r.kind}/${r.sensitivity}`,
      sensitivity: maxSensitivity(r.sensitivity, system?.sensitivity),
    };
  }

  async function loadIdentity(id: string): Promise<IdentityInfo | undefined> {
    const i = await store.identities.get(id);
    if (!i) return undefined;
    const owner = i.ownerId ? await store.humans.get(i.ownerId) : undefined;
    return { name: i.name, ownerId: i.ownerId, ownerActive: owner ? owner.active : undefined };
  }

  return {
    target: (id) => targets.get(id)?.value,
    identity: (id) => identities.get(id)?.value,
    async prefetch(targetIds, identityIds) {
      const until = clock() + ttl;
      for (const id of new Set(targetIds)) {
        if (!fresh(targets.get(id))) targets.set(id, { value: await loadTarget(id), until });
      }
      for (const id of new Set(identityIds)) {
        if (!fresh(identities.get(id))) identities.set(id, { value: await loadIdentity(id), until });
      }
    },
  };
}
