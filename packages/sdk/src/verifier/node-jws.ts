/**
 * Compact JWS on node:crypto, for the hot paths (Keyward's client-assertion check, the SDK's fast
 * verifier): split and decode once, verify with a KeyObject imported once. jose's general path
 * goes through WebCrypto's async job queue, which costs more than the ECDSA verification itself.
 * Node-only; runtime-neutral code keeps using jose.
 */
import {
  createPublicKey,
  type JsonWebKey,
  type KeyObject,
  constants as sslConstants,
  verify,
} from 'node:crypto';

export interface ParsedCompactJws {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** The signed bytes: `base64url(header).base64url(payload)`. */
  signingInput: Buffer;
  signature: Buffer;
}

const B64URL = /^[A-Za-z0-9_-]+$/;
/** An empty signature still parses (e.g. `alg: none`), so the caller refuses it for its alg. */
const B64URL_OR_EMPTY = /^[A-Za-z0-9_-]*$/;

function decodeJsonObject(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Splits and decodes a compact JWS; undefined when it is not three base64url parts of JSON objects. */
export function parseCompactJws(token: string): ParsedCompactJws | undefined {
  const first = token.indexOf('.');
  const second = token.indexOf('.', first + 1);
  if (first < 0 || second < 0 || token.indexOf('.', second + 1) >= 0) return undefined;
  const h = token.slice(0, first);
  const p = token.slice(first + 1, second);
  const s = token.slice(second + 1);
  if (!B64URL.test(h) || !B64URL.test(p) || !B64URL_OR_EMPTY.test(s)) return undefined;
  const header = decodeJsonObject(h);
  const payload = decodeJsonObject(p);
  if (!header || !payload) return undefined;
  return {
    header,
    payload,
    signingInput: Buffer.from(token.slice(0, second), 'ascii'),
    signature: Buffer.from(s, 'base64url'),
  };
}

/** Imports a public JWK as a KeyObject; undefined when node:crypto cannot load it. */
export function publicKeyObject(jwk: object): KeyObject | undefined {
  try {
    const key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
    return key.type === 'public' ? key : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `key` can verify `alg` at all: the key type and curve must match the algorithm. */
export function keyFitsAlg(key: KeyObject, alg: string): boolean {
  const type = key.asymmetricKeyType;
  if (alg === 'ES256') return type === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1';
  if (alg === 'EdDSA' || alg === 'Ed25519') return type === 'ed25519';
  if (alg === 'RS256' || alg === 'PS256') return type === 'rsa';
  return false;
}

type VerifyKey = Parameters<typeof verify>[2];

/** node:crypto's digest and key options for `alg`; undefined for any alg it must refuse. */
function verifyParams(
  alg: string,
  key: KeyObject,
  signature: Buffer,
): [string | null, VerifyKey] | undefined {
  if (!keyFitsAlg(key, alg)) return undefined;
  switch (alg) {
    case 'ES256':
      return signature.length === 64 ? ['sha256', { key, dsaEncoding: 'ieee-p1363' }] : undefined;
    case 'EdDSA':
    case 'Ed25519':
      return [null, key];
    case 'RS256':
      return ['sha256', key];
    case 'PS256':
      return ['sha256', { key, padding: sslConstants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }];
    default:
      return undefined;
  }
}

/**
 * Verifies a JWS signature for ES256 (IEEE P1363 r||s, as JWS requires), EdDSA/Ed25519, RS256 or
 * PS256. Any other alg — `none`, HMAC — and any key/alg mismatch is false, never an exception.
 */
export function verifyJwsSignature(alg: string, key: KeyObject, data: Buffer, signature: Buffer): boolean {
  const params = verifyParams(alg, key, signature);
  if (!params) return false;
  try {
    return verify(params[0], data, params[1], signature);
  } catch {
    return false;
  }
}

/**
 * verifyJwsSignature on libuv's thread pool (node:crypto's callback form): a server whose event
 * loop is its bottleneck verifies on the other cores while it parses the next request. Same
 * answers, never a rejection.
 */
export function verifyJwsSignatureAsync(
  alg: string,
  key: KeyObject,
  data: Buffer,
  signature: Buffer,
): Promise<boolean> {
  const params = verifyParams(alg, key, signature);
  if (!params) return Promise.resolve(false);
  return new Promise((resolve) => {
    try {
      verify(params[0], data, params[1], signature, (err, ok) => resolve(err === null && ok));
    } catch {
      resolve(false);
    }
  });
}
