/**
 * CheckpointSigner: the narrow signing interface the audit checkpoints need. Keyward signs with its
 * persistent checkpoint key (checkpoint-key-service.ts: sealed under the master key, public keys
 * kept across rotations); createEphemeralSigner (a key in memory only) is for tests and benchmarks.
 */
import { CompactSign, calculateJwkThumbprint, compactVerify, exportJWK, generateKeyPair } from 'jose';

/** Checks checkpoint signatures: the keys it holds (public halves suffice). */
export interface CheckpointVerifier {
  /** True when this verifier holds the key `kid` (so a failed check means a bad signature). */
  canVerify(kid: string): boolean;
  /** True when `jws` is a valid signature by a key it holds (its payload is not interpreted here). */
  verify(jws: string): Promise<boolean>;
}

export interface CheckpointSigner extends CheckpointVerifier {
  /** The key id new checkpoints are signed with. */
  readonly kid: string;
  /** A compact JWS (alg EdDSA, header kid) over `data`. */
  sign(data: Uint8Array): Promise<string>;
}

/** A persistent signer: reloads keys rotated by another replica, rotates (old public keys kept). */
export interface RotatingCheckpointSigner extends CheckpointSigner {
  refresh(): Promise<void>;
  /** Makes a new active key, retiring (not deleting) the current one (audited); returns the new kid. */
  rotate(actor?: string, reason?: string): Promise<string>;
  /** Every key's public half (active and retired), oldest first: what verifies the checkpoints. */
  publicKeys(): Promise<
    Array<{
      kid: string;
      status: 'active' | 'retired';
      createdAt: string;
      retiredAt: string | null;
      publicJwk: Record<string, unknown>;
    }>
  >;
}

export function isRotating(signer: CheckpointSigner): signer is RotatingCheckpointSigner {
  return 'rotate' in signer && 'publicKeys' in signer;
}

export async function createEphemeralSigner(): Promise<CheckpointSigner> {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const kid = await calculateJwkThumbprint(await exportJWK(publicKey));
  return {
    kid,
    sign: (data) => new CompactSign(data).setProtectedHeader({ alg: 'EdDSA', kid }).sign(privateKey),
    canVerify: (k) => k === kid,
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
