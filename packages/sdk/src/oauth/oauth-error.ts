/**
 * KeywardOAuthError: a refusal from Keyward's OAuth endpoints (RFC 6749 §5.2 `{error,
 * error_description}`) or a failure to reach them. It never carries the assertion, the subject
 * token or the access token: only the endpoint, the OAuth error code and the server's description.
 */

/** Codes the SDK produces itself, besides the server's OAuth error codes (invalid_client …). */
export type OAuthClientErrorCode = 'network_error' | 'timeout' | 'invalid_response';

export class KeywardOAuthError extends Error {
  /** The OAuth `error` (invalid_client, invalid_grant, invalid_scope, invalid_target …) or a client code. */
  readonly error: string;
  /** The server's `error_description`, when it sent one. */
  readonly description: string | undefined;
  /** HTTP status; 0 when no response arrived. */
  readonly status: number;
  readonly url: string;

  constructor(init: {
    error: string;
    description?: string | undefined;
    status: number;
    url: string;
    cause?: unknown;
  }) {
    const detail = init.description ? `: ${init.description}` : '';
    super(
      `${init.url} refused with ${init.error}${detail}`,
      init.cause === undefined ? undefined : { cause: init.cause },
    );
    this.name = 'KeywardOAuthError';
    this.error = init.error;
    this.description = init.description;
    this.status = init.status;
    this.url = init.url;
  }
}
