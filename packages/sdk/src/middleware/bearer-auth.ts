/**
 * Framework-neutral bearer authentication (RFC 6750) shared by the Fastify and Express adapters:
 * reads `Authorization: Bearer`, verifies, checks required scopes and describes the refusal —
 * status, `WWW-Authenticate` challenge and a JSON body — without echoing the token.
 */
import type { VerifiedAccessToken } from '../verifier/access-token.js';
import type { KeywardVerifier } from '../verifier/keyward-verifier.js';
import { KeywardVerifyError } from '../verifier/verify-error.js';

export interface BearerAuthOptions {
  /** Every one of these scopes is required (403 insufficient_scope otherwise). */
  requiredScopes?: string[] | undefined;
  /** `realm` in the challenge. */
  realm?: string | undefined;
}

export interface BearerRefusal {
  status: 401 | 403 | 503;
  /** Value of `WWW-Authenticate`, when the status calls for one. */
  challenge: string | undefined;
  body: { error: string; error_description: string };
  /** The underlying verification error, for logging (its message never holds the token). */
  cause: KeywardVerifyError | undefined;
}

export type BearerResult = { ok: true; token: VerifiedAccessToken } | { ok: false; refusal: BearerRefusal };

const quote = (s: string) => `"${s.replace(/[\\"]/g, '\\$&').replace(/[^\x20-\x7e]/g, '')}"`;

function challenge(realm: string | undefined, params: Record<string, string>): string {
  const all = { ...(realm ? { realm } : {}), ...params };
  const parts = Object.entries(all).map(([k, v]) => `${k}=${quote(v)}`);
  return parts.length ? `Bearer ${parts.join(', ')}` : 'Bearer';
}

/** The token of an `Authorization` header value, or undefined when it is not a single bearer token. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header);
  return match?.[1];
}

export async function authenticateBearer(
  verifier: KeywardVerifier,
  authorization: string | string[] | undefined,
  options: BearerAuthOptions = {},
): Promise<BearerResult> {
  const { realm } = options;
  const token = bearerToken(authorization);
  if (token === undefined) {
    const malformed = authorization !== undefined;
    return {
      ok: false,
      refusal: {
        status: 401,
        // RFC 6750 §3.1: a request with no credentials gets a challenge without an error code.
        challenge: malformed
          ? challenge(realm, {
              error: 'invalid_request',
              error_description: 'malformed Authorization header',
            })
          : challenge(realm, {}),
        body: {
          error: malformed ? 'invalid_request' : 'unauthorized',
          error_description: malformed ? 'malformed Authorization header' : 'a bearer token is required',
        },
        cause: undefined,
      },
    };
  }
  let verified: VerifiedAccessToken;
  try {
    verified = await verifier.verify(token);
  } catch (err) {
    const cause =
      err instanceof KeywardVerifyError
        ? err
        : new KeywardVerifyError('invalid_token', 'verification failed');
    if (cause.code === 'jwks_unavailable' || cause.code === 'revocation_unavailable') {
      return {
        ok: false,
        refusal: {
          status: 503,
          challenge: undefined,
          body: { error: 'temporarily_unavailable', error_description: 'cannot verify tokens right now' },
          cause,
        },
      };
    }
    const description = cause.message;
    return {
      ok: false,
      refusal: {
        status: 401,
        challenge: challenge(realm, { error: 'invalid_token', error_description: description }),
        body: { error: 'invalid_token', error_description: description },
        cause,
      },
    };
  }
  const missing = (options.requiredScopes ?? []).filter((s) => !verified.hasScope(s));
  if (missing.length > 0) {
    const scope = (options.requiredScopes ?? []).join(' ');
    const description = `requires scope ${missing.join(' ')}`;
    return {
      ok: false,
      refusal: {
        status: 403,
        challenge: challenge(realm, { error: 'insufficient_scope', error_description: description, scope }),
        body: { error: 'insufficient_scope', error_description: description },
        cause: undefined,
      },
    };
  }
  return { ok: true, token: verified };
}
