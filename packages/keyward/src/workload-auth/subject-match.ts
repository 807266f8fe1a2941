/**
 * Matching a federated token against an issuer's rules. `subject` is a glob over `sub`: `*`
 * matches any run of characters except `/` and `:` (one path or SPIFFE segment, one Kubernetes
 * name part), `**` matches anything; every other character is literal. `subjectRegex` is a regular
 * expression anchored at both ends. `requiredClaims` values must equal the token's claim exactly
 * (or be one of its elements when the claim is an array).
 */
import type { FederationRule } from '../storage/storage-types.js';

const REGEX_SPECIALS = /[.*+?^${}()|[\]\\]/g;

export function globToRegExp(glob: string): RegExp {
  const body = glob
    .split('**')
    .map((part) =>
      part
        .split('*')
        .map((lit) => lit.replace(REGEX_SPECIALS, '\\$&'))
        .join('[^/:]*'),
    )
    .join('.*');
  return new RegExp(`^${body}$`, 'u');
}

/** The rule's subject test; throws SyntaxError for an invalid subjectRegex. */
export function subjectPattern(rule: FederationRule): RegExp {
  if (rule.subjectRegex !== undefined) return new RegExp(`^(?:${rule.subjectRegex})$`, 'u');
  return globToRegExp(rule.subject ?? '');
}

const claimEquals = (actual: unknown, expected: string | number | boolean): boolean =>
  Array.isArray(actual) ? actual.includes(expected) : actual === expected;

export function ruleMatches(rule: FederationRule, claims: Record<string, unknown>): boolean {
  const sub = claims['sub'];
  if (typeof sub !== 'string' || !subjectPattern(rule).test(sub)) return false;
  return Object.entries(rule.requiredClaims ?? {}).every(([name, value]) => claimEquals(claims[name], value));
}
