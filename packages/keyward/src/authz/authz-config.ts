/**
 * The decision engine's settings, from the environment unless given (tests, benches):
 *   KEYWARD_AUTHZ_WORKERS     Cedar evaluation threads besides the main one (default: cores − 1, at most 4; 0 = evaluate on the main thread)
 *   KEYWARD_AUTHZ_TIMEZONE    time zone of context.time (default UTC)
 *   KEYWARD_AUTHZ_CACHE_SIZE  decisions kept in the decision cache (default 100000; 0 disables it)
 */
import { availableParallelism } from 'node:os';
import { KeywardError } from '../errors.js';

export interface AuthzConfig {
  workers: number;
  timeZone: string;
  cacheSize: number;
}

function int(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new KeywardError('validation_failed', `${name} must be a non-negative integer`);
  return n;
}

export function authzConfig(overrides: Partial<AuthzConfig> = {}, env = process.env): AuthzConfig {
  const timeZone = overrides.timeZone ?? env.KEYWARD_AUTHZ_TIMEZONE ?? 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw new KeywardError('validation_failed', `KEYWARD_AUTHZ_TIMEZONE: unknown time zone ${timeZone}`);
  }
  return {
    workers:
      overrides.workers ??
      int(
        'KEYWARD_AUTHZ_WORKERS',
        env.KEYWARD_AUTHZ_WORKERS,
        Math.min(4, Math.max(0, availableParallelism() - 1)),
      ),
    timeZone,
    cacheSize: overrides.cacheSize ?? int('KEYWARD_AUTHZ_CACHE_SIZE', env.KEYWARD_AUTHZ_CACHE_SIZE, 100_000),
  };
}
