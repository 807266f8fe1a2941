/**
 * application/x-www-form-urlencoded request parameters for the OAuth endpoints. RFC 6749 §3.2:
 * a parameter must not appear more than once (except RFC 8707's `resource`, which we also refuse
 * twice: one audience per token keeps the token's aud exact).
 */
import { oauthError } from './oauth-error.js';

export type FormParams = Map<string, string[]>;

export function parseForm(body: string): FormParams {
  const params: FormParams = new Map();
  for (const [k, v] of new URLSearchParams(body)) {
    const list = params.get(k);
    if (list) list.push(v);
    else params.set(k, [v]);
  }
  return params;
}

/** The single value of `name`, or undefined; duplicates and empty values are invalid_request. */
export function param(params: FormParams, name: string): string | undefined {
  const values = params.get(name);
  if (!values) return undefined;
  if (values.length > 1) throw oauthError('invalid_request', `parameter ${name} must not be repeated`);
  if (values[0] === '') throw oauthError('invalid_request', `parameter ${name} is empty`);
  return values[0];
}

export function required(params: FormParams, name: string): string {
  const value = param(params, name);
  if (value === undefined) throw oauthError('invalid_request', `parameter ${name} is required`);
  return value;
}
