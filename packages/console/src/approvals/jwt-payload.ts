/**
 * Reads a JWT's payload in the browser, without verifying it: the console only needs to know whom
 * a pasted ID token claims to be and when it runs out. The server verifies the token on every decision.
 */

export interface IdTokenClaims {
  sub?: string;
  email?: string;
  name?: string;
  iss?: string;
  aud?: string | string[];
  exp?: number;
  [claim: string]: unknown;
}

/** The payload of a compact JWS, or an error message saying why it is not one. */
export function decodeJwtPayload(token: string): { claims: IdTokenClaims } | { error: string } {
  const parts = token.trim().split('.');
  if (parts.length !== 3 || !parts[1]) return { error: 'not a JWT (expected three dot-separated parts)' };
  try {
    const b64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const padded = b64 + '='.repeat((4 - (b64.length % 4)) % 4);
    const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes)) as unknown;
    if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
      return { error: 'the JWT payload is not a JSON object' };
    }
    return { claims: claims as IdTokenClaims };
  } catch {
    return { error: 'the JWT payload is not base64url-encoded JSON' };
  }
}

/**
 * The email the token names: the `email` claim, else the first claim holding an address (issuers
 * map humans by a configurable email claim, e.g. `upn` or `preferred_username`).
 */
export function emailOf(claims: IdTokenClaims): string | undefined {
  if (typeof claims.email === 'string' && claims.email.includes('@')) return claims.email;
  for (const key of ['upn', 'preferred_username', 'mail']) {
    const v = claims[key];
    if (typeof v === 'string' && /^[^@\s]+@[^@\s]+$/.test(v)) return v;
  }
  return undefined;
}
