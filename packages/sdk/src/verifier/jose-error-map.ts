/**
 * Maps jose's verification errors to KeywardVerifyError codes. jose's messages name claims and
 * headers, never the token itself, so they are safe to pass on.
 */
import { errors } from 'jose';
import { KeywardVerifyError } from './verify-error.js';

export function joseErrorReason(err: unknown): string {
  return err instanceof Error ? err.message : 'verification failed';
}

/** jose's errors → stable codes; jose messages name claims, never the token itself. */
export function mapJoseError(err: unknown): KeywardVerifyError {
  if (err instanceof KeywardVerifyError) return err;
  const wrap = (code: ConstructorParameters<typeof KeywardVerifyError>[0], message: string) =>
    new KeywardVerifyError(code, message, { cause: err });
  if (err instanceof errors.JWTExpired) return wrap('token_expired', 'token has expired');
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'aud') return wrap('wrong_audience', 'token is not for this audience');
    if (err.claim === 'iss') return wrap('wrong_issuer', 'token is not from the expected issuer');
    if (err.claim === 'nbf' || err.claim === 'iat')
      return wrap('token_not_yet_valid', `${err.claim} is in the future`);
    return wrap('invalid_token', `claim ${err.claim}: ${err.reason}`);
  }
  if (err instanceof errors.JWSSignatureVerificationFailed)
    return wrap('invalid_signature', 'signature does not verify');
  if (err instanceof errors.JWKSNoMatchingKey)
    return wrap('unknown_key', 'no published key matches the token');
  if (err instanceof errors.JOSEAlgNotAllowed) return wrap('invalid_token', 'algorithm not allowed');
  if (err instanceof errors.JWKSTimeout) return wrap('jwks_unavailable', 'JWKS fetch timed out');
  if (err instanceof errors.JWKSInvalid) return wrap('jwks_unavailable', 'the JWKS is malformed');
  // jose's generic error is what a non-200 JWKS response raises.
  if (err instanceof errors.JOSEError && err.code === 'ERR_JOSE_GENERIC') {
    return wrap('jwks_unavailable', `cannot fetch the JWKS: ${joseErrorReason(err)}`);
  }
  if (err instanceof errors.JOSEError) return wrap('invalid_token', joseErrorReason(err));
  return wrap('jwks_unavailable', `cannot fetch the JWKS: ${joseErrorReason(err)}`);
}
