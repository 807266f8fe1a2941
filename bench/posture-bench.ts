/**
 * Posture benchmark (`npm run bench -- posture [--identities N] [--edges-per M]`): every posture
 * rule (OWASP NHI1, NHI3–NHI10) over an estate of 100,000 identities and 1,000,000 edges held in
 * SQLite, and the incremental re-evaluation of one identity after one change.
 *
 * The estate (seeded arithmetic, so runs compare): 1,000 humans (2% have left), 5,000 resources in
 * prod/staging/dev with 5% critical, identities of every kind with owners, purposes and ends for
 * most, stale and never-rotated credentials for some, 10 edges each (has_permission with a few
 * wildcards, can_assume role chains, member_of, stored_in) so every rule has work to do.
 *
 * Figures: `full_eval_first_s` (the first evaluation, which opens every finding), `full_eval_s`
 * (a re-evaluation of the whole estate, target ≤ 10 s: what the scheduler does each round; reach
 * totals are reused while the graph is unchanged), `full_eval_graph_changed_s` (the same after
 * one graph change, target ≤ 10 s: only identities above the changed node traverse again) and `incremental_ms` (median of 20
 * single-identity re-evaluations after a change, target ≤ 50 ms).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuditRecorder } from '../packages/keyward/src/audit/audit-recorder.js';
import { loadGraphIndex } from '../packages/keyward/src/graph/graph-loader.js';
import { createPostureEngine } from '../packages/keyward/src/posture/posture-engine.js';
import { openStore } from '../packages/keyward/src/storage/open-store.js';
import { emit, log, percentile, round } from './bench-output.js';
import { loadSyntheticEstate, NOW, syntheticEstate } from './synthetic-estate.js';

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? Number(args[i + 1]) : fallback;
}

export async function run(args: string[]): Promise<void> {
  const count = arg(args, 'identities', 100_000);
  const edgesPer = arg(args, 'edges-per', 10);
  const dir = mkdtempSync(join(tmpdir(), 'kw-posture-bench-'));
  const store = await openStore({ backend: 'sqlite', file: join(dir, 'kw.db'), migrate: true });
  try {
    log(`posture: generating ${count} identities with ${edgesPer} edges each`);
    const data = syntheticEstate(count, edgesPer);
    let t = performance.now();
    await loadSyntheticEstate(store, data);
    log(`posture: loaded in ${round((performance.now() - t) / 1000)} s; building the graph index`);
    const index = await loadGraphIndex(store);
    const clock = { t: NOW };
    const now = () => new Date(clock.t);
    const engine = createPostureEngine({ store, index, audit: createAuditRecorder(now), now });
    const labels = { identities: count, edges: data.edges.length, backend: 'sqlite' };

    t = performance.now();
    const first = await engine.evaluate('bench');
    const firstS = (performance.now() - t) / 1000;
    log(`posture: first evaluation opened ${first.opened} findings ${JSON.stringify(first.byCode)}`);
    emit({
      bench: 'posture',
      metric: 'full_eval_first_s',
      value: round(firstS),
      unit: 's',
      ...labels,
      opened: first.opened,
    });

    clock.t += 60_000;
    t = performance.now();
    const again = await engine.evaluate('bench');
    const fullS = (performance.now() - t) / 1000;
    emit({
      bench: 'posture',
      metric: 'full_eval_s',
      value: round(fullS),
      unit: 's',
      ...labels,
      rules: 14,
      conditions: Object.values(again.byCode).reduce((a, b) => a + b, 0),
      target: '<=10',
    });

    // The graph changed (one new grant): only identities with a path to its source traverse again.
    index.addEdge({
      kind: 'has_permission',
      fromId: data.identities[0]!.id,
      toId: data.resources[1]!.id,
      actions: ['write'],
    });
    clock.t += 60_000;
    t = performance.now();
    await engine.evaluate('bench');
    emit({
      bench: 'posture',
      metric: 'full_eval_graph_changed_s',
      value: round((performance.now() - t) / 1000),
      unit: 's',
      ...labels,
      target: '<=10',
    });

    // One change (an owner leaves one identity: NHI1 appears), then that identity alone.
    const sample: number[] = [];
    for (let r = 0; r < 20; r++) {
      const target = data.identities[(r * 4_999 + 3) % count]!;
      const current = (await store.identities.get(target.id))!;
      await store.transaction((tx) =>
        tx.identities.update({ ...current, ownerId: null, version: current.version + 1 }, current.version),
      );
      clock.t += 1_000;
      t = performance.now();
      await engine.evaluate('bench', { identityIds: [target.id] });
      sample.push(performance.now() - t);
    }
    emit({
      bench: 'posture',
      metric: 'incremental_ms',
      value: round(percentile(sample, 50)),
      unit: 'ms',
      ...labels,
      p95_ms: round(percentile(sample, 95)),
      runs: sample.length,
      target: '<=50',
    });
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
