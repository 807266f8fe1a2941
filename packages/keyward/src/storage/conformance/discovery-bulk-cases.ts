/**
 * Bulk-path cases behind imports: createMany and upsertMany carry tens of thousands of rows through
 * the dialects' bulk statements (PostgreSQL: one array per column through unnest, chunked), so text
 * that an array literal must escape, nulls in nullable columns and the chunk boundary all have to
 * come back exactly as written.
 */
import type { Edge, Identity } from '@keyward/sdk';
import { describe, expect, it } from 'vitest';
import type { DiscoveryRef } from '../../discovery/discovery-types.js';
import { newId } from '../../ids.js';
import { aBareIdentity, anEdge, anIdentity, byId, type StoreRef } from './conformance-fixtures.js';
import { aRef, at, odd } from './discovery-fixtures.js';

const ROWS = 25_000;
/** Above one bulk statement's rows (10,000 on PostgreSQL), so the upsert spans chunks. */
const REFS = 12_500;
const SLOW = 120_000;

/** Every other identity is bare (all nullable columns null); all carry odd text in their text and JSON. */
function oddIdentity(i: number): Identity {
  const text = odd(i);
  const common = { name: `${text}#${i}`, environment: odd(i + 1) || 'prod', origin: odd(i + 2) };
  if (i % 2) return aBareIdentity({ ...common, labels: { [text]: odd(i + 3) } });
  return anIdentity({
    ...common,
    purpose: text,
    businessSystem: odd(i + 4),
    originExternalId: `${text}/${i}`,
    secretLocations: [{ store: odd(i + 5), ref: text }],
    labels: { [`k${i}`]: text, 'tier.level': odd(i + 6) },
  });
}

const oddEdge = (i: number): Edge =>
  anEdge({ fromId: `${odd(i)}|${i}`, toId: odd(i + 7), actions: [odd(i), odd(i + 1), `${i}`] });

export function discoveryBulkCases(store: StoreRef): void {
  describe('discovery bulk paths', () => {
    it(
      `createMany of ${ROWS} identities and ${ROWS} edges with odd text and nulls reads back identical`,
      async () => {
        const identities = Array.from({ length: ROWS }, (_, i) => oddIdentity(i));
        const edges = Array.from({ length: ROWS }, (_, i) => oddEdge(i));
        await store().identities.createMany(identities);
        await store().bulkLoad((tx) => tx.edges.createMany(edges));
        expect(await store().identities.count()).toBe(ROWS);
        const back = await store().identities.getMany(identities.map((x) => x.id));
        // Compared one by one first, so a failure names the row instead of diffing 25,000.
        for (let i = 0; i < ROWS; i++)
          if (!equal(back[i], identities[i])) expect(back[i]).toEqual(identities[i]);
        expect(back).toHaveLength(ROWS);
        const scanned: Edge[] = [];
        for await (const batch of store().edges.scan(5_000)) scanned.push(...batch);
        const want = byId(edges);
        expect(scanned).toHaveLength(ROWS);
        for (let i = 0; i < ROWS; i++) if (!equal(scanned[i], want[i])) expect(scanned[i]).toEqual(want[i]);
      },
      SLOW,
    );

    it(
      `upsertMany of ${REFS} refs, then replacing half of them (and adding some), across chunks`,
      async () => {
        const s = store().discoveryRefs;
        const refs = Array.from({ length: REFS }, (_, i) =>
          aRef({
            scope: 'sc-bulk',
            externalId: `e${String(i).padStart(6, '0')}:${odd(i)}`,
            nodeType: i % 3 ? 'identity' : 'edge',
            nodeId: i % 3 ? newId('identity') : null,
            contentHash: odd(i + 1),
            details: { text: odd(i), list: [odd(i + 2), null, i] },
            missingSince: i % 5 ? null : at(i % 60),
          }),
        );
        await s.upsertMany(refs);
        const replaced = refs.map(
          (r, i): DiscoveryRef =>
            i % 2
              ? r
              : {
                  ...r,
                  nodeType: 'resource',
                  nodeId: i % 4 ? newId('resource') : null,
                  contentHash: `new:${odd(i + 3)}`,
                  details: { replaced: odd(i + 4) },
                  lastImportedAt: at(5_000 + i),
                  lastRunId: newId('discoveryRun'),
                  missingSince: i % 3 ? at(9) : null,
                },
        );
        const added = Array.from({ length: 600 }, (_, i) =>
          aRef({ scope: 'sc-bulk', externalId: `f${String(i).padStart(6, '0')}:${odd(i)}` }),
        );
        await s.upsertMany([...replaced.filter((_, i) => i % 2 === 0), ...added]);
        const want = [...replaced, ...added];
        const back = await s.listScope('sc-bulk');
        expect(back).toHaveLength(want.length);
        for (let i = 0; i < want.length; i++) if (!equal(back[i], want[i])) expect(back[i]).toEqual(want[i]);
        expect(await s.scopes()).toEqual([
          { scope: 'sc-bulk', refs: want.length, lastImportedAt: at(5_000 + REFS - 2) },
        ]);
      },
      SLOW,
    );
  });
}

/** Deep equality without vitest's diff machinery (cheap enough to run 25,000 times). */
const equal = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
