/**
 * Key material for Keyward's signing keys: generation (asynchronous, so it never blocks the event
 * loop and never runs inside a transaction), the RFC 7638 `kid`, sealing the PKCS#8 private key
 * under the master key, and opening it again.
 */
import { createPrivateKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { calculateJwkThumbprint } from 'jose';
import type { PublicJwk, SigningAlg, SigningKeyRecord } from '../storage/storage-types.js';
import type { MasterKey } from './master-key.js';
import { openSecret, sealSecret, secretContext } from './secret-envelope.js';

const generate = promisify(generateKeyPair);

export interface GeneratedSigningKey {
  record: SigningKeyRecord;
  privateKey: KeyObject;
}

const contextOf = (kid: string): string => secretContext('signing-key', kid);

async function newKeyPair(alg: SigningAlg): Promise<{ publicKey: KeyObject; privateKey: KeyObject }> {
  if (alg === 'ES256') return generate('ec', { namedCurve: 'P-256' });
  return generate('ed25519');
}

/** A new active key (not yet stored): public JWK with kid = RFC 7638 thumbprint, private key sealed. */
export async function generateSigningKey(
  alg: SigningAlg,
  master: MasterKey,
  at: Date,
): Promise<GeneratedSigningKey> {
  const { publicKey, privateKey } = await newKeyPair(alg);
  const jwk = publicKey.export({ format: 'jwk' }) as PublicJwk;
  const kid = await calculateJwkThumbprint(jwk as Parameters<typeof calculateJwkThumbprint>[0], 'sha256');
  const der = privateKey.export({ format: 'der', type: 'pkcs8' });
  return {
    privateKey,
    record: {
      kid,
      alg,
      status: 'active',
      publicJwk: { ...jwk, kid, alg, use: 'sig' },
      privateKeySealed: sealSecret(master, der, contextOf(kid)),
      createdAt: at.toISOString(),
      retiredAt: null,
    },
  };
}

/** The private key of a stored signing key; KeywardError('master_key_mismatch') under a wrong key. */
export function openSigningKey(record: SigningKeyRecord, master: MasterKey): KeyObject {
  const der = openSecret(master, record.privateKeySealed, contextOf(record.kid));
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
}
