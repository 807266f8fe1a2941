/**
 * What a built-in rule may add to the plain SecretRule contract: a check run on each candidate
 * (checksums, decoding a JWT, reading the fields around a GCP key …) that can veto it, name the
 * identifiers it reveals, or re-label it; and a priority, so a precise rule beats the generic one
 * on the same span. Plus the small string measures the rules share.
 */
import type { ScanSeverity, SecretRule } from './scan-types.js';

/** What a check sees: the whole text (for context around the match) and where the secret is. */
export interface MatchContext {
  text: string;
  path: string;
  /** Offset of the whole match and of the secret in `text`. */
  matchIndex: number;
  secretIndex: number;
  match: RegExpExecArray;
}

export interface CheckResult {
  identifiers?: Record<string, string> | undefined;
  /** The secret as it should be fingerprinted, when it differs from the matched text. */
  secret?: string | undefined;
  /** The part of the secret the redacted preview is cut from (a PEM key's base64 body). */
  preview?: string | undefined;
  severity?: ScanSeverity | undefined;
  provider?: string | undefined;
  ruleId?: string | undefined;
  description?: string | undefined;
}

export interface BuiltinRule extends SecretRule {
  /** A veto (false) or what the candidate reveals; absent means accept as is. */
  check?: ((secret: string, ctx: MatchContext) => CheckResult | false) | undefined;
  /** Overlapping candidates: the higher priority wins (generic 0, precise 1, composite 2). */
  priority?: number | undefined;
  /**
   * The pattern's match starts where one of its keywords occurs: it is then tried (sticky) only at
   * those offsets instead of over the whole text.
   */
  anchored?: boolean | undefined;
  /** The generic rule: decoy filters for test paths, hashes … apply only to it. */
  generic?: boolean | undefined;
}

/** Shannon entropy in bits per character. */
export function shannonEntropy(s: string): number {
  if (s.length === 0) return 0;
  const counts = new Map<number, number>();
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** Which of lower, upper, digit, other the string has (a bit each). */
export function charClasses(s: string): { lower: boolean; upper: boolean; digit: boolean; other: boolean } {
  return {
    lower: /[a-z]/.test(s),
    upper: /[A-Z]/.test(s),
    digit: /[0-9]/.test(s),
    other: /[^A-Za-z0-9]/.test(s),
  };
}

/** Decodes base64 or base64url without throwing; undefined when it is not that. */
export function decodeBase64Url(s: string): string | undefined {
  if (!/^[A-Za-z0-9_\-+/]*={0,2}$/.test(s)) return undefined;
  try {
    return Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
  } catch {
    return undefined;
  }
}

/** The text of the line holding `offset`. */
export function lineAt(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const end = text.indexOf('\n', offset);
  return text.slice(start, end < 0 ? text.length : end);
}

/** The text from `lines` lines before `offset` to `lines` lines after it. */
export function linesAround(text: string, offset: number, lines: number): string {
  let start = offset;
  for (let i = 0; i <= lines && start > 0; i++) start = Math.max(0, text.lastIndexOf('\n', start - 1));
  let end = offset;
  for (let i = 0; i <= lines && end < text.length; i++) {
    const next = text.indexOf('\n', end + 1);
    end = next < 0 ? text.length : next;
  }
  return text.slice(start, end);
}

/** Shorthand for rule tables. */
export function rule(
  id: string,
  provider: string,
  severity: ScanSeverity,
  description: string,
  keywords: string[],
  pattern: RegExp,
  extra: Partial<BuiltinRule> = {},
): BuiltinRule {
  return { id, provider, severity, description, keywords, pattern, ...extra };
}
