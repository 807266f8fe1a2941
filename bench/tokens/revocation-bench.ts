/**
 * The `revocation_p99_ms` figures of `npm run bench -- tokens`: propagation from a revoke call's
 * response to a subscribed SDK verifier's refusal, over `count` revocations per topology —
 * `single` (the benchmark's Keyward, one process, revoked and subscribed on the same node) and
 * `replicas` (two server processes on one PostgreSQL: revoked on A, verifier subscribed to B;
 * needs KEYWARD_BENCH_DATABASE_URL or KEYWARD_TEST_DATABASE_URL, skipped otherwise).
 */
import { emit, log, percentile, round } from '../bench-output.js';
import { startReplicas } from './keyward-replicas.js';
import type { KeywardTokenSetup } from './keyward-token-setup.js';
import { measureRevocationPropagation } from './revocation-propagation.js';
import { issueTokens } from './token-issuer-client.js';

function report(topology: 'single' | 'replicas', backend: string, samples: number[]): void {
  log(
    `revocation propagation (${topology}): p50 ${round(percentile(samples, 50))} ms, ` +
      `p99 ${round(percentile(samples, 99))} ms, max ${round(Math.max(...samples))} ms over ${samples.length}`,
  );
  emit({
    bench: 'tokens',
    metric: 'revocation_p99_ms',
    value: round(percentile(samples, 99)),
    unit: 'ms',
    topology,
    backend,
    p50_ms: round(percentile(samples, 50)),
    max_ms: round(Math.max(...samples)),
    revocations: samples.length,
    target: 1000,
  });
}

export async function runRevocationBench(kw: KeywardTokenSetup, count: number): Promise<void> {
  const client = { clientId: kw.agentId, privateKey: kw.agentKey, kid: kw.kid, audience: kw.url };
  const single = await measureRevocationPropagation({
    issuer: kw.url,
    audience: kw.resource,
    revokeUrl: kw.url,
    feedUrl: kw.url,
    adminToken: kw.adminToken,
    tokens: await issueTokens({
      url: kw.url,
      client,
      taskId: kw.taskId,
      resource: kw.resource,
      scope: kw.scope,
      count,
    }),
  });
  report('single', kw.keyward.store.backend, single);

  const databaseUrl = process.env['KEYWARD_BENCH_DATABASE_URL'] || process.env['KEYWARD_TEST_DATABASE_URL'];
  if (!databaseUrl) {
    log('revocation propagation (replicas): skipped — set KEYWARD_BENCH_DATABASE_URL to a PostgreSQL URL');
    return;
  }
  const r = await startReplicas(databaseUrl);
  try {
    const tokens = await issueTokens({
      url: r.a,
      client: { clientId: r.agentId, privateKey: r.agentKey, kid: r.kid, audience: r.issuer },
      taskId: r.taskId,
      resource: r.resource,
      scope: r.scope,
      count,
    });
    const samples = await measureRevocationPropagation({
      issuer: r.issuer,
      audience: r.resource,
      revokeUrl: r.a,
      feedUrl: r.b,
      adminToken: r.adminToken,
      tokens,
    });
    report('replicas', 'postgres', samples);
  } finally {
    await r.close();
  }
}
