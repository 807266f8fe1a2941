/**
 * CheckpointSigner: the narrow signing interface the audit checkpoints need. For now it is an
 * Ed25519 key generated in memory at start (createEphemeralSigner); at merge it will be replaced by
 * an adapter over Keyward's signing-key service, which keeps keys across restarts and publishes the
 * public keys. Until then a checkpoint's signature can only be checked by the process that made it
 * (verification skips, and counts, checkpoints signed by a key it does not hold).
 */
import { CompactSign, calculateJwkThumbprint, compactVerify, exportJWK, generateKeyPair } from 'jose';

export interface CheckpointSigner {
  kid: string;
  /** A compact JWS (alg EdDSA, header kid) over `data`. */
  sign(data: Uint8Array): Promise<string>;
  /** True when `jws` is a valid signature by this key (its payload is not interpreted here). */
  verify(jws: string): Promise<boolean>;
}

export async function createEphemeralSigner(): Promise<CheckpointSigner> {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const kid = await calculateJwkThumbprint(await exportJWK(publicKey));
  return {
    kid,
    sign: (data) => new CompactSign(data).setProtectedHeader({ alg: 'EdDSA', kid }).sign(privateKey),
    async verify(jws) {
      try {
        const { protectedHeader } = await compactVerify(jws, publicKey, { algorithms: ['EdDSA'] });
        return protectedHeader.kid === kid;
      } catch {
        return false;
      }
    },
  };
}

/** The key id in a compact JWS's protected header, or undefined when it has none or is malformed. */
export function kidOf(jws: string): string | undefined {
  try {
    const header = JSON.parse(Buffer.from(jws.split('.')[0] ?? '', 'base64url').toString('utf8'));
    return typeof header.kid === 'string' ? header.kid : undefined;
  } catch {
    return undefined;
  }
}

/** The payload bytes of a compact JWS, decoded as UTF-8 (undefined when malformed). */
export function payloadOf(jws: string): string | undefined {
  const part = jws.split('.')[1];
  return part === undefined ? undefined : Buffer.from(part, 'base64url').toString('utf8');
}
