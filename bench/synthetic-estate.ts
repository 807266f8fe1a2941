/**
 * A synthetic estate for benchmarks and scale tests: `count` identities (mixed kinds, owners, ages,
 * credentials), 1,000 humans (1 in 50 gone), 5,000 resources and `edgesPer` edges per identity.
 */
import type { Edge, EdgeKind, Human, Identity, IdentityKind, Resource, Sensitivity } from '@keyward/sdk';
import { newId } from '../packages/keyward/src/ids.js';
import type { Store } from '../packages/keyward/src/storage/storage-types.js';

export const NOW = Date.parse('2026-06-01T00:00:00Z');
export const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const KINDS: IdentityKind[] = [
  'service_account',
  'api_key',
  'oauth_app',
  'agent',
  'workload',
  'bot',
  'token',
];
const ENVS = ['prod', 'staging', 'dev'];

export function syntheticEstate(count: number, edgesPer: number) {
  const humans: Human[] = Array.from({ length: 1_000 }, (_, i) => ({
    id: newId('human'),
    email: `person-${i}@example.com`,
    name: `Person ${i}`,
    active: i % 50 !== 0,
    title: null,
    createdAt: iso(NOW - 400 * DAY),
    updatedAt: iso(NOW - 400 * DAY),
    version: 1,
  }));
  const resources: Resource[] = Array.from({ length: 5_000 }, (_, i) => ({
    id: newId('resource'),
    name: `res-${i}`,
    kind: i % 10 === 0 ? 'secret_store' : 'database',
    systemId: null,
    environment: ENVS[i % 3]!,
    sensitivity: (['low', 'medium', 'high', i % 20 === 0 ? 'critical' : 'high'] as Sensitivity[])[i % 4]!,
    labels: {},
    createdAt: iso(NOW - 400 * DAY),
    updatedAt: iso(NOW - 400 * DAY),
    version: 1,
  }));
  const identities: Identity[] = [];
  const edges: Edge[] = [];
  for (let i = 0; i < count; i++) {
    const created = NOW - (30 + (i % 700)) * DAY;
    identities.push({
      id: newId('identity'),
      name: `nhi-${i}`,
      kind: KINDS[i % KINDS.length]!,
      ownerId: i % 10 === 0 ? null : humans[i % humans.length]!.id,
      purpose: i % 25 === 0 ? null : `workload ${i}`,
      environment: ENVS[i % 3]!,
      businessSystem: null,
      origin: 'aws',
      originExternalId: null,
      secretLocations: i % 3 === 0 ? [{ store: 'vault', ref: `kv/nhi-${i}` }] : [],
      credential: {
        createdAt: iso(created),
        ...(i % 4 === 0 ? {} : { lastRotatedAt: iso(NOW - (i % 200) * DAY) }),
        ...(i % 5 === 0 ? {} : { expiresAt: iso(NOW + (i % 300) * DAY) }),
        lastUsedAt: iso(NOW - (i % 150) * DAY),
        rotationPeriodDays: 90,
      },
      reviewDate: null,
      status: 'active',
      labels: {},
      firstSeen: iso(created),
      lastSeen: iso(NOW - (i % 150) * DAY),
      createdAt: iso(created),
      updatedAt: iso(created),
      version: 1,
    });
  }
  const kinds: EdgeKind[] = ['has_permission', 'has_permission', 'has_permission', 'member_of', 'stored_in'];
  for (let i = 0; i < count; i++) {
    const from = identities[i]!.id;
    for (let k = 0; k < edgesPer; k++) {
      const kind: EdgeKind = k === edgesPer - 1 && i % 7 === 0 ? 'can_assume' : kinds[k % kinds.length]!;
      const toId =
        kind === 'can_assume'
          ? identities[(i * 31 + 17) % count]!.id
          : resources[(i * 13 + k * 977) % resources.length]!.id;
      if (toId === from) continue;
      edges.push({
        id: newId('edge'),
        kind,
        fromId: from,
        toId,
        actions: kind === 'has_permission' ? (i % 100 === 0 && k === 0 ? ['*'] : ['read']) : [],
        createdAt: iso(NOW - 100 * DAY),
      });
    }
  }
  return { humans, resources, identities, edges };
}

/** Loads a synthetic estate through the store's bulk path (one transaction, batched inserts). */
export async function loadSyntheticEstate(
  store: Store,
  data: ReturnType<typeof syntheticEstate>,
): Promise<void> {
  await store.bulkLoad(async (tx) => {
    for (const h of data.humans) await tx.humans.create(h);
    await tx.resources.createMany(data.resources);
    for (let i = 0; i < data.identities.length; i += 5_000) {
      await tx.identities.createMany(data.identities.slice(i, i + 5_000));
    }
    for (let i = 0; i < data.edges.length; i += 50_000) {
      await tx.edges.createMany(data.edges.slice(i, i + 50_000));
    }
  });
}
