/**
 * The registered-claim checks of a Keyward access token, as plain code for verifiers that do not
 * go through jose's jwtVerify (the node:crypto fast path). Same rules and the same error codes as
 * the jose path (see jose-error-map.ts): required iss/sub/aud/exp/iat/jti, exact iss, aud
 * containing one accepted audience, exp/nbf/iat numbers checked with the clock tolerance.
 */
import { KeywardVerifyError } from './verify-error.js';

export interface ClaimRules {
  issuer: string;
  audiences: readonly string[];
  toleranceSeconds: number;
  nowSeconds: number;
}

const REQUIRED = ['iss', 'sub', 'aud', 'exp', 'iat', 'jti'] as const;

export function checkAccessTokenClaims(payload: Record<string, unknown>, rules: ClaimRules): void {
  for (const claim of REQUIRED) {
    if (payload[claim] === undefined) {
      const code = claim === 'iss' ? 'wrong_issuer' : claim === 'aud' ? 'wrong_audience' : 'invalid_token';
      throw new KeywardVerifyError(code, `missing required "${claim}" claim`);
    }
  }
  if (payload['iss'] !== rules.issuer)
    throw new KeywardVerifyError('wrong_issuer', 'token is not from the expected issuer');
  const aud = payload['aud'];
  const auds = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : [];
  if (!auds.some((a) => rules.audiences.includes(a as string)))
    throw new KeywardVerifyError('wrong_audience', 'token is not for this audience');
  const { nowSeconds: now, toleranceSeconds: tolerance } = rules;
  const time = (claim: 'exp' | 'nbf' | 'iat'): number | undefined => {
    const value = payload[claim];
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value))
      throw new KeywardVerifyError('invalid_token', `claim ${claim} must be a number`);
    return value;
  };
  const exp = time('exp');
  if (exp !== undefined && exp <= now - tolerance)
    throw new KeywardVerifyError('token_expired', 'token has expired');
  const nbf = time('nbf');
  if (nbf !== undefined && nbf > now + tolerance)
    throw new KeywardVerifyError('token_not_yet_valid', 'nbf is in the future');
  const iat = time('iat');
  if (iat !== undefined && iat > now + tolerance)
    throw new KeywardVerifyError('token_not_yet_valid', 'iat is in the future');
}
