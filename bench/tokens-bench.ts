/**
 * `npm run bench -- tokens`: token issuance over HTTP, Keyward (client_credentials on a task,
 * recorded durably) vs oidc-provider (client_credentials, ES256 JWT access tokens), same client
 * authentication (private_key_jwt, a fresh assertion per request), same load generator (autocannon
 * in a child process) and connections — 10, plus extra `*_high` lines at 64; then offline verification, SDK verifier vs raw node:crypto (the same tokens).
 * Then revocation propagation to a subscribed SDK verifier, single node and two replicas
 * (tokens/revocation-bench.ts).
 *
 * Also, under the same load: the floor (tokens/floor-server.ts), a bare node:http server that only
 * verifies the assertion and signs a token, recording nothing. `floor_ratio` (floor ÷ oidc-provider)
 * is the highest `issue_ratio` any server could reach on this machine in this run.
 *
 * Options: --seconds=N (default 8 per side), --count=N (requests per side, default 40000),
 * --revocations=N (per topology, default 60).
 */
import { createNodeVerifier } from '@keyward/sdk/node';
import { exportJWK, generateKeyPair } from 'jose';
import { emit, log, round } from './bench-output.js';
import { type LoadResult, postTokenRequests } from './tokens/assertion-load.js';
import { startFloorServer } from './tokens/floor-server.js';
import { setUpKeywardTokens } from './tokens/keyward-token-setup.js';
import { startOidcProviderPeer } from './tokens/oidc-provider-peer.js';
import { compareVerification } from './tokens/raw-verify.js';
import { runRevocationBench } from './tokens/revocation-bench.js';

const BASE_CONNECTIONS = 10;
const HIGH_CONNECTIONS = 64;

interface Rates {
  base: LoadResult;
  high: LoadResult;
}

/**
 * One server's issuance rate at BASE_CONNECTIONS and HIGH_CONNECTIONS, after a short warm-up (JIT,
 * caches) that both servers get alike. Any non-2xx or error fails the bench.
 */
async function measureIssuance(
  name: string,
  load: Omit<Parameters<typeof postTokenRequests>[0], 'connections'>,
): Promise<Rates> {
  const at = async (connections: number, seconds: number, count: number) => {
    const r = await postTokenRequests({ ...load, connections, seconds, count });
    if (r.non2xx > 0 || r.errors > 0)
      throw new Error(`${name} answered ${r.non2xx} non-2xx, ${r.errors} errors`);
    return r;
  };
  await at(BASE_CONNECTIONS, 1, 1000);
  const base = await at(BASE_CONNECTIONS, load.seconds, load.count);
  log(
    `${name}: ${round(base.perSecond)} tokens/s, p99 ${base.p99Ms} ms, ${round(base.cpuUsPerRequest)} µs CPU/request at ${BASE_CONNECTIONS} connections`,
  );
  const high = await at(HIGH_CONNECTIONS, load.seconds, load.count);
  log(
    `${name}: ${round(high.perSecond)} tokens/s, p99 ${high.p99Ms} ms, ${round(high.cpuUsPerRequest)} µs CPU/request at ${HIGH_CONNECTIONS} connections`,
  );
  return { base, high };
}

function option(args: string[], name: string, fallback: number): number {
  const hit = args.find((a) => a.startsWith(`--${name}=`));
  return hit ? Number(hit.split('=')[1]) : fallback;
}

export async function run(args: string[]): Promise<void> {
  const seconds = option(args, 'seconds', 8);
  // Requests per side (autocannon stops after this many; each carries its own pre-signed assertion).
  const count = option(args, 'count', 40_000);

  const clientKeys = await generateKeyPair('ES256', { extractable: true });
  const peer = await startOidcProviderPeer('bench-client', await exportJWK(clientKeys.publicKey));
  let peerRates: Rates;
  try {
    peerRates = await measureIssuance('oidc-provider', {
      url: peer.tokenUrl,
      client: { clientId: 'bench-client', privateKey: clientKeys.privateKey, audience: peer.issuer },
      extraParams: { resource: peer.resource, scope: 'read' },
      seconds,
      count,
    });
  } finally {
    await peer.close();
  }
  emit({
    bench: 'tokens',
    metric: 'peer_issue_per_s',
    value: round(peerRates.base.perSecond),
    unit: 'tokens/s',
    peer: 'oidc-provider',
    connections: BASE_CONNECTIONS,
    p99_ms: peerRates.base.p99Ms,
  });

  const floor = await startFloorServer(await exportJWK(clientKeys.publicKey));
  let floorRates: Rates;
  try {
    floorRates = await measureIssuance('floor (node:http + verify + sign, nothing recorded)', {
      url: floor.tokenUrl,
      client: { clientId: 'bench-client', privateKey: clientKeys.privateKey, audience: 'floor' },
      extraParams: { scope: 'read' },
      seconds,
      count,
    });
  } finally {
    await floor.close();
  }
  for (const [suffix, connections, f, p] of [
    ['', BASE_CONNECTIONS, floorRates.base, peerRates.base],
    ['_high', HIGH_CONNECTIONS, floorRates.high, peerRates.high],
  ] as const) {
    const labels = { connections, server: 'node:http, ES256 verify + sign, nothing recorded' };
    emit({
      bench: 'tokens',
      metric: `floor_issue_per_s${suffix}`,
      value: round(f.perSecond),
      unit: 'tokens/s',
      ...labels,
    });
    emit({
      bench: 'tokens',
      metric: `floor_ratio${suffix}`,
      value: round(f.perSecond / p.perSecond, 3),
      unit: 'ratio',
      ...labels,
    });
  }

  const kw = await setUpKeywardTokens();
  try {
    const rates = await measureIssuance('keyward', {
      url: `${kw.url}/oauth2/token`,
      client: { clientId: kw.agentId, privateKey: kw.agentKey, kid: kw.kid, audience: kw.url },
      extraParams: { task_id: kw.taskId, resource: kw.resource, scope: kw.scope },
      seconds,
      count,
    });
    emit({
      bench: 'tokens',
      metric: 'issue_per_s',
      value: round(rates.base.perSecond),
      unit: 'tokens/s',
      p99_ms: rates.base.p99Ms,
      connections: BASE_CONNECTIONS,
    });
    emit({
      bench: 'tokens',
      metric: 'issue_ratio',
      value: round(rates.base.perSecond / peerRates.base.perSecond, 3),
      unit: 'ratio',
      target: 3,
      connections: BASE_CONNECTIONS,
    });
    // The same comparison at a higher concurrency (same for both), as extra labelled lines.
    const high = { connections: HIGH_CONNECTIONS, variant: 'high_concurrency' };
    emit({
      bench: 'tokens',
      metric: 'peer_issue_per_s_high',
      value: round(peerRates.high.perSecond),
      unit: 'tokens/s',
      peer: 'oidc-provider',
      p99_ms: peerRates.high.p99Ms,
      ...high,
    });
    emit({
      bench: 'tokens',
      metric: 'issue_per_s_high',
      value: round(rates.high.perSecond),
      unit: 'tokens/s',
      p99_ms: rates.high.p99Ms,
      ...high,
    });
    emit({
      bench: 'tokens',
      metric: 'issue_ratio_high',
      value: round(rates.high.perSecond / peerRates.high.perSecond, 3),
      unit: 'ratio',
      ...high,
    });

    // Offline verification: tokens minted by the running Keyward's signing key.
    const tokens: string[] = [];
    for (let i = 0; i < 500; i++) {
      tokens.push(
        kw.keyward.services.signingKeys.signJwt(
          {
            iss: kw.url,
            sub: kw.agentId,
            aud: kw.resource,
            client_id: kw.agentId,
            jti: `bench-${i}`,
            scope: kw.scope,
          },
          { typ: 'at+jwt', expiresInSeconds: 300 },
        ),
      );
    }
    const jwk = kw.keyward.services.signingKeys.jwks().keys[0]!;
    const verifier = createNodeVerifier({ issuer: kw.url, audience: kw.resource });
    try {
      await verifier.verify(tokens[0]!); // fetches the JWKS once
      const { rawPerSecond, sdkPerSecond } = await compareVerification(tokens, jwk as never, verifier, 3);
      emit({
        bench: 'tokens',
        metric: 'raw_verify_per_s',
        value: round(rawPerSecond),
        unit: 'verifications/s',
        via: 'node:crypto',
      });
      emit({
        bench: 'tokens',
        metric: 'verify_per_s',
        value: round(sdkPerSecond),
        unit: 'verifications/s',
        via: '@keyward/sdk/node createNodeVerifier',
      });
      emit({
        bench: 'tokens',
        metric: 'verify_ratio',
        value: round(sdkPerSecond / rawPerSecond, 3),
        unit: 'ratio',
        target: 0.8,
      });
    } finally {
      verifier.close();
    }
    await runRevocationBench(kw, option(args, 'revocations', 60));
  } finally {
    await kw.close();
  }
}
