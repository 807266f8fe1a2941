/**
 * GraphIndex.edgesOf, which posture rules read every identity's edges through: CSR rows and the
 * live overlay alike, removed edges (tombstones) left out, actions and neighbour details kept.
 */
import { describe, expect, it } from 'vitest';
import { GraphIndex } from '../../src/graph/graph-index.js';

const A = 'idn_0190a0b0c0d0e0f00000000000000001';
const B = 'idn_0190a0b0c0d0e0f00000000000000002';
const R1 = 'res_0190a0b0c0d0e0f00000000000000001';
const R2 = 'res_0190a0b0c0d0e0f00000000000000002';

describe('GraphIndex.edgesOf', () => {
  it('reads CSR and overlay edges in both directions and skips removed ones', () => {
    const index = GraphIndex.build(
      [
        { id: A, type: 'identity', blocked: false },
        { id: B, type: 'identity', blocked: false },
        { id: R1, type: 'resource', sensitivity: 'critical', blocked: false },
        { id: R2, type: 'resource', sensitivity: 'low', blocked: false },
      ],
      [
        { kind: 'has_permission', fromId: A, toId: R1, actions: ['read', 'write'] },
        { kind: 'can_assume', fromId: B, toId: A, actions: [] },
      ],
    );
    index.addEdge({ kind: 'has_permission', fromId: A, toId: R2, actions: ['*'] });
    const out = index.edgesOf(A, 'out').sort((x, y) => x.id.localeCompare(y.id));
    expect(out).toEqual([
      {
        kind: 'has_permission',
        id: R1,
        type: 'resource',
        sensitivity: 'critical',
        actions: ['read', 'write'],
      },
      { kind: 'has_permission', id: R2, type: 'resource', sensitivity: 'low', actions: ['*'] },
    ]);
    expect(index.edgesOf(A, 'in')).toEqual([
      { kind: 'can_assume', id: B, type: 'identity', sensitivity: null, actions: [] },
    ]);
    expect(index.edgesOf(R1, 'in').map((e) => [e.id, e.actions])).toEqual([[A, ['read', 'write']]]);

    index.removeEdge({ kind: 'has_permission', fromId: A, toId: R1 });
    index.removeEdge({ kind: 'has_permission', fromId: A, toId: R2 });
    expect(index.edgesOf(A, 'out')).toEqual([]);
    expect(index.edgesOf(R1, 'in')).toEqual([]);
    expect(index.edgesOf('idn_0190a0b0c0d0e0f00000000000000099', 'out')).toEqual([]);
  });
});
