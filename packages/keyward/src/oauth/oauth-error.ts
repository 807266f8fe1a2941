/**
 * OAuth 2.0 errors (RFC 6749 §5.2, RFC 8693 §2.2.2, RFC 8707 §2): the /oauth2/* endpoints answer
 * `{error, error_description}` JSON, not problem+json, as those RFCs require. This is the one place
 * where anything thrown under /oauth2/ becomes that shape.
 */
import { KeywardError } from '../errors.js';

export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'invalid_scope'
  | 'invalid_target'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_token_type'
  | 'server_error';

export class OAuthError extends Error {
  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
  ) {
    super(description);
    this.name = 'OAuthError';
  }
}

export const oauthError = (error: OAuthErrorCode, description: string): OAuthError =>
  new OAuthError(error, description);

/** Status, body and whether to send WWW-Authenticate, for any thrown value. */
export function toOAuthResponse(err: unknown): {
  status: number;
  body: { error: OAuthErrorCode; error_description: string };
} {
  let error: OAuthErrorCode = 'server_error';
  let description = 'an unexpected error occurred; it has been logged';
  if (err instanceof OAuthError) {
    error = err.error;
    description = err.description;
  } else if (err instanceof KeywardError) {
    description = err.message;
    error =
      err.code === 'invalid_client' || err.code === 'unauthenticated'
        ? 'invalid_client'
        : err.code === 'validation_failed' ||
            err.code === 'invalid_json' ||
            err.code === 'unsupported_media_type'
          ? 'invalid_request'
          : err.code === 'forbidden' || err.code === 'task_not_active' || err.code === 'not_found'
            ? 'invalid_grant'
            : 'server_error';
  }
  const status = error === 'invalid_client' ? 401 : error === 'server_error' ? 500 : 400;
  return { status, body: { error, error_description: description } };
}
