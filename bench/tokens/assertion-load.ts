/**
 * The load generator both token servers face: autocannon with 10 connections posting
 * client_credentials requests, each carrying a freshly signed private_key_jwt client assertion
 * (single-use `jti`), built in the generator so neither server can cache or replay anything.
 */
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { type CryptoKey, type KeyObject, SignJWT } from 'jose';

export interface AssertionClient {
  clientId: string;
  privateKey: CryptoKey | KeyObject;
  kid?: string;
  /** The `aud` of assertions: the server's token endpoint or issuer. */
  audience: string;
}

export async function clientAssertion(client: AssertionClient): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', ...(client.kid ? { kid: client.kid } : {}) })
    .setIssuer(client.clientId)
    .setSubject(client.clientId)
    .setAudience(client.audience)
    .setIssuedAt(now)
    .setExpirationTime(now + 60)
    .setJti(randomUUID())
    .sign(client.privateKey);
}

export interface LoadResult {
  perSecond: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

/**
 * Pre-signs `count` assertions (signing is the generator's cost, not the server's), then posts them
 * over `connections` connections for at most `seconds`.
 */
export async function postTokenRequests(opts: {
  url: string;
  client: AssertionClient;
  extraParams: Record<string, string>;
  seconds: number;
  connections?: number;
  count: number;
}): Promise<LoadResult> {
  const bodies: string[] = [];
  for (let i = 0; i < opts.count; i++) {
    bodies.push(
      new URLSearchParams({
        grant_type: 'client_credentials',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: await clientAssertion(opts.client),
        ...opts.extraParams,
      }).toString(),
    );
  }
  let next = 0;
  // Timed here, to the last response: autocannon reports whole seconds and stops on a 1 s tick.
  const started = performance.now();
  let lastResponse = started;
  const result = await autocannon({
    url: opts.url,
    connections: opts.connections ?? 10,
    duration: opts.seconds,
    amount: opts.count,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length] }),
        onResponse: () => {
          lastResponse = performance.now();
        },
      },
    ],
  });
  const elapsedS = (lastResponse - started) / 1000;
  return {
    perSecond: result.requests.total / elapsedS,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}
