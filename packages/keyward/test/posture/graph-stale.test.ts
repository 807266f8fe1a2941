/**
 * GraphIndex.staleSince, which the posture engine uses to keep reach totals across graph changes:
 * after a change only the nodes with a path to the changed node are stale (through CSR and overlay
 * edges alike), and a reader too far behind, or facing too many stale nodes, is told to start over.
 */
import { describe, expect, it } from 'vitest';
import { GraphIndex } from '../../src/graph/graph-index.js';

const id = (p: string, n: number) => `${p}_0190a0b0c0d0e0f000000000000000${String(n).padStart(2, '0')}`;
const [A, B, C, D] = [1, 2, 3, 4].map((n) => id('nhi', n)) as [string, string, string, string];
const [R1, R2] = [1, 2].map((n) => id('res', n)) as [string, string];

function estate() {
  // B → A → R1 (CSR); D unrelated; C assumes B later (overlay).
  return GraphIndex.build(
    [
      ...[A, B, C, D].map((x) => ({ id: x, type: 'identity' as const, blocked: false })),
      { id: R1, type: 'resource' as const, blocked: false },
      { id: R2, type: 'resource' as const, blocked: false },
    ],
    [
      { kind: 'has_permission', fromId: A, toId: R1, actions: ['read'] },
      { kind: 'can_assume', fromId: B, toId: A, actions: [] },
      { kind: 'has_permission', fromId: D, toId: R2, actions: ['read'] },
    ],
  );
}

describe('GraphIndex.staleSince', () => {
  it('names the changed node and everything reaching it, nothing else', () => {
    const index = estate();
    const mark = index.changes;
    expect(index.staleSince(mark, 100)).toEqual(new Set());
    index.addEdge({ kind: 'can_assume', fromId: C, toId: B, actions: [] });
    const mark2 = index.changes;
    index.addEdge({ kind: 'has_permission', fromId: A, toId: R2, actions: ['write'] });
    expect(index.staleSince(mark2, 100)).toEqual(new Set([A, B, C]));
    expect(index.staleSince(mark, 100)).toEqual(new Set([A, B, C]));
    index.setBlocked(R2, true);
    expect(index.staleSince(mark2, 100)).toEqual(new Set([A, B, C, D, R2]));
  });

  it('a removed edge still invalidates its source; too many or too old means start over', () => {
    const index = estate();
    const mark = index.changes;
    index.removeEdge({ kind: 'can_assume', fromId: B, toId: A });
    expect(index.staleSince(mark, 100)).toEqual(new Set([B]));
    expect(index.staleSince(mark, 0)).toBeUndefined();
    expect(index.staleSince(-1, 100)).toBeUndefined();
    for (let i = 0; i < 10_000; i++) index.setBlocked(D, i % 2 === 0);
    expect(index.staleSince(mark, 100)).toBeUndefined();
  });
});
