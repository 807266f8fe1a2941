/**
 * @keyward/sdk/node: Node-only helpers for KeywardAgent — loading the identity's private key from
 * a file (PKCS#8 PEM or a private JWK) and reading a federated token from a file that the platform
 * rotates (a Kubernetes projected service-account token, a CI OIDC token file).
 */
import { readFile } from 'node:fs/promises';
import { type CryptoKey, importJWK, importPKCS8, type JWK } from 'jose';
import type { AssertionAlg } from './agent/client-assertion-signer.js';

export interface LoadedPrivateKey {
  privateKey: CryptoKey;
  alg: AssertionAlg;
  /** The JWK's kid, when the file is a JWK that has one. */
  kid: string | undefined;
}

/** Reads a private key file: PEM (`-----BEGIN PRIVATE KEY-----`) or JSON JWK. */
export async function loadPrivateKey(file: string, alg: AssertionAlg): Promise<LoadedPrivateKey> {
  const text = await readFile(file, 'utf8');
  if (text.trimStart().startsWith('{')) {
    let jwk: JWK;
    try {
      jwk = JSON.parse(text) as JWK;
    } catch {
      throw new TypeError(`loadPrivateKey: ${file} is neither a PEM key nor valid JSON`);
    }
    if (!jwk.d) throw new TypeError(`loadPrivateKey: ${file} holds a public JWK; the private key is needed`);
    const key = (await importJWK(jwk, alg)) as CryptoKey;
    return { privateKey: key, alg, kid: jwk.kid };
  }
  if (!text.includes('-----BEGIN PRIVATE KEY-----')) {
    throw new TypeError(`loadPrivateKey: ${file} is not a PKCS#8 PEM ("BEGIN PRIVATE KEY") or a JWK`);
  }
  return { privateKey: await importPKCS8(text, alg), alg, kid: undefined };
}

/** A `federatedToken` that re-reads the file on every use, so platform rotations are picked up. */
export function fileToken(file: string): () => Promise<string> {
  return async () => (await readFile(file, 'utf8')).trim();
}
export * from './verifier/node-jws.js';
export { createNodeVerifier } from './verifier/node-verifier.js';
