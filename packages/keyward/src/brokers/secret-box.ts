/**
 * SecretBox: seals short secrets (a brokered database's admin password) for storage, through the
 * master-key envelope (keys/secret-envelope.ts: AES-256-GCM). `aad` binds a sealed value to its
 * owner (e.g. the database name): a sealed password copied onto another record does not open.
 */
import { type MasterKey, masterKeyId } from '../keys/master-key.js';
import { openSecret, sealSecret, secretContext } from '../keys/secret-envelope.js';

export interface SecretBox {
  seal(plaintext: string, aad: string): string;
  /** Throws if `sealed` was not sealed by this box with this aad, or was tampered with. */
  open(sealed: string, aad: string): string;
}

export function masterKeySecretBox(master: MasterKey, purpose = 'broker'): SecretBox {
  return {
    seal: (plaintext, aad) => sealSecret(master, Buffer.from(plaintext, 'utf8'), secretContext(purpose, aad)),
    open: (sealed, aad) => openSecret(master, sealed, secretContext(purpose, aad)).toString('utf8'),
  };
}

/** A box over a raw 32-byte key (tests and tools that hold no master key file). */
export function createAesGcmSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new TypeError('AES-256-GCM needs a 32-byte key');
  return masterKeySecretBox({ id: masterKeyId(key), key: Buffer.from(key), source: 'a raw key' });
}
