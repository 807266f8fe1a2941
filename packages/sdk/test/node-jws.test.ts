/**
 * @keyward/sdk/node's compact-JWS verification: the thread-pool form (Keyward's token endpoint
 * uses it) gives exactly the synchronous form's answers, forged and malformed inputs included.
 */
import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseCompactJws, verifyJwsSignature, verifyJwsSignatureAsync } from '../src/node.js';

const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const otherEc = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const ed = generateKeyPairSync('ed25519');
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

function jws(alg: string, key: KeyObject | undefined, opts: { der?: boolean } = {}): string {
  const input = `${b64({ alg })}.${b64({ sub: 'nhi_x' })}`;
  if (!key) return `${input}.`;
  const data = Buffer.from(input);
  const signature =
    alg === 'ES256'
      ? sign('sha256', data, { key, dsaEncoding: opts.der ? 'der' : 'ieee-p1363' })
      : alg === 'EdDSA'
        ? sign(null, data, key)
        : sign('sha256', data, key);
  return `${input}.${signature.toString('base64url')}`;
}

const cases: Array<[string, string, string, KeyObject, boolean]> = [
  ['ES256 with its key', 'ES256', jws('ES256', ec.privateKey), ec.publicKey, true],
  ['ES256 with another key', 'ES256', jws('ES256', otherEc.privateKey), ec.publicKey, false],
  [
    'ES256 signature in DER, not r||s',
    'ES256',
    jws('ES256', ec.privateKey, { der: true }),
    ec.publicKey,
    false,
  ],
  ['EdDSA with its key', 'EdDSA', jws('EdDSA', ed.privateKey), ed.publicKey, true],
  ['RS256 with its key', 'RS256', jws('RS256', rsa.privateKey), rsa.publicKey, true],
  ['alg none, empty signature', 'none', jws('none', undefined), ec.publicKey, false],
  ['HS256 claimed over an EC key', 'HS256', jws('ES256', ec.privateKey), ec.publicKey, false],
  ['RS256 claimed for an EC key', 'RS256', jws('RS256', rsa.privateKey), ec.publicKey, false],
  ['ES256 claimed for an Ed25519 key', 'ES256', jws('ES256', ec.privateKey), ed.publicKey, false],
];

describe('verifyJwsSignatureAsync', () => {
  it.each(cases)('%s: same answer as the synchronous form', async (_, alg, token, key, valid) => {
    const parsed = parseCompactJws(token);
    expect(parsed).toBeDefined();
    const { signingInput, signature } = parsed!;
    expect(verifyJwsSignature(alg, key, signingInput, signature)).toBe(valid);
    await expect(verifyJwsSignatureAsync(alg, key, signingInput, signature)).resolves.toBe(valid);
  });

  it('a tampered payload fails; it resolves false rather than rejecting', async () => {
    const [h, , s] = jws('ES256', ec.privateKey).split('.');
    const parsed = parseCompactJws(`${h}.${b64({ sub: 'nhi_admin' })}.${s}`)!;
    await expect(
      verifyJwsSignatureAsync('ES256', ec.publicKey, parsed.signingInput, parsed.signature),
    ).resolves.toBe(false);
  });
});
