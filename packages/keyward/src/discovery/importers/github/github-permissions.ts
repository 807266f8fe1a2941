/**
 * What GitHub permissions mean for the graph: `{ contents: 'write' }` becomes the action
 * `contents:write`; some permissions act on the organisation and others on repositories; a few
 * hand over control (administration, secrets, workflows …) and are flagged `broad`; classic token
 * scopes that reach every repository are flagged `wildcard`.
 */
import { isRecord } from '../json-document.js';

/** Permissions that act on the organisation itself, whatever repositories are selected. */
const ORG_PERMISSIONS = new Set(['members', 'team_discussions', 'custom_properties', 'email_addresses']);
const isOrgPermission = (p: string) => p.startsWith('organization_') || ORG_PERMISSIONS.has(p);

/** Permissions that, with write or admin, let the holder take over repos, secrets or the org. */
const BROAD_PERMISSIONS = new Set([
  'administration',
  'secrets',
  'workflows',
  'organization_administration',
  'organization_secrets',
  'members',
]);

/** Classic scopes that reach every repository or the org's settings. */
const WILDCARD_SCOPES = new Set(['repo', 'admin:org', 'write:org', 'delete_repo', 'admin:repo_hook']);

export interface PermissionSplit {
  org: string[];
  repo: string[];
  broad: string[];
}

/** `{ contents: 'write', members: 'read' }` → actions on repositories and on the org. */
export function splitPermissions(value: unknown): PermissionSplit {
  const out: PermissionSplit = { org: [], repo: [], broad: [] };
  if (!isRecord(value)) return out;
  for (const [perm, level] of Object.entries(value)) {
    if (typeof level !== 'string' || level === '' || level === 'none') continue;
    const action = `${perm}:${level}`;
    (isOrgPermission(perm) ? out.org : out.repo).push(action);
    if (BROAD_PERMISSIONS.has(perm) && level !== 'read') out.broad.push(action);
  }
  out.org.sort();
  out.repo.sort();
  out.broad.sort();
  return out;
}

/** Fine-grained PAT permissions: `{ organization: {...}, repository: {...} }`. */
export function splitTokenPermissions(value: unknown): PermissionSplit {
  if (!isRecord(value)) return { org: [], repo: [], broad: [] };
  const org = splitPermissions(value['organization']);
  const repo = splitPermissions(value['repository']);
  // Everything under `organization` acts on the org even when its name does not say so.
  return {
    org: [...org.org, ...org.repo].sort(),
    repo: repo.repo.concat(repo.org).sort(),
    broad: [...org.broad, ...repo.broad].sort(),
  };
}

/** `{ broad: true, broadActions }` for the broad ones among an edge's `actions`, else `{}`. */
export function broadDetails(broad: readonly string[], actions: readonly string[]): Record<string, unknown> {
  const hits = actions.filter((a) => broad.includes(a));
  return hits.length > 0 ? { broad: true, broadActions: hits } : {};
}

export const wildcardScopes = (scopes: readonly string[]): string[] =>
  scopes.filter((s) => WILDCARD_SCOPES.has(s));

export const canWriteCode = (actions: readonly string[]): boolean =>
  actions.includes('contents:write') || actions.includes('contents:admin');

/** Names of Actions secrets that hold a long-lived cloud key (CI/CD that should use OIDC instead). */
const STATIC_CLOUD_KEY =
  /^(AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SECRET_KEY|AWS_SESSION_TOKEN|GCP_SA_KEY|GCP_CREDENTIALS|GCP_SERVICE_ACCOUNT_KEY|GOOGLE_CREDENTIALS|GOOGLE_APPLICATION_CREDENTIALS|GCLOUD_SERVICE_KEY|AZURE_CREDENTIALS|AZURE_CLIENT_SECRET|ARM_CLIENT_SECRET)$|(^|_)AWS_(SECRET_)?ACCESS_KEY(_ID)?$|(^|_)GCP_SA_KEY$|(^|_)AZURE_CREDENTIALS$/i;

export const isStaticCloudKey = (name: string): boolean => STATIC_CLOUD_KEY.test(name);

/** Claim keys that put the repository into the OIDC `sub`, so a cloud trust can pin one repo. */
const REPO_CLAIMS = new Set(['repo', 'repository', 'repository_id']);
export const subIncludesRepo = (keys: readonly string[]): boolean => keys.some((k) => REPO_CLAIMS.has(k));

/** ISO-8601 in UTC, or undefined for anything that is not a time (GitHub sends `null` for never). */
export function githubTime(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

/** A GitHub id (number or numeric string) as text, or undefined. */
export function githubId(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  return undefined;
}

/** The strings of an array field (non-strings dropped). */
export const stringList = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v !== '') : [];
