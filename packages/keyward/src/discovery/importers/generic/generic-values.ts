/**
 * Reading the cells of a spreadsheet or a hand-written JSON inventory: dates in the forms people
 * type, identity and credential kinds by the names people use, yes/no flags and lists. Each reader
 * returns undefined for a value it cannot read, so the caller can say which cell was wrong.
 */
import { IDENTITY_KINDS, type IdentityKind } from '@keyward/sdk';
import type { DiscoveredCredential, DiscoveredCredentialKind } from '../../import-batch.js';
import { normalizeKey } from './column-mapping.js';

/** A cell as text: strings trimmed, numbers and booleans as written, anything else undefined. */
export function cellText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  return undefined;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * ISO-8601 (`2024-01-02T10:00:00Z`, with an offset or none), a day (`2024-01-02`) or
 * `2024-01-02 10:00:00`; a time without a zone is taken as UTC. Impossible dates (Feb 30) fail.
 */
export function parseDate(text: string): string | undefined {
  const day = DAY.exec(text);
  const dt = day ? undefined : DATE_TIME.exec(text);
  const m = day ?? dt;
  if (!m) return undefined;
  const [, y, mo, d] = m;
  const zone = dt?.[8] ? dt[8].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2') : 'Z';
  const iso = day
    ? `${y}-${mo}-${d}T00:00:00Z`
    : `${y}-${mo}-${d}T${dt?.[4]}:${dt?.[5]}:${dt?.[6] ?? '00'}${dt?.[7] ?? ''}${zone}`;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return undefined;
  // Date.parse rolls 2024-02-30 over to March; a real date reads back as written (in UTC).
  const check = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d)) return undefined;
  return new Date(t).toISOString();
}

const KIND_ALIASES: Record<string, IdentityKind> = {
  serviceaccount: 'service_account',
  sa: 'service_account',
  svc: 'service_account',
  serviceuser: 'service_account',
  apikey: 'api_key',
  key: 'api_key',
  app: 'oauth_app',
  oauth: 'oauth_app',
  oauthapp: 'oauth_app',
  oauthclient: 'oauth_app',
  application: 'oauth_app',
  integration: 'oauth_app',
  aiagent: 'agent',
  llmagent: 'agent',
  ai: 'agent',
  service: 'workload',
  job: 'workload',
  cert: 'certificate',
  tls: 'certificate',
  x509: 'certificate',
  pat: 'token',
  personalaccesstoken: 'token',
  accesstoken: 'token',
  robot: 'bot',
};
for (const k of IDENTITY_KINDS) KIND_ALIASES[normalizeKey(k)] = k;

export const parseKind = (text: string): IdentityKind | undefined => KIND_ALIASES[normalizeKey(text)];

const CREDENTIAL_KINDS: readonly DiscoveredCredentialKind[] = [
  'aws_access_key',
  'github_app_key',
  'github_deploy_key',
  'github_token',
  'github_actions_secret',
  'k8s_service_account_token',
  'gcp_service_account_key',
  'api_key',
  'password',
  'other',
];
const CREDENTIAL_ALIASES: Record<string, DiscoveredCredentialKind> = {
  aws: 'aws_access_key',
  awskey: 'aws_access_key',
  accesskey: 'aws_access_key',
  githubpat: 'github_token',
  pat: 'github_token',
  deploykey: 'github_deploy_key',
  gcpkey: 'gcp_service_account_key',
  serviceaccountkey: 'gcp_service_account_key',
  k8stoken: 'k8s_service_account_token',
  apikey: 'api_key',
  key: 'api_key',
  token: 'api_key',
  secret: 'password',
};
for (const k of CREDENTIAL_KINDS) CREDENTIAL_ALIASES[normalizeKey(k)] = k;

export const parseCredentialKind = (text: string): DiscoveredCredentialKind | undefined =>
  CREDENTIAL_ALIASES[normalizeKey(text)];

const STATUS: Record<string, DiscoveredCredential['status']> = {
  active: 'active',
  enabled: 'active',
  valid: 'active',
  ok: 'active',
  inuse: 'active',
  inactive: 'inactive',
  disabled: 'inactive',
  expired: 'inactive',
  suspended: 'inactive',
  revoked: 'revoked',
  deleted: 'revoked',
  destroyed: 'revoked',
};
export const parseStatus = (text: string): DiscoveredCredential['status'] | undefined =>
  STATUS[normalizeKey(text)];

/** yes/no as people write it: `true`, `yes`, `y`, `1`, `x` … ; undefined when it is neither. */
export function parseFlag(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  const t = cellText(value)?.toLowerCase();
  if (t === undefined) return false;
  if (['true', 'yes', 'y', '1', 'x', 'agent'].includes(t)) return true;
  if (['false', 'no', 'n', '0', '-'].includes(t)) return false;
  return undefined;
}

/** A list cell: a JSON array of strings, or text split on `;` and newlines. */
export function parseList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(cellText).filter((v): v is string => v !== undefined);
  const t = cellText(value);
  return t === undefined
    ? []
    : t
        .split(/[;\n]/)
        .map((s) => s.trim())
        .filter((s) => s !== '');
}
