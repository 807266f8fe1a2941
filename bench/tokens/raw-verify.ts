/**
 * Offline verification, measured fairly on a shared machine: the floor — node:crypto ES256
 * signature checks of compact JWTs (split, decode, verify; no claim checks) — and the SDK verifier
 * run in alternating short slices over the same tokens, so a load change on the machine hits both
 * sides alike. Returns verifications per second of each.
 */
import { createPublicKey, verify } from 'node:crypto';
import type { KeywardVerifier } from '@keyward/sdk';
import type { JWK } from 'jose';

function rawSlice(tokens: readonly string[], jwk: JWK): (ms: number) => number {
  const key = createPublicKey({ key: jwk as never, format: 'jwk' });
  const parts = tokens.map((t) => {
    const [h, p, s] = t.split('.') as [string, string, string];
    return { data: Buffer.from(`${h}.${p}`), sig: Buffer.from(s, 'base64url'), payload: p };
  });
  let n = 0;
  return (ms) => {
    const end = performance.now() + ms;
    let done = 0;
    while (performance.now() < end) {
      for (let i = 0; i < 100; i++, done++) {
        const t = parts[n++ % parts.length]!;
        if (!verify('sha256', t.data, { key, dsaEncoding: 'ieee-p1363' }, t.sig))
          throw new Error('bad signature');
        JSON.parse(Buffer.from(t.payload, 'base64url').toString('utf8'));
      }
    }
    return done;
  };
}

function sdkSlice(tokens: readonly string[], verifier: KeywardVerifier): (ms: number) => Promise<number> {
  let n = 0;
  return async (ms) => {
    const end = performance.now() + ms;
    let done = 0;
    while (performance.now() < end) {
      for (let i = 0; i < 100; i++, done++) await verifier.verify(tokens[n++ % tokens.length]!);
    }
    return done;
  };
}

export async function compareVerification(
  tokens: readonly string[],
  jwk: JWK,
  verifier: KeywardVerifier,
  seconds: number,
): Promise<{ rawPerSecond: number; sdkPerSecond: number }> {
  const raw = rawSlice(tokens, jwk);
  const sdk = sdkSlice(tokens, verifier);
  raw(300); // warm-up (JIT, key caches)
  await sdk(300);
  const sliceMs = 250;
  const rounds = Math.max(1, Math.round((seconds * 1000) / sliceMs));
  let rawCount = 0;
  let sdkCount = 0;
  for (let r = 0; r < rounds; r++) {
    rawCount += raw(sliceMs);
    sdkCount += await sdk(sliceMs);
  }
  const elapsed = (rounds * sliceMs) / 1000;
  return { rawPerSecond: rawCount / elapsed, sdkPerSecond: sdkCount / elapsed };
}
