/**
 * Loads a generated demo estate into an empty store in one transaction, with one audit event
 * recording the import.
 */
import { newId } from '../ids.js';
import type { Store } from '../storage/storage-types.js';
import { generateDemoEstate } from './demo-estate.js';

export interface DemoLoadResult {
  loaded: boolean;
  identities: number;
  edges: number;
}

/** Loads the demo estate unless the store already holds identities (never mixes demo into real data). */
export async function loadDemoEstate(store: Store, now: Date = new Date()): Promise<DemoLoadResult> {
  if ((await store.identities.count()) > 0) return { loaded: false, identities: 0, edges: 0 };
  const estate = generateDemoEstate({ now });
  await store.bulkLoad(async (tx) => {
    await tx.humans.createMany(estate.humans);
    await tx.systems.createMany(estate.systems);
    await tx.resources.createMany(estate.resources);
    await tx.identities.createMany(estate.identities);
    await tx.edges.createMany(estate.edges);
    await tx.audit.append({
      id: newId('auditEvent'),
      time: now.toISOString(),
      actor: 'system',
      type: 'demo.loaded',
      targetId: null,
      outcome: 'success',
      details: {
        humans: estate.humans.length,
        identities: estate.identities.length,
        resources: estate.resources.length,
        edges: estate.edges.length,
      },
    });
  });
  return { loaded: true, identities: estate.identities.length, edges: estate.edges.length };
}
