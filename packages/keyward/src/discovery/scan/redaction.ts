/**
 * What of a secret may leave the scanner: a preview of at most four leading and four trailing
 * characters (fewer for short secrets, so a preview never shows more than a third of one), and
 * its SHA-256 fingerprint, which is what Keyward's token store and Kubernetes Secrets key on.
 */
import { createHash } from 'node:crypto';

export function redact(secret: string): string {
  const shown = Math.min(4, Math.floor(secret.length / 6));
  return shown === 0 ? '…' : `${secret.slice(0, shown)}…${secret.slice(-shown)}`;
}

export const fingerprintOf = (secret: string): string =>
  `sha256:${createHash('sha256').update(secret, 'utf8').digest('hex')}`;
