/**
 * Timestamps as IAM exports spell them (`2021-03-04T10:00:00Z`, `+00:00`, with or without
 * milliseconds) normalised to ISO-8601 UTC, and the credential report's markers for "no value".
 */
const ABSENT = new Set(['', 'N/A', 'no_information', 'not_supported', 'false']);

/** ISO-8601 UTC of `value`, or undefined when absent, a report marker, or not a date. */
export function isoDate(value: unknown): string | undefined {
  if (typeof value !== 'string' || ABSENT.has(value.trim())) return undefined;
  const ms = Date.parse(value.trim());
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** The same instant to the second (IAM and the credential report round differently). */
export const sameSecond = (a: string | undefined, b: string | undefined): boolean =>
  a !== undefined && b !== undefined && Math.floor(Date.parse(a) / 1000) === Math.floor(Date.parse(b) / 1000);
