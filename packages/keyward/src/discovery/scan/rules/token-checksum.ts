/**
 * GitHub's (and npm's) token checksum: the last six characters of `ghp_…` are base62 of the CRC32
 * of the thirty random characters before them, zero-padded, alphabet 0-9A-Za-z. Checking it turns a
 * format match into near-certainty and kills every hand-typed look-alike.
 */
import { crc32 } from 'node:zlib';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function base62(n: number, width: number): string {
  let out = '';
  let v = n >>> 0;
  while (v > 0) {
    out = BASE62[v % 62] + out;
    v = Math.floor(v / 62);
  }
  return out.padStart(width, '0');
}

/** Whether `body` (the token without its prefix) ends in the CRC32 of the rest. */
export function hasValidCrc32Suffix(body: string): boolean {
  if (body.length <= 6) return false;
  const random = body.slice(0, -6);
  return base62(crc32(random), 6) === body.slice(-6);
}
