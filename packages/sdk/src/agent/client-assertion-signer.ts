/**
 * Client assertions for private_key_jwt (RFC 7523 §2.2): every call signs a fresh JWT with
 * iss = sub = the identity id, aud = the token endpoint, a random single-use jti and a short exp.
 * A federated identity (Kubernetes projected token, CI OIDC token …) presents that token instead.
 */
import { type CryptoKey, importJWK, type JWK, type KeyObject, SignJWT } from 'jose';

/** Algorithms Keyward accepts for client assertions. */
export type AssertionAlg = 'ES256' | 'EdDSA' | 'Ed25519' | 'RS256' | 'PS256';

export interface PrivateKeyCredentials {
  /** The identity's private key: a WebCrypto CryptoKey, a Node KeyObject or a private JWK. */
  privateKey: CryptoKey | KeyObject | JWK;
  alg: AssertionAlg;
  /** The registered key's kid; sent in the header so Keyward picks the key directly. */
  kid?: string | undefined;
}

export interface FederatedCredentials {
  /** Returns a current token from a trusted issuer; called for every assertion (tokens rotate). */
  federatedToken: () => Promise<string>;
}

export type AgentCredentials = PrivateKeyCredentials | FederatedCredentials;

/** Seconds a signed assertion stays valid (Keyward accepts at most 300). */
export const ASSERTION_LIFETIME_S = 60;

export type AssertionSigner = () => Promise<string>;

export function createAssertionSigner(
  identityId: string,
  audience: string,
  credentials: AgentCredentials,
): AssertionSigner {
  if ('federatedToken' in credentials) {
    const read = credentials.federatedToken;
    return async () => {
      const token = (await read()).trim();
      if (!token) throw new TypeError('KeywardAgent: federatedToken() returned an empty token');
      return token;
    };
  }
  const { alg, kid } = credentials;
  let key: Promise<CryptoKey | KeyObject> | undefined;
  const resolveKey = () => {
    key ??= isJwk(credentials.privateKey)
      ? (importJWK(credentials.privateKey, alg) as Promise<CryptoKey | KeyObject>)
      : Promise.resolve(credentials.privateKey);
    return key;
  };
  return async () =>
    new SignJWT({ jti: randomId() })
      .setProtectedHeader({ alg, ...(kid ? { kid } : {}), typ: 'JWT' })
      .setIssuer(identityId)
      .setSubject(identityId)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime(`${ASSERTION_LIFETIME_S}s`)
      .sign(await resolveKey());
}

function isJwk(key: CryptoKey | KeyObject | JWK): key is JWK {
  return typeof (key as JWK).kty === 'string';
}

/** 128 random bits, base64url; globalThis.crypto exists in Node ≥ 20, browsers and Deno. */
function randomId(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
