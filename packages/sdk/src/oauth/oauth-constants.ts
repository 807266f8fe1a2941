/** The OAuth URNs Keyward speaks (RFC 7523, RFC 8693) and the token endpoint's response shape. */

export const CLIENT_ASSERTION_TYPE_JWT = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
export const GRANT_CLIENT_CREDENTIALS = 'client_credentials';
export const GRANT_TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';

export const TOKEN_TYPE_ACCESS_TOKEN = 'urn:ietf:params:oauth:token-type:access_token';
export const TOKEN_TYPE_ID_TOKEN = 'urn:ietf:params:oauth:token-type:id_token';
export const TOKEN_TYPE_JWT = 'urn:ietf:params:oauth:token-type:jwt';

/** RFC 8693 §3 subject token types the SDK knows by name; any other URN is passed through. */
export type SubjectTokenType = typeof TOKEN_TYPE_ACCESS_TOKEN | typeof TOKEN_TYPE_ID_TOKEN | (string & {});

/** The token endpoint's success body (RFC 6749 §5.1, RFC 8693 §2.2.1). */
export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  scope?: string;
  issued_token_type?: string;
}

/** An access token as the SDK hands it out. */
export interface AccessToken {
  /** The compact JWT to send as `Authorization: Bearer …`. */
  accessToken: string;
  tokenType: string;
  /** Granted scopes (the server's `scope`, or the requested ones when it sent none). */
  scopes: string[];
  expiresAt: Date;
  issuedTokenType: string | undefined;
}
