/**
 * Parsers for option values (commander `argParser`s and helpers). They throw CliError with a message
 * naming the bad value, so a typo gives one clear line instead of a server validation error.
 */
import {
  API_ROLES,
  type ApiRole,
  EDGE_KINDS,
  type EdgeKind,
  IDENTITY_KINDS,
  IDENTITY_STATUSES,
  type IdentityKind,
  type IdentityStatus,
  SENSITIVITIES,
  type SecretLocation,
  type Sensitivity,
} from '@keyward/sdk';
import { InvalidArgumentError } from 'commander';
import { CliError } from './cli-errors.js';

export function oneOf<T extends string>(what: string, allowed: readonly T[]) {
  return (value: string): T => {
    if ((allowed as readonly string[]).includes(value)) return value as T;
    throw new CliError(`invalid ${what} "${value}"; expected one of ${allowed.join(', ')}`);
  };
}

export const parseIdentityKind = oneOf<IdentityKind>('kind', IDENTITY_KINDS);
export const parseIdentityStatus = oneOf<IdentityStatus>('status', IDENTITY_STATUSES);
export const parseSensitivity = oneOf<Sensitivity>('sensitivity', SENSITIVITIES);
export const parseEdgeKind = oneOf<EdgeKind>('edge kind', EDGE_KINDS);
export const parseRole = oneOf<ApiRole>('role', API_ROLES);

export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`expected a positive integer, got "${value}"`);
  return n;
}

export function parseNonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new CliError(`expected a non-negative integer, got "${value}"`);
  return n;
}

/**
 * An ISO date or date-time (`2026-03-31`, `2026-03-31T12:00:00Z`) or a relative `+90d` / `90d`
 * from `now`; returns an ISO-8601 UTC string.
 */
export function parseDate(value: string, now: Date = new Date()): string {
  const relative = /^\+?(\d+)d$/.exec(value.trim());
  if (relative) return new Date(now.getTime() + Number(relative[1]) * 86_400_000).toISOString();
  if (!/^\d{4}-\d{2}-\d{2}/.test(value)) throw new CliError(`invalid date "${value}"; use YYYY-MM-DD or +Nd`);
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new CliError(`invalid date "${value}"; use YYYY-MM-DD or +Nd`);
  return date.toISOString();
}

/** `key=value` → [key, value]; the value may itself contain `=`. */
export function parseLabel(value: string): [string, string] {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new CliError(`invalid label "${value}"; use key=value`);
  return [value.slice(0, eq), value.slice(eq + 1)];
}

/** `store:ref` (the ref may contain `:`, e.g. `vault:kv/prod/payments:api-key`). */
export function parseSecretLocation(value: string): SecretLocation {
  const colon = value.indexOf(':');
  if (colon <= 0 || colon === value.length - 1) {
    throw new CliError(`invalid secret location "${value}"; use store:ref, e.g. vault:kv/prod/app`);
  }
  return { store: value.slice(0, colon), ref: value.slice(colon + 1) };
}

/** Parsed `--label` occurrences → a labels record (later occurrences win). */
export function labelsFrom(pairs: Array<[string, string]> | undefined): Record<string, string> | undefined {
  if (!pairs || pairs.length === 0) return undefined;
  return Object.fromEntries(pairs);
}

/**
 * Adapts a parser for commander's `argParser`: commander reports InvalidArgumentError as a usage
 * error naming the option (exit 2).
 */
export function asArg<T>(parse: (value: string) => T): (value: string) => T {
  return (value) => {
    try {
      return parse(value);
    } catch (error) {
      if (error instanceof CliError) throw new InvalidArgumentError(error.message);
      throw error;
    }
  };
}

/** A repeatable option whose every occurrence is parsed. */
export function repeatable<T>(
  parse: (value: string) => T,
): (value: string, previous: T[] | undefined) => T[] {
  const one = asArg(parse);
  return (value, previous) => [...(previous ?? []), one(value)];
}
