/**
 * `npm run bench -- authz [seconds]`: the decision engine side by side in one run, on one policy
 * set (examples + generated, ≥ 50 policies) and one Zipf request mix:
 *   raw_cedar_per_s        cedar-wasm statefulIsAuthorized on prebuilt requests
 *   engine_uncached_per_s  Keyward's engine, cache off (+ ratio to raw; target ≥ 0.85)
 *   engine_cached_per_s    Keyward's engine with its decision cache (+ ratio; target ≥ 10×)
 *   casbin_per_s           casbin on the equivalent RBAC subset (reference)
 *   http_per_s, http_p99_ms  POST /v1/authorize, 10 connections (targets ≥ 5,000/s, p99 ≤ 20 ms):
 *                          one process with the default Cedar threads and with none, and
 *                          `keyward serve --workers <cores>` (label `processes`); also on
 *                          PostgreSQL when KEYWARD_BENCH_DATABASE_URL is set.
 * In-process figures are the best of two interleaved rounds (the machine is shared).
 */
import { availableParallelism } from 'node:os';
import { compilePolicySet } from '../packages/keyward/src/authz/policy-set.js';
import { httpLoad } from './authz/authz-http.js';
import { benchPolicyFiles, estate, requestMix } from './authz/authz-workload.js';
import { casbinDecider, contenders, perSecond, sliceAll } from './authz/in-process.js';
import { emit, log, round } from './bench-output.js';

export async function run(args: string[]): Promise<void> {
  const seconds = Number(args[0] ?? 8);
  const files = benchPolicyFiles();
  const compiled = compilePolicySet(files);
  if (!compiled.ok) throw new Error(`bench policy set invalid: ${JSON.stringify(compiled.problems)}`);
  const set = compiled.set;
  const policies = Object.keys(set.policies).length;
  const e = estate();
  const { unique, stream } = requestMix(e, 2000, 50_000);
  const sliced = sliceAll(stream);
  log(`authz bench: ${policies} policies, ${unique.length} distinct requests, stream of ${stream.length}`);
  const labels = { policies, distinct: unique.length };

  const c = contenders(set);
  const raw = c.raw(sliced);
  const casbin = await casbinDecider(e);
  const ms = 2500;
  const best = { raw: 0, uncached: 0, cached: 0, casbin: 0 };
  for (let round_ = 0; round_ < 2; round_++) {
    best.raw = Math.max(best.raw, await perSecond(sliced, ms, raw));
    best.uncached = Math.max(best.uncached, await perSecond(sliced, ms, c.uncached));
    best.cached = Math.max(best.cached, await perSecond(sliced, ms, c.cached));
    best.casbin = Math.max(best.casbin, await perSecond(sliced, ms, casbin));
  }
  emit({
    bench: 'authz',
    metric: 'raw_cedar_per_s',
    value: Math.round(best.raw),
    unit: 'decisions/s',
    ...labels,
  });
  emit({
    bench: 'authz',
    metric: 'engine_uncached_per_s',
    value: Math.round(best.uncached),
    unit: 'decisions/s',
    ...labels,
  });
  emit({
    bench: 'authz',
    metric: 'engine_uncached_ratio',
    value: round(best.uncached / best.raw),
    unit: 'x raw',
    target: 0.85,
  });
  emit({
    bench: 'authz',
    metric: 'engine_cached_per_s',
    value: Math.round(best.cached),
    unit: 'decisions/s',
    ...labels,
  });
  emit({
    bench: 'authz',
    metric: 'engine_cached_ratio',
    value: round(best.cached / best.raw),
    unit: 'x raw',
    target: 10,
  });
  emit({
    bench: 'authz',
    metric: 'casbin_per_s',
    value: Math.round(best.casbin),
    unit: 'decisions/s',
    subset: 'rbac',
  });

  const defaultWorkers = Math.min(4, Math.max(0, availableParallelism() - 1));
  const pgUrl = process.env['KEYWARD_BENCH_DATABASE_URL'];
  const backends: Array<string | undefined> = pgUrl ? [undefined, pgUrl] : [undefined];
  // One process with the default Cedar threads and with none; then `serve --workers` with one
  // process per core (Cedar on each process's main thread: the processes already fill the cores).
  const configs = [
    ...[...new Set([defaultWorkers, 0])].map((workers) => ({ workers, processes: 1 })),
    ...(availableParallelism() > 1 ? [{ workers: 0, processes: availableParallelism() }] : []),
  ];
  for (const databaseUrl of backends) {
    const backend = databaseUrl ? 'postgres' : 'sqlite';
    for (const { workers, processes } of configs) {
      const h = await httpLoad({ estate: e, files, stream, workers, processes, seconds, databaseUrl });
      const hits = h.cacheHitRatio === undefined ? '' : `, cache hits ${round(h.cacheHitRatio * 100)}%`;
      log(
        `http ${backend} processes=${processes} workers=${workers}: ${Math.round(h.perSecond)}/s p99 ${h.p99Ms} ms${hits}, non2xx ${h.non2xx}, errors ${h.errors}`,
      );
      const l = {
        backend,
        processes,
        workers,
        connections: 10,
        cores: availableParallelism(),
        non2xx: h.non2xx,
        ...(h.cacheHitRatio === undefined ? {} : { cache_hit_ratio: round(h.cacheHitRatio) }),
      };
      emit({
        bench: 'authz',
        metric: 'http_per_s',
        value: Math.round(h.perSecond),
        unit: 'requests/s',
        ...l,
        target: 5000,
      });
      emit({ bench: 'authz', metric: 'http_p99_ms', value: h.p99Ms, unit: 'ms', ...l, target: 20 });
    }
  }
}
