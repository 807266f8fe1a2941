/**
 * The load generator both token servers face: autocannon (in a child process) with N connections posting
 * client_credentials requests, each carrying a freshly signed private_key_jwt client assertion
 * (single-use `jti`), built in the generator so neither server can cache or replay anything.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
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
  /** Requests answered. */
  total: number;
  perSecond: number;
  /** CPU of this process (the server in it, with its thread pool) per answered request. */
  cpuUsPerRequest: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

/**
 * Pre-signs `count` assertions (signing is the generator's cost, not the server's), then posts them
 * over `connections` connections for at most `seconds`, from a child process (token-load-child.mjs)
 * so the load generator never runs on the server's event loop.
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
  const dir = mkdtempSync(path.join(os.tmpdir(), 'keyward-bench-load-'));
  try {
    const bodiesFile = path.join(dir, 'bodies.json');
    writeFileSync(bodiesFile, JSON.stringify(bodies));
    const child = new URL('./token-load-child.mjs', import.meta.url).pathname;
    const args = [child, opts.url, bodiesFile, String(opts.seconds), String(opts.connections ?? 10)];
    const cpu = process.cpuUsage();
    const { stdout } = await promisify(execFile)(process.execPath, args, { maxBuffer: 1 << 20 });
    const used = process.cpuUsage(cpu);
    const r = JSON.parse(stdout) as {
      total: number;
      elapsedS: number;
      p99: number;
      non2xx: number;
      errors: number;
    };
    return {
      total: r.total,
      perSecond: r.total / r.elapsedS,
      cpuUsPerRequest: (used.user + used.system) / r.total,
      p99Ms: r.p99,
      non2xx: r.non2xx,
      errors: r.errors,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
