/**
 * KeywardVerifyError: why a resource server refused an access token. The message explains the
 * refusal for logs; it never contains the token. Middleware maps every code to 401 invalid_token
 * except `jwks_unavailable` and `revocation_unavailable` (503: the verifier cannot decide).
 */

export type VerifyErrorCode =
  | 'invalid_token'
  | 'invalid_signature'
  | 'unknown_key'
  | 'token_expired'
  | 'token_not_yet_valid'
  | 'token_revoked'
  | 'wrong_audience'
  | 'wrong_issuer'
  | 'jwks_unavailable'
  | 'revocation_unavailable';

export class KeywardVerifyError extends Error {
  readonly code: VerifyErrorCode;

  constructor(code: VerifyErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KeywardVerifyError';
    this.code = code;
  }
}
