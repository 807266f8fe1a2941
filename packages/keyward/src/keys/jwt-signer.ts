/**
 * Compact JWS signing straight on node:crypto: the token endpoint's hot path, so no library layer
 * (jose adds ~40-50% per signature) and no I/O. ES256 signatures are IEEE P1363 (r || s) as JWS
 * requires, not DER.
 */
import { type KeyObject, sign } from 'node:crypto';
import type { SigningAlg } from '../storage/storage-types.js';

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export function signCompactJwt(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  alg: SigningAlg,
  key: KeyObject,
): string {
  const input = `${b64({ ...header, alg })}.${b64(payload)}`;
  const signature =
    alg === 'ES256'
      ? sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' })
      : sign(null, Buffer.from(input), key);
  return `${input}.${signature.toString('base64url')}`;
}
