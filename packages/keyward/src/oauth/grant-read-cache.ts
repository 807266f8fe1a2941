/**
 * In-memory reads for the token endpoint's hot path: identities, their registered keys, tasks and
 * sponsors. Only records that would let an issuance proceed are cached (an active identity, an
 * existing key, an active task, an active human), each for a short time; anything else is read
 * from the store every time, so a refusal is never served from a stale entry.
 *
 * The cache is an optimisation, never the authority: the issuance commit
 * (issuance-committer.ts) re-reads the same rows inside the transaction that records the token,
 * so a disable, revocation or key removal made on any replica refuses the issuance at once.
 */
import type { Human, Identity } from '@keyward/sdk';
import type { IdentityKeyRecord, Store, Task } from '../storage/storage-types.js';

export interface GrantReads {
  identities: { get(id: string): Promise<Identity | undefined> };
  identityKeys: { get(identityId: string, kid: string): Promise<IdentityKeyRecord | undefined> };
  tasks: { get(id: string): Promise<Task | undefined> };
  humans: { get(id: string): Promise<Human | undefined> };
}

const MAX_ENTRIES = 10_000;

function cached<T>(
  load: (key: string) => Promise<T | undefined>,
  keep: (value: T) => boolean,
  ttlMs: number,
  now: () => number,
) {
  const entries = new Map<string, { value: T; until: number }>();
  return async (key: string): Promise<T | undefined> => {
    const hit = entries.get(key);
    if (hit && hit.until > now()) return hit.value;
    const value = await load(key);
    if (value !== undefined && keep(value)) {
      if (entries.size >= MAX_ENTRIES) entries.clear();
      entries.set(key, { value, until: now() + ttlMs });
    } else entries.delete(key);
    return value;
  };
}

export function createGrantReadCache(
  store: Pick<Store, 'identities' | 'identityKeys' | 'tasks' | 'humans'>,
  options: { ttlMs?: number; now?: () => number } = {},
): GrantReads {
  const ttl = options.ttlMs ?? 5_000;
  const now = options.now ?? Date.now;
  const identity = cached(
    (id) => store.identities.get(id),
    (i) => i.status === 'active',
    ttl,
    now,
  );
  const key = cached(
    (k) => {
      const [identityId, kid] = JSON.parse(k) as [string, string];
      return store.identityKeys.get(identityId, kid);
    },
    () => true,
    ttl,
    now,
  );
  const task = cached(
    (id) => store.tasks.get(id),
    (t) => t.status === 'active',
    ttl,
    now,
  );
  const human = cached(
    (id) => store.humans.get(id),
    (h) => h.active,
    ttl,
    now,
  );
  return {
    identities: { get: identity },
    identityKeys: { get: (identityId, kid) => key(JSON.stringify([identityId, kid])) },
    tasks: { get: task },
    humans: { get: human },
  };
}
