/**
 * Graph index benchmark (`npm run bench -- graph [--identities N] [--edges M] [--seed S]`): builds a
 * synthetic estate of 1M identities / 5M edges and measures build time, memory per edge, blast
 * radius latency, the worst-case whole-estate reach and bidirectional path latency.
 *
 * The generator (seeded, so runs are comparable) models a cloud estate:
 * - resources = identities / 20 (50k), sensitivity 50% low, 30% medium, 15% high, 5% critical; the
 *   first 1% are secret stores and the next 5% are groups; 200 systems, identities / 100 humans.
 * - every edge kind: sponsors/owns (humans → identities), created and delegates_to (identity
 *   lineage), can_assume role chains (each identity may assume one of the 1% "role" identities,
 *   roles assume the next role), member_of groups (groups hold permissions), stored_in (the secret
 *   of 60% of identities lives in one of the stores), and has_permission filling the rest, with a
 *   skewed pick (some resources are much more popular than others).
 * - 20 hub identities (CI/admin) hold read on every store, so the stored_in reverse edges hand
 *   them most identities and, through those, most of the estate: the worst case of blast radius.
 * - 3% of identities are disabled or revoked (blocked).
 * Ids have the production shape (prefix + 32 hex), derived from the ordinal by a bijective hash so
 * the bench can name any node again without keeping the list (which would distort the memory figure).
 */

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { EdgeKind, Sensitivity } from '@keyward/sdk';
import {
  type GraphEdgeInput,
  GraphIndex,
  type GraphNodeInput,
} from '../packages/keyward/src/graph/graph-index.js';
import { emit, log, percentile, round } from './bench-output.js';

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A bijective 32-bit mix (murmur3 finaliser): distinct ordinals give distinct ids. */
function mix(x: number): number {
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const idBuffer = Buffer.alloc(36);
const HEX = '0123456789abcdef';
/** A flat (non-rope) string in the production id shape, like the ones a database driver returns. */
function makeId(prefix: string, ordinal: number): string {
  idBuffer.write(prefix, 0, 'latin1');
  const words = [mix(ordinal), mix(ordinal ^ 0x9e3779b9), mix(ordinal + 0x7f4a7c15), mix(~ordinal)];
  for (let w = 0; w < 4; w++) {
    const word = words[w]!;
    for (let c = 0; c < 8; c++) idBuffer[4 + w * 8 + c] = HEX.charCodeAt((word >>> (28 - c * 4)) & 15);
  }
  return idBuffer.toString('latin1');
}

interface Estate {
  identities: number;
  resources: number;
  humans: number;
  systems: number;
  stores: number;
  groups: number;
  roles: number;
  hubs: number;
  edges: number;
  seed: number;
}

const identityId = (i: number) => makeId('nhi_', i);
const resourceId = (i: number) => makeId('res_', i);
const humanId = (i: number) => makeId('hum_', i);
const systemId = (i: number) => makeId('sys_', i);

function* estateNodes(s: Estate): Generator<GraphNodeInput> {
  const rnd = prng(s.seed);
  const sens = (): Sensitivity => {
    const r = rnd();
    return r < 0.5 ? 'low' : r < 0.8 ? 'medium' : r < 0.95 ? 'high' : 'critical';
  };
  for (let i = 0; i < s.identities; i++) yield { id: identityId(i), type: 'identity', blocked: rnd() < 0.03 };
  for (let i = 0; i < s.resources; i++)
    yield { id: resourceId(i), type: 'resource', sensitivity: sens(), blocked: false };
  for (let i = 0; i < s.humans; i++) yield { id: humanId(i), type: 'human', blocked: rnd() < 0.05 };
  for (let i = 0; i < s.systems; i++)
    yield { id: systemId(i), type: 'system', sensitivity: sens(), blocked: false };
}

const ACTION_LISTS = [
  ['read'],
  ['read', 'write'],
  ['admin'],
  ['read', 'list'],
  ['write'],
  ['read', 'write', 'delete'],
];

/** A seeded edge generator: every kind, then has_permission filling up to the requested count. */
function* estateEdges(s: Estate): Generator<GraphEdgeInput> {
  const rnd = prng(s.seed + 1);
  const pick = (n: number) => Math.floor(rnd() * n);
  /** Skewed towards low ordinals: popular resources. */
  const popular = (n: number) => Math.floor(rnd() * rnd() * n);
  const actions = () => ACTION_LISTS[pick(ACTION_LISTS.length)]!;
  let count = 0;
  const edge = (kind: EdgeKind, fromId: string, toId: string, acts: string[] = []): GraphEdgeInput => {
    count++;
    return { kind, fromId, toId, actions: acts };
  };
  const hub = (i: number) => identityId(s.identities - 1 - i);
  const role = (i: number) => identityId(s.identities - s.hubs - 1 - i);
  const group = (g: number) => resourceId(s.stores + g);

  for (let i = 0; i < s.hubs; i++) {
    for (let st = 0; st < s.stores; st++) yield edge('has_permission', hub(i), resourceId(st), ['read']);
  }
  for (let r = 0; r < s.roles; r++) {
    if (r + 1 < s.roles) yield edge('can_assume', role(r), role(r + 1));
    for (let k = 0; k < 5; k++)
      yield edge('has_permission', role(r), resourceId(pick(s.resources)), actions());
  }
  for (let g = 0; g < s.groups; g++) {
    for (let k = 0; k < 20; k++)
      yield edge('has_permission', group(g), resourceId(popular(s.resources)), actions());
  }
  for (let i = 0; i < s.identities; i++) {
    const me = identityId(i);
    const r = rnd();
    if (r < 0.3) yield edge('created', identityId(pick(s.identities)), me);
    if (r < 0.2) yield edge('owns', humanId(pick(s.humans)), me);
    if (r < 0.05) yield edge('sponsors', humanId(pick(s.humans)), me);
    if (r > 0.95) yield edge('delegates_to', me, identityId(pick(s.identities)));
    if (r > 0.8) yield edge('can_assume', me, role(pick(s.roles)));
    if (rnd() < 0.6) yield edge('stored_in', me, resourceId(pick(s.stores)));
    if (rnd() < 0.3) {
      yield edge('member_of', me, group(pick(s.groups)));
      if (rnd() < 0.5) yield edge('member_of', me, group(pick(s.groups)));
    }
  }
  // has_permission fills the rest, round-robin over identities so each gets a few.
  const plain = s.stores + s.groups;
  for (let i = 0; count < s.edges; i = (i + 1) % s.identities) {
    yield edge('has_permission', identityId(i), resourceId(plain + popular(s.resources - plain)), actions());
  }
}

function collectGarbage(): () => void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) return g;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

function memory(gc: () => void): number {
  for (let i = 0; i < 3; i++) gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? Number(args[i + 1]) : fallback;
}

export async function run(args: string[]): Promise<void> {
  const identities = arg(args, 'identities', 1_000_000);
  const estate: Estate = {
    identities,
    resources: Math.floor(identities / 20),
    humans: Math.floor(identities / 100),
    systems: 200,
    stores: Math.floor(identities / 2000),
    groups: Math.floor(identities / 400),
    roles: Math.floor(identities / 100),
    hubs: 20,
    edges: arg(args, 'edges', identities * 5),
    seed: arg(args, 'seed', 42),
  };
  const gc = collectGarbage();
  const labels = { identities: estate.identities, edges: estate.edges };

  const before = memory(gc);
  const t0 = performance.now();
  const index = GraphIndex.build(estateNodes(estate), estateEdges(estate));
  const buildMs = performance.now() - t0;
  const after = memory(gc);
  const stats = index.stats();
  log(`built ${stats.nodes} nodes / ${stats.edges} edges in ${round(buildMs)} ms (incl. generation)`);
  emit({
    bench: 'graph',
    metric: 'build_with_generation_ms',
    value: round(buildMs),
    unit: 'ms',
    ...labels,
  });
  emit({
    bench: 'graph',
    metric: 'bytes_per_edge',
    value: round((after - before) / stats.edges),
    unit: 'B',
    ...labels,
    measured: 'heapUsed+arrayBuffers delta',
    target: 40,
  });
  emit({
    bench: 'graph',
    metric: 'index_bytes_per_edge',
    value: round(stats.approxBytes / stats.edges),
    unit: 'B',
    ...labels,
    measured: 'stats().approxBytes',
    scratch: false,
    target: 40,
  });

  // Build time alone: the same estate materialised first, so generation is not timed.
  {
    const nodes = [...estateNodes(estate)];
    const edges = [...estateEdges(estate)];
    const t = performance.now();
    GraphIndex.build(nodes, edges);
    const ms = performance.now() - t;
    log(`build from arrays: ${round(ms)} ms`);
    emit({ bench: 'graph', metric: 'build_ms', value: round(ms), unit: 'ms', ...labels, from: 'arrays' });
  }
  gc();
  // The CSR part alone (no string look-ups): a compaction rebuilds it from integer columns.
  {
    const t = performance.now();
    index.compact();
    const ms = performance.now() - t;
    emit({
      bench: 'graph',
      metric: 'csr_build_ms',
      value: round(ms),
      unit: 'ms',
      ...labels,
      via: 'compact()',
    });
  }

  const rnd = prng(estate.seed + 2);
  const randomIdentity = () => identityId(Math.floor(rnd() * estate.identities));
  index.blastRadius(randomIdentity()); // sizes the scratch arrays once
  const blast: number[] = [];
  for (let q = 0; q < 200; q++) {
    const id = randomIdentity();
    const t = performance.now();
    index.blastRadius(id, { limit: 100 });
    blast.push(performance.now() - t);
  }
  emit({
    bench: 'graph',
    metric: 'blast_p50_ms',
    value: round(percentile(blast, 50)),
    unit: 'ms',
    ...labels,
    queries: 200,
  });
  emit({
    bench: 'graph',
    metric: 'blast_p95_ms',
    value: round(percentile(blast, 95)),
    unit: 'ms',
    ...labels,
    queries: 200,
  });

  // Worst case: among the hubs, the subject that reaches the most; full BFS over its reach.
  let worst = identityId(estate.identities - 1);
  let worstReach = -1;
  for (let h = 0; h < estate.hubs; h++) {
    const id = identityId(estate.identities - 1 - h);
    const reach = index.blastRadius(id, { limit: 1 }).totals.reachable;
    if (reach > worstReach) [worst, worstReach] = [id, reach];
  }
  const whole: number[] = [];
  for (let k = 0; k < 5; k++) {
    const t = performance.now();
    index.blastRadius(worst, { limit: 100 });
    whole.push(performance.now() - t);
  }
  log(`worst subject reaches ${worstReach} of ${stats.nodes} nodes`);
  emit({
    bench: 'graph',
    metric: 'whole_reach_ms',
    value: round(percentile(whole, 50)),
    unit: 'ms',
    ...labels,
    reachable: worstReach,
    max: round(Math.max(...whole)),
    target: 500,
  });

  const paths: number[] = [];
  let reachable = 0;
  for (let q = 0; q < 500; q++) {
    const from = randomIdentity();
    const to = q % 2 === 0 ? randomIdentity() : resourceId(Math.floor(rnd() * estate.resources));
    const t = performance.now();
    if (index.path(from, to).reachable) reachable++;
    paths.push(performance.now() - t);
  }
  emit({
    bench: 'graph',
    metric: 'path_p95_ms',
    value: round(percentile(paths, 95)),
    unit: 'ms',
    ...labels,
    pairs: 500,
    reachable,
    p50: round(percentile(paths, 50)),
    target: 20,
  });

  // Again once the query scratch (visited stamps, parents, queue) exists.
  emit({
    bench: 'graph',
    metric: 'index_bytes_per_edge',
    value: round(index.stats().approxBytes / stats.edges),
    unit: 'B',
    ...labels,
    measured: 'stats().approxBytes',
    scratch: true,
    target: 40,
  });
}
