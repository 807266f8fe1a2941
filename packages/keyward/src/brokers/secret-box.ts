/**
 * SecretBox: seals short secrets (a brokered database's admin password) for storage. The interface
 * is deliberately narrow so the master-key implementation can replace this one without touching
 * callers. `aad` binds a sealed value to its owner (e.g. the database name): a sealed password
 * copied onto another record does not open.
 *
 * This implementation: AES-256-GCM (node:crypto) over a 32-byte key passed in, a fresh random
 * 96-bit IV per seal. Format: `v1.<iv>.<tag>.<ciphertext>`, each part base64url.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface SecretBox {
  seal(plaintext: string, aad: string): string;
  /** Throws if `sealed` was not sealed by this box with this aad, or was tampered with. */
  open(sealed: string, aad: string): string;
}

export function createAesGcmSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new TypeError('AES-256-GCM needs a 32-byte key');
  const k = Buffer.from(key);
  return {
    seal(plaintext, aad) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', k, iv);
      cipher.setAAD(Buffer.from(aad, 'utf8'));
      const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return ['v1', iv, tag, ct].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
    },
    open(sealed, aad) {
      const [version, iv, tag, ct, ...rest] = sealed.split('.');
      if (version !== 'v1' || iv === undefined || tag === undefined || ct === undefined || rest.length > 0) {
        throw new Error('not a sealed secret (expected v1.<iv>.<tag>.<ciphertext>)');
      }
      const decipher = createDecipheriv('aes-256-gcm', k, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(aad, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString(
        'utf8',
      );
    },
  };
}
