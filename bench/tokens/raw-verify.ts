/**
 * The floor under offline token verification: node:crypto ES256 signature checks of compact JWTs
 * (split, decode, verify; no claim checks), against which the SDK verifier's rate is compared.
 */
import { createPublicKey, verify } from 'node:crypto';
import type { JWK } from 'jose';

export function rawVerifyPerSecond(tokens: readonly string[], jwk: JWK, seconds: number): number {
  const key = createPublicKey({ key: jwk as never, format: 'jwk' });
  const parts = tokens.map((t) => {
    const [h, p, s] = t.split('.') as [string, string, string];
    return { data: Buffer.from(`${h}.${p}`), sig: Buffer.from(s, 'base64url'), payload: p };
  });
  let n = 0;
  const end = performance.now() + seconds * 1000;
  const start = performance.now();
  while (performance.now() < end) {
    for (let i = 0; i < 200; i++) {
      const t = parts[n++ % parts.length]!;
      if (!verify('sha256', t.data, { key, dsaEncoding: 'ieee-p1363' }, t.sig))
        throw new Error('bad signature');
      JSON.parse(Buffer.from(t.payload, 'base64url').toString('utf8'));
    }
  }
  return n / ((performance.now() - start) / 1000);
}
