/**
 * One token-endpoint request: POSTs the grant's form, checks the response is a usable token and
 * turns it into an AccessToken whose expiry is measured from when the request was sent (a slow
 * answer never extends the token's life).
 */
import { postForm } from './form-post.js';
import type { AccessToken, TokenResponse } from './oauth-constants.js';
import { KeywardOAuthError } from './oauth-error.js';

export interface TokenRequestOptions {
  fetch: typeof fetch;
  timeoutMs: number;
  now: () => number;
}

export async function requestAccessToken(
  endpoint: string,
  form: Record<string, string | undefined>,
  requestedScopes: string[] | undefined,
  options: TokenRequestOptions,
): Promise<AccessToken> {
  const sentAt = options.now();
  const res = await postForm<TokenResponse>(endpoint, form, options);
  if (typeof res.access_token !== 'string' || typeof res.expires_in !== 'number') {
    throw new KeywardOAuthError({
      error: 'invalid_response',
      description: 'token response lacks access_token or expires_in',
      status: 200,
      url: endpoint,
    });
  }
  return {
    accessToken: res.access_token,
    tokenType: res.token_type ?? 'Bearer',
    scopes:
      typeof res.scope === 'string' ? res.scope.split(' ').filter(Boolean) : [...(requestedScopes ?? [])],
    expiresAt: new Date(sentAt + res.expires_in * 1000),
    issuedTokenType: res.issued_token_type,
  };
}
