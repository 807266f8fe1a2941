import type { EdgeKind } from '@keyward/sdk';
import { describe, expect, it } from 'vitest';
import { KeywardError } from '../errors.js';
import { EDGE_TRAVERSAL } from './edge-kinds.js';
import { type GraphEdgeInput, GraphIndex, type GraphNodeInput } from './graph-index.js';

const idn = (name: string, blocked = false): GraphNodeInput => ({
  id: `nhi_${name}`,
  type: 'identity',
  blocked,
});
const res = (name: string, sensitivity: GraphNodeInput['sensitivity']): GraphNodeInput => ({
  id: `res_${name}`,
  type: 'resource',
  sensitivity,
  blocked: false,
});
const e = (kind: EdgeKind, fromId: string, toId: string, actions: string[] = []): GraphEdgeInput => ({
  kind,
  fromId,
  toId,
  actions,
});
const ids = (entries: Array<{ id: string }>): string[] => entries.map((x) => x.id).sort();

describe('blast radius', () => {
  it('follows role-chaining loops without revisiting, and never lists the subject', () => {
    const g = GraphIndex.build(
      [idn('a'), idn('b'), idn('c')],
      [
        e('can_assume', 'nhi_a', 'nhi_b'),
        e('can_assume', 'nhi_b', 'nhi_c'),
        e('can_assume', 'nhi_c', 'nhi_a'),
      ],
    );
    const r = g.blastRadius('nhi_a');
    expect(ids(r.entries)).toEqual(['nhi_b', 'nhi_c']);
    expect(r.totals.reachable).toBe(2);
    expect(r.entries.find((x) => x.id === 'nhi_c')?.distance).toBe(2);
    expect(r.entries.find((x) => x.id === 'nhi_c')?.path.map((s) => s.toId)).toEqual(['nhi_b', 'nhi_c']);
  });

  it('does not traverse informational edges (created, owns, sponsors)', () => {
    const g = GraphIndex.build(
      [idn('a'), idn('b'), { id: 'hum_h', type: 'human', blocked: false }],
      [e('created', 'nhi_a', 'nhi_b'), e('owns', 'nhi_a', 'nhi_b'), e('sponsors', 'hum_h', 'nhi_a')],
    );
    expect(g.blastRadius('nhi_a').totals.reachable).toBe(0);
    expect(g.blastRadius('hum_h').totals.reachable).toBe(0);
  });

  it('walks stored_in against its direction: holding the vault exposes the stored identity', () => {
    const g = GraphIndex.build(
      [idn('x'), idn('y'), res('vault', 'high'), res('db', 'critical')],
      [
        e('has_permission', 'nhi_x', 'res_vault', ['read']),
        e('stored_in', 'nhi_y', 'res_vault'),
        e('has_permission', 'nhi_y', 'res_db', ['write']),
      ],
    );
    const r = g.blastRadius('nhi_x');
    expect(ids(r.entries)).toEqual(['nhi_y', 'res_db', 'res_vault']);
    const y = r.entries.find((x) => x.id === 'nhi_y')!;
    expect(y.path).toEqual([
      { fromId: 'nhi_x', toId: 'res_vault', kind: 'has_permission', reversed: false, actions: ['read'] },
      { fromId: 'res_vault', toId: 'nhi_y', kind: 'stored_in', reversed: true, actions: [] },
    ]);
    // Y's secret is in the vault, but holding Y does not give the vault.
    expect(ids(g.blastRadius('nhi_y').entries)).toEqual(['res_db']);
  });

  it('reaches through group membership', () => {
    const g = GraphIndex.build(
      [idn('a'), res('group', null), res('bucket', 'medium')],
      [e('member_of', 'nhi_a', 'res_group'), e('has_permission', 'res_group', 'res_bucket', ['read'])],
    );
    const r = g.blastRadius('nhi_a');
    expect(r.entries.map((x) => [x.id, x.distance, x.actions])).toEqual([
      ['res_bucket', 2, ['read']],
      ['res_group', 1, []],
    ]);
  });

  it('never enters disabled or revoked identities, but expands a blocked subject; orphaned still counts', () => {
    const nodes = [
      idn('s', true),
      idn('dis', true),
      idn('rev', true),
      idn('orph'),
      res('r1', 'low'),
      res('r2', 'low'),
    ];
    const edges = [
      e('can_assume', 'nhi_s', 'nhi_dis'),
      e('can_assume', 'nhi_s', 'nhi_rev'),
      e('can_assume', 'nhi_s', 'nhi_orph'),
      e('has_permission', 'nhi_dis', 'res_r1', ['read']),
      e('has_permission', 'nhi_orph', 'res_r2', ['read']),
    ];
    const g = GraphIndex.build(nodes, edges);
    expect(ids(g.blastRadius('nhi_s').entries)).toEqual(['nhi_orph', 'res_r2']);
    expect(g.path('nhi_s', 'nhi_dis').reachable).toBe(false);
    expect(g.path('nhi_s', 'res_r2').steps).toHaveLength(2);
  });

  it('unions actions over every reached principal', () => {
    const g = GraphIndex.build(
      [idn('a'), idn('b'), idn('c'), res('db', 'high')],
      [
        e('has_permission', 'nhi_a', 'res_db', ['read']),
        e('can_assume', 'nhi_a', 'nhi_b'),
        e('has_permission', 'nhi_b', 'res_db', ['write', 'read']),
        e('has_permission', 'nhi_c', 'res_db', ['admin']), // c is not reached from a
      ],
    );
    const db = g.blastRadius('nhi_a').entries.find((x) => x.id === 'res_db')!;
    expect(db.actions).toEqual(['read', 'write']);
    expect(db.distance).toBe(1);
  });

  it('ranks by sensitivity, then distance, then id; totals cover the whole reach when truncated', () => {
    const g = GraphIndex.build(
      [
        idn('s'),
        idn('b'),
        res('low1', 'low'),
        res('crit2', 'critical'),
        res('crit1', 'critical'),
        res('high1', 'high'),
      ],
      [
        e('has_permission', 'nhi_s', 'res_low1'),
        e('can_assume', 'nhi_s', 'nhi_b'),
        e('has_permission', 'nhi_b', 'res_crit1'),
        e('has_permission', 'nhi_s', 'res_crit2'),
        e('has_permission', 'nhi_b', 'res_high1'),
        { kind: 'has_permission', fromId: 'nhi_b', toId: 'sys_x', actions: [] },
      ],
    );
    g.upsertNode({ id: 'sys_x', type: 'system', sensitivity: 'critical', blocked: false });
    const full = g.blastRadius('nhi_s');
    expect(full.entries.map((x) => x.id)).toEqual([
      'res_crit2',
      'res_crit1',
      'sys_x',
      'res_high1',
      'res_low1',
      'nhi_b',
    ]);
    expect(full.truncated).toBe(false);
    const top = g.blastRadius('nhi_s', { limit: 2 });
    expect(top.entries.map((x) => x.id)).toEqual(['res_crit2', 'res_crit1']);
    expect(top.truncated).toBe(true);
    expect(top.totals).toEqual({
      reachable: 6,
      identities: 1,
      resources: 4,
      systems: 1,
      bySensitivity: { low: 1, medium: 0, high: 1, critical: 3 },
    });
  });

  it('throws not_found for unknown ids', () => {
    const g = GraphIndex.build([idn('a')], []);
    expect(() => g.blastRadius('nhi_zz')).toThrow(KeywardError);
    try {
      g.path('nhi_a', 'nhi_zz');
    } catch (err) {
      expect((err as KeywardError).code).toBe('not_found');
    }
    expect(() => g.lineage('nhi_zz')).toThrow(/does not exist/);
  });
});

describe('lineage', () => {
  const g = GraphIndex.build(
    [{ id: 'hum_alice', type: 'human', blocked: false }, idn('root'), idn('mid'), idn('leaf'), idn('agent')],
    [
      e('sponsors', 'hum_alice', 'nhi_root'),
      e('created', 'nhi_root', 'nhi_mid'),
      e('created', 'nhi_mid', 'nhi_leaf'),
      e('delegates_to', 'nhi_leaf', 'nhi_agent'),
      e('owns', 'hum_alice', 'nhi_mid'),
      e('created', 'nhi_leaf', 'nhi_root'), // a cycle
      e('can_assume', 'nhi_root', 'nhi_mid'), // not lineage
    ],
  );

  it('finds ancestors with shortest depths through a cycle', () => {
    const l = g.lineage('nhi_leaf');
    expect(l.ancestors.map((a) => [a.id, a.depth, a.via])).toEqual([
      ['nhi_mid', 1, 'created'],
      ['hum_alice', 2, 'owns'],
      ['nhi_root', 2, 'created'],
    ]);
    expect(l.ancestors[1]!.path).toEqual([
      { fromId: 'nhi_leaf', toId: 'nhi_mid', kind: 'created', reversed: true, actions: [] },
      { fromId: 'nhi_mid', toId: 'hum_alice', kind: 'owns', reversed: true, actions: [] },
    ]);
  });

  it('finds descendants and honours maxDepth', () => {
    expect(g.lineage('nhi_root').descendants.map((d) => [d.id, d.depth])).toEqual([
      ['nhi_mid', 1],
      ['nhi_leaf', 2],
      ['nhi_agent', 3],
    ]);
    expect(g.lineage('nhi_root', { maxDepth: 2 }).descendants.map((d) => d.id)).toEqual([
      'nhi_mid',
      'nhi_leaf',
    ]);
    expect(g.lineage('hum_alice').descendants).toEqual([]);
  });
});

describe('path', () => {
  const g = GraphIndex.build(
    [idn('a'), idn('b'), idn('c'), idn('d'), res('t', 'high')],
    [
      e('can_assume', 'nhi_a', 'nhi_b'),
      e('can_assume', 'nhi_b', 'nhi_c'),
      e('can_assume', 'nhi_c', 'nhi_d'),
      e('has_permission', 'nhi_d', 'res_t', ['read']),
      e('has_permission', 'nhi_b', 'res_t', ['admin']),
    ],
  );

  it('finds the shortest path', () => {
    expect(g.path('nhi_a', 'res_t')).toEqual({
      reachable: true,
      steps: [
        { fromId: 'nhi_a', toId: 'nhi_b', kind: 'can_assume', reversed: false, actions: [] },
        { fromId: 'nhi_b', toId: 'res_t', kind: 'has_permission', reversed: false, actions: ['admin'] },
      ],
    });
  });

  it('reports unreachable and from === to', () => {
    expect(g.path('res_t', 'nhi_a')).toEqual({ reachable: false, steps: [] });
    expect(g.path('nhi_c', 'nhi_a').reachable).toBe(false);
    expect(g.path('nhi_a', 'nhi_a')).toEqual({ reachable: true, steps: [] });
  });
});

/** Mulberry32: a small seeded PRNG so failures reproduce. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KINDS: EdgeKind[] = [
  'created',
  'owns',
  'delegates_to',
  'can_assume',
  'has_permission',
  'stored_in',
  'member_of',
];

function randomGraph(seed: number, n: number, m: number) {
  const rnd = prng(seed);
  const nodes: GraphNodeInput[] = [];
  for (let i = 0; i < n; i++) {
    nodes.push(i % 3 === 0 ? res(`${i}`, 'medium') : idn(`${i}`, rnd() < 0.1));
  }
  const edges: GraphEdgeInput[] = [];
  for (let i = 0; i < m; i++) {
    const kind = KINDS[Math.floor(rnd() * KINDS.length)]!;
    edges.push(e(kind, nodes[Math.floor(rnd() * n)]!.id, nodes[Math.floor(rnd() * n)]!.id, ['read']));
  }
  return { nodes, edges, rnd };
}

/** Oracle: plain BFS distances over the edge list, applying the traversal rules directly. */
function oracleDistances(
  nodes: GraphNodeInput[],
  edges: GraphEdgeInput[],
  from: string,
): Map<string, number> {
  const blocked = new Set(nodes.filter((x) => x.blocked).map((x) => x.id));
  const next = new Map<string, string[]>();
  const link = (a: string, b: string) => next.set(a, [...(next.get(a) ?? []), b]);
  for (const edge of edges) {
    const t = EDGE_TRAVERSAL[edge.kind];
    if (t === 'forward') link(edge.fromId, edge.toId);
    else if (t === 'reverse') link(edge.toId, edge.fromId);
  }
  const dist = new Map([[from, 0]]);
  const queue = [from];
  for (let i = 0; i < queue.length; i++) {
    const u = queue[i]!;
    for (const v of next.get(u) ?? []) {
      if (dist.has(v) || blocked.has(v)) continue;
      dist.set(v, dist.get(u)! + 1);
      queue.push(v);
    }
  }
  return dist;
}

function checkAgainstOracle(
  g: GraphIndex,
  nodes: GraphNodeInput[],
  edges: GraphEdgeInput[],
  rnd: () => number,
) {
  const live = new Set(edges.map((x) => `${x.kind} ${x.fromId} ${x.toId}`));
  for (let q = 0; q < 40; q++) {
    const from = nodes[Math.floor(rnd() * nodes.length)]!.id;
    const dist = oracleDistances(nodes, edges, from);
    const blast = g.blastRadius(from, { limit: nodes.length });
    expect(blast.totals.reachable).toBe(dist.size - 1);
    for (const entry of blast.entries) expect(entry.distance).toBe(dist.get(entry.id));
    for (let k = 0; k < 5; k++) {
      const to = nodes[Math.floor(rnd() * nodes.length)]!.id;
      const p = g.path(from, to);
      const expected = dist.get(to);
      expect(p.reachable).toBe(expected !== undefined);
      if (expected === undefined) continue;
      expect(p.steps).toHaveLength(expected);
      let at = from;
      for (const s of p.steps) {
        expect(s.fromId).toBe(at);
        const key = s.reversed ? `${s.kind} ${s.toId} ${s.fromId}` : `${s.kind} ${s.fromId} ${s.toId}`;
        expect(live.has(key)).toBe(true);
        expect(EDGE_TRAVERSAL[s.kind]).toBe(s.reversed ? 'reverse' : 'forward');
        at = s.toId;
      }
      expect(at).toBe(to);
    }
  }
}

describe('against a plain BFS on random graphs', () => {
  for (const seed of [1, 2, 3, 4]) {
    it(`agrees for seed ${seed} (bidirectional path, blast radius distances)`, () => {
      const { nodes, edges, rnd } = randomGraph(seed, 60, 150 + seed * 20);
      checkAgainstOracle(GraphIndex.build(nodes, edges), nodes, edges, rnd);
    });
  }

  it('agrees after live updates, with and without compaction', () => {
    const { nodes, edges, rnd } = randomGraph(7, 60, 160);
    const initial = edges.slice(0, 100);
    const lazy = GraphIndex.build(nodes, initial, { minCompaction: 1e9 });
    const eager = GraphIndex.build(nodes, initial, { minCompaction: 0, compactionRatio: 0 });
    const live = [...initial];
    for (const edge of edges.slice(100)) {
      lazy.addEdge(edge);
      eager.addEdge(edge);
      live.push(edge);
    }
    for (let i = 0; i < 40; i++) {
      const [gone] = live.splice(Math.floor(rnd() * live.length), 1);
      expect(lazy.removeEdge(gone!)).toBe(true);
      expect(eager.removeEdge(gone!)).toBe(true);
    }
    expect(lazy.stats().overlayEdges + lazy.stats().tombstones).toBeGreaterThan(0);
    expect(eager.stats().overlayEdges + eager.stats().tombstones).toBe(0);
    const unique = new Set(live.map((x) => `${x.kind} ${x.fromId} ${x.toId}`)).size;
    expect(lazy.stats().edges).toBe(unique);
    expect(eager.stats().edges).toBe(unique);
    const seed = Math.floor(rnd() * 1e9);
    checkAgainstOracle(lazy, nodes, live, prng(seed));
    checkAgainstOracle(eager, nodes, live, prng(seed));
  });
});

describe('live updates', () => {
  it('addEdge, removeEdge and setBlocked change answers; duplicates are no-ops', () => {
    const g = GraphIndex.build(
      [idn('a'), idn('b'), res('db', 'critical')],
      [e('can_assume', 'nhi_a', 'nhi_b')],
      {
        minCompaction: 1e9,
      },
    );
    expect(g.path('nhi_a', 'res_db').reachable).toBe(false);
    expect(g.addEdge(e('has_permission', 'nhi_b', 'res_db', ['read']))).toBe(true);
    expect(g.addEdge(e('has_permission', 'nhi_b', 'res_db', ['admin']))).toBe(false);
    expect(g.addEdge(e('can_assume', 'nhi_a', 'nhi_b'))).toBe(false);
    expect(g.stats().edges).toBe(2);
    expect(g.path('nhi_a', 'res_db').steps.map((s) => s.actions)).toEqual([[], ['read']]);
    expect(g.blastRadius('nhi_a').entries.find((x) => x.id === 'res_db')?.actions).toEqual(['read']);

    g.setBlocked('nhi_b', true);
    expect(g.path('nhi_a', 'res_db').reachable).toBe(false);
    expect(g.blastRadius('nhi_a').totals.reachable).toBe(0);
    g.setBlocked('nhi_b', false);
    expect(g.blastRadius('nhi_a').totals.reachable).toBe(2);

    expect(g.removeEdge(e('can_assume', 'nhi_a', 'nhi_b'))).toBe(true); // a CSR edge: tombstoned
    expect(g.removeEdge(e('can_assume', 'nhi_a', 'nhi_b'))).toBe(false);
    expect(g.blastRadius('nhi_a').totals.reachable).toBe(0);
    expect(g.addEdge(e('can_assume', 'nhi_a', 'nhi_b'))).toBe(true); // back, through the overlay
    const before = g.blastRadius('nhi_a');
    g.compact();
    expect(g.stats()).toMatchObject({ overlayEdges: 0, tombstones: 0, edges: 2 });
    expect(g.blastRadius('nhi_a')).toEqual(before);
  });

  it('adds nodes named by edges from their id prefix, and upsertNode fills them in later', () => {
    const g = GraphIndex.build(
      [idn('a')],
      [e('has_permission', 'nhi_a', 'res_new', ['read']), e('owns', 'x', 'nhi_a')],
    );
    expect(g.stats().skippedEdges).toBe(1);
    expect(g.blastRadius('nhi_a').totals.bySensitivity.high).toBe(0);
    g.upsertNode(res('new', 'high'));
    expect(g.blastRadius('nhi_a').totals.bySensitivity.high).toBe(1);
    g.addEdge(e('can_assume', 'nhi_a', 'nhi_later'));
    expect(g.has('nhi_later')).toBe(true);
    expect(() => g.addEdge(e('can_assume', 'nhi_a', 'bogus'))).toThrow(KeywardError);
  });
});

describe('hub rows', () => {
  it('sorts long rows so duplicates are dropped and edges found for removal', () => {
    const rnd = prng(11);
    const targets = Array.from({ length: 200 }, (_, i) => res(`${i}`, 'low'));
    const edges = targets.map((t) => e('has_permission', 'nhi_hub', t.id, ['read']));
    edges.push(...edges.slice(0, 50).map((x) => ({ ...x, actions: ['admin'] }))); // duplicates
    edges.push(...targets.slice(0, 30).map((t) => e('member_of', 'nhi_hub', t.id)));
    edges.sort(() => rnd() - 0.5);
    const g = GraphIndex.build([idn('hub'), ...targets], edges);
    expect(g.stats().edges).toBe(230);
    expect(g.blastRadius('nhi_hub', { limit: 500 }).totals.reachable).toBe(200);
    for (const t of targets.slice(0, 30))
      expect(g.removeEdge(e('has_permission', 'nhi_hub', t.id))).toBe(true);
    for (const t of targets.slice(30)) expect(g.removeEdge(e('has_permission', 'nhi_hub', t.id))).toBe(true);
    expect(g.blastRadius('nhi_hub', { limit: 500 }).totals.reachable).toBe(30);
    expect(g.path('nhi_hub', 'res_7').steps.map((s) => s.kind)).toEqual(['member_of']);
  });
});
