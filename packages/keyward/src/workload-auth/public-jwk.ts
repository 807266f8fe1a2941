/**
 * Public keys that workloads register to sign their client assertions: EC P-256, Ed25519 or RSA of
 * at least 2048 bits. Private JWKs (any private member such as `d`) and symmetric keys are refused,
 * as is anything node:crypto cannot load as a public key. The stored form is the key as node:crypto
 * re-exports it (only the public members) plus the caller's kid/alg/use.
 */
import { createPublicKey } from 'node:crypto';
import { calculateJwkThumbprint } from 'jose';
import { type FieldError, validationFailed } from '../errors.js';
import type { PublicJwk } from '../storage/storage-types.js';

/** Algorithms a client assertion may use. Never `none`, never HMAC. */
export const ASSERTION_ALGS = ['ES256', 'EdDSA', 'Ed25519', 'RS256', 'PS256'] as const;

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
const MIN_RSA_BITS = 2048;

/** The JWS algorithms a public key can verify. */
export function algsForKey(jwk: PublicJwk): readonly string[] {
  if (jwk.kty === 'EC' && jwk['crv'] === 'P-256') return ['ES256'];
  if (jwk.kty === 'OKP' && jwk['crv'] === 'Ed25519') return ['EdDSA', 'Ed25519'];
  if (jwk.kty === 'RSA') return ['RS256', 'PS256'];
  return [];
}

const refuse = (message: string, path = '/'): never => {
  const errors: FieldError[] = [{ path, message }];
  throw validationFailed(`invalid public key: ${message}`, errors);
};

export interface ParsedPublicJwk {
  jwk: PublicJwk;
  kid: string;
  thumbprint: string;
}

/** Validates a JWK sent for registration and returns its stored form, kid and RFC 7638 thumbprint. */
export async function parsePublicJwk(input: unknown): Promise<ParsedPublicJwk> {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return refuse('must be a JWK object');
  const raw = input as Record<string, unknown>;
  const leaked = PRIVATE_MEMBERS.filter((m) => m in raw);
  if (raw['kty'] === 'oct') return refuse('symmetric (oct) keys are not accepted', '/kty');
  if (leaked.length > 0) {
    return refuse(
      `private key material (${leaked.join(', ')}) must never be sent: register the public key only`,
    );
  }
  if (raw['kty'] === 'EC' && raw['crv'] !== 'P-256') return refuse('EC keys must be on P-256', '/crv');
  if (raw['kty'] === 'OKP' && raw['crv'] !== 'Ed25519') return refuse('OKP keys must be Ed25519', '/crv');
  if (!['EC', 'OKP', 'RSA'].includes(String(raw['kty']))) return refuse('kty must be EC, OKP or RSA', '/kty');
  if (raw['use'] !== undefined && raw['use'] !== 'sig') return refuse('use must be "sig"', '/use');
  let exported: PublicJwk;
  try {
    const key = createPublicKey({ key: raw as import('node:crypto').JsonWebKey, format: 'jwk' });
    if (raw['kty'] === 'RSA' && (key.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_RSA_BITS) {
      return refuse(`RSA keys must have at least ${MIN_RSA_BITS} bits`, '/n');
    }
    exported = key.export({ format: 'jwk' }) as PublicJwk;
  } catch (err) {
    if (err instanceof Error && err.name === 'KeywardError') throw err;
    return refuse('not a loadable public key');
  }
  const alg = raw['alg'];
  if (alg !== undefined && !algsForKey(exported).includes(String(alg))) {
    return refuse(`alg must be one of ${algsForKey(exported).join(', ')} for this key`, '/alg');
  }
  const kidIn = raw['kid'];
  if (kidIn !== undefined && (typeof kidIn !== 'string' || !/^[\x21-\x7e]{1,200}$/.test(kidIn))) {
    return refuse('kid must be 1-200 printable characters', '/kid');
  }
  const thumbprint = await calculateJwkThumbprint(exported as Parameters<typeof calculateJwkThumbprint>[0]);
  const kid = (kidIn as string | undefined) ?? thumbprint;
  const jwk: PublicJwk = { ...exported, kid, ...(alg ? { alg: String(alg) } : {}), use: 'sig' };
  return { jwk, kid, thumbprint };
}
