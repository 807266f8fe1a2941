/**
 * Validation of a brokered database's configuration, and the one place where its admin URL is
 * split (the password goes to the SecretBox, the rest is stored) and masked for display. Grant
 * statements are checked so a template cannot smuggle extra statements: one statement each, no
 * comments, every one naming `{{role}}`, which is substituted as a quoted identifier only.
 */
import { type FieldError, validationFailed } from '../errors.js';

export interface BrokeredDatabaseInput {
  name: string;
  /** postgres://user:password@host:port/database?params — the password is sealed, never returned. */
  adminUrl: string;
  rolePrefix: string;
  grants: string[];
  maxTtlSeconds: number;
}

export const DATABASE_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;
/** Lower-case so the role needs no case folding; ≤ 40 chars so `<prefix>_<16 hex>` fits PostgreSQL's 63. */
export const ROLE_PREFIX = /^[a-z][a-z0-9_]{0,39}$/;
export const MAX_TTL_LIMIT_SECONDS = 30 * 86_400;
const GRANT_START = /^\s*(grant|revoke|alter\s+role)\s/i;

export const ROLE_PLACEHOLDER = '{{role}}';

function checkGrant(statement: string, i: number, errors: FieldError[]): string {
  const path = `/grants/${i}`;
  const s = statement.trim().replace(/;\s*$/, '');
  if (s.length === 0 || s.length > 2000) errors.push({ path, message: 'must be 1-2000 characters' });
  else if (s.includes(';')) errors.push({ path, message: 'one statement per entry (no ";")' });
  else if (s.includes('--') || s.includes('/*')) errors.push({ path, message: 'comments are not allowed' });
  else if (!GRANT_START.test(s))
    errors.push({ path, message: 'must start with GRANT, REVOKE or ALTER ROLE' });
  else if (!s.includes(ROLE_PLACEHOLDER)) errors.push({ path, message: 'must name the role as {{role}}' });
  else if (/\{\{(?!role\}\})/.test(s)) errors.push({ path, message: 'the only placeholder is {{role}}' });
  return s;
}

export interface SplitUrl {
  /** The URL without its password. */
  url: string;
  password: string | null;
}

export function splitAdminUrl(adminUrl: string): SplitUrl {
  let url: URL;
  try {
    url = new URL(adminUrl);
  } catch {
    throw validationFailed('adminUrl is not a URL', [{ path: '/adminUrl', message: 'not a URL' }]);
  }
  if ((url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') || !url.hostname || !url.username) {
    throw validationFailed('adminUrl must be postgres://user[:password]@host[:port]/database', [
      { path: '/adminUrl', message: 'expected postgres://user[:password]@host[:port]/database' },
    ]);
  }
  // pg also reads a password from the query string, which would then be stored unsealed.
  if (url.searchParams.has('password') || url.searchParams.has('sslpassword')) {
    throw validationFailed('put the password in the URL userinfo, not the query string', [
      { path: '/adminUrl', message: 'no password or sslpassword query parameter' },
    ]);
  }
  const password = url.password ? decodeURIComponent(url.password) : null;
  url.password = '';
  return { url: url.toString(), password };
}

/** The stored URL for display: `****` where the password is, if there is one. */
export function maskedUrl(storedUrl: string, hasPassword: boolean): string {
  if (!hasPassword) return storedUrl;
  const url = new URL(storedUrl);
  url.password = '****';
  return url.toString();
}

/** Checks the input; returns it normalised (grants trimmed, no trailing `;`). Throws validation_failed. */
export function checkBrokeredDatabase(input: BrokeredDatabaseInput): BrokeredDatabaseInput {
  const errors: FieldError[] = [];
  if (!DATABASE_NAME.test(input.name)) {
    errors.push({ path: '/name', message: 'lower-case letters, digits, _ and -; at most 63' });
  }
  if (!ROLE_PREFIX.test(input.rolePrefix)) {
    errors.push({ path: '/rolePrefix', message: 'lower-case letter, then letters, digits or _; at most 40' });
  }
  if (
    !Number.isInteger(input.maxTtlSeconds) ||
    input.maxTtlSeconds < 1 ||
    input.maxTtlSeconds > MAX_TTL_LIMIT_SECONDS
  ) {
    errors.push({ path: '/maxTtlSeconds', message: `an integer from 1 to ${MAX_TTL_LIMIT_SECONDS}` });
  }
  const grants = input.grants.map((g, i) => checkGrant(g, i, errors));
  if (errors.length > 0) throw validationFailed('invalid brokered database configuration', errors);
  splitAdminUrl(input.adminUrl);
  return { ...input, grants };
}
