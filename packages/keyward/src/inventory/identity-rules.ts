/**
 * The inventory's admission rules: every active production NHI has an owner, a purpose and an end
 * (credential expiry or review date) before it acts in production. Enforced on create and on every
 * update, so an identity cannot be edited into a state that breaks the rule.
 */
import type { Identity } from '@keyward/sdk';
import { type FieldError, KeywardError } from '../errors.js';

const PRODUCTION = new Set(['prod', 'production']);

export const isProduction = (environment: string): boolean => PRODUCTION.has(environment.toLowerCase());

export function checkProductionReadiness(identity: Identity): void {
  if (identity.status !== 'active' || !isProduction(identity.environment)) return;
  const missing: FieldError[] = [];
  if (!identity.ownerId)
    missing.push({ path: '/ownerId', message: 'an active production identity needs an owner' });
  if (!identity.purpose?.trim()) {
    missing.push({ path: '/purpose', message: 'an active production identity needs a purpose' });
  }
  if (!identity.credential.expiresAt && !identity.reviewDate) {
    missing.push({
      path: '/reviewDate',
      message: 'an active production identity needs an end: credential.expiresAt or reviewDate',
    });
  }
  if (missing.length > 0) {
    throw new KeywardError(
      'policy_violation',
      `active production identity ${JSON.stringify(identity.name)} must have an owner, a purpose and an end (expiry or review date); missing: ${missing.map((m) => m.path.slice(1)).join(', ')}`,
      { errors: missing },
    );
  }
}

/** Dates must parse; an end in the past is allowed (imports carry expired credentials) but flagged by posture. */
export function checkDates(identity: Identity): void {
  const errors: FieldError[] = [];
  const check = (path: string, value: string | null | undefined) => {
    if (value != null && Number.isNaN(Date.parse(value)))
      errors.push({ path, message: 'must be an ISO-8601 date' });
  };
  check('/reviewDate', identity.reviewDate);
  check('/firstSeen', identity.firstSeen);
  check('/lastSeen', identity.lastSeen);
  for (const key of ['createdAt', 'lastRotatedAt', 'expiresAt', 'lastUsedAt'] as const) {
    check(`/credential/${key}`, identity.credential[key]);
  }
  if (errors.length > 0) throw new KeywardError('validation_failed', 'invalid date', { errors });
}
