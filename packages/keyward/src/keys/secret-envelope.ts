/**
 * AES-256-GCM envelopes for secrets at rest. A sealed value is
 * `kw1.<master key id>.<nonce>.<ciphertext>.<tag>` (base64url parts, random 96-bit nonce); the
 * additional authenticated data names what the secret is (purpose and record id), so a sealed value
 * copied onto another record does not open. Opening under a different master key fails with
 * KeywardError('master_key_mismatch'), never with garbage.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { KeywardError } from '../errors.js';
import type { MasterKey } from './master-key.js';

const VERSION = 'kw1';

/** The AAD for a secret: which kind of record and which one. */
export const secretContext = (purpose: string, id: string): string => `keyward:${purpose}:${id}`;

export function sealSecret(master: MasterKey, plaintext: Buffer, context: string): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', master.key, nonce);
  cipher.setAAD(Buffer.from(`${VERSION}.${master.id}.${context}`));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return [VERSION, master.id, nonce, ciphertext, cipher.getAuthTag()]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

export function openSecret(master: MasterKey, sealed: string, context: string): Buffer {
  const parts = sealed.split('.');
  if (parts.length !== 5 || parts[0] !== VERSION) {
    throw new KeywardError(
      'master_key_mismatch',
      `a stored secret (${context}) is not a ${VERSION} envelope`,
    );
  }
  const [, keyId, nonce, ciphertext, tag] = parts as [string, string, string, string, string];
  if (keyId !== master.id) {
    throw new KeywardError(
      'master_key_mismatch',
      `stored secrets were sealed with master key ${keyId} but the configured master key (${master.source}) is ${master.id}: restore the original KEYWARD_MASTER_KEY or master.key`,
    );
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', master.key, Buffer.from(nonce, 'base64url'));
    decipher.setAAD(Buffer.from(`${VERSION}.${keyId}.${context}`));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]);
  } catch (cause) {
    throw new KeywardError(
      'master_key_mismatch',
      `a stored secret (${context}) does not open under master key ${master.id}: wrong key or tampered data`,
      { cause },
    );
  }
}
