/**
 * Task scopes: `{action, resource}` pairs and their OAuth string form `<action>:<resource>` (split
 * at the first colon, so `read:payments-db-prod`, `read:res:payments-*`, `connect:postgres:orders`).
 *
 * A resource is an exact id or name, or a pattern with ONE trailing `*` (`res:payments-*`). Keeping
 * patterns to a prefix makes "is this scope within that one" exact and cheap: scope S is covered
 * by T when the actions are equal and either T's resource equals S's, or T is `p*` and S's
 * resource (or its own prefix, if S is a pattern too) starts with p. Subsets only ever narrow.
 */
import { validationFailed } from '../errors.js';
import type { TaskScope } from '../storage/storage-types.js';

const ACTION = /^[a-z][a-z0-9_.-]{0,63}$/;
/** Printable, no whitespace; `*` only as the last character. */
const RESOURCE = /^[!-)+-~]{1,200}\*?$|^\*$/;
export const MAX_SCOPES = 50;

export const scopeToString = (s: TaskScope): string => `${s.action}:${s.resource}`;

export function isValidScope(s: TaskScope): boolean {
  return ACTION.test(s.action) && RESOURCE.test(s.resource);
}

/** Parses `<action>:<resource>`; undefined when malformed. */
export function parseScope(text: string): TaskScope | undefined {
  const i = text.indexOf(':');
  if (i <= 0) return undefined;
  const scope = { action: text.slice(0, i), resource: text.slice(i + 1) };
  return isValidScope(scope) ? scope : undefined;
}

/** Parses a space-separated OAuth `scope` parameter; undefined if any entry is malformed. */
export function parseScopeList(text: string): TaskScope[] | undefined {
  const parts = text.split(' ').filter((p) => p !== '');
  if (parts.length === 0 || parts.length > MAX_SCOPES) return undefined;
  const scopes: TaskScope[] = [];
  for (const part of parts) {
    const s = parseScope(part);
    if (!s) return undefined;
    if (!scopes.some((x) => x.action === s.action && x.resource === s.resource)) scopes.push(s);
  }
  return scopes;
}

export const formatScopeList = (scopes: readonly TaskScope[]): string => scopes.map(scopeToString).join(' ');

const prefixOf = (resource: string): string | undefined =>
  resource.endsWith('*') ? resource.slice(0, -1) : undefined;

/** Whether `resource` (exact or a pattern) lies within `pattern`. */
export function resourceWithin(resource: string, pattern: string): boolean {
  const p = prefixOf(pattern);
  if (p === undefined) return resource === pattern;
  return (prefixOf(resource) ?? resource).startsWith(p);
}

export const scopeWithin = (s: TaskScope, t: TaskScope): boolean =>
  s.action === t.action && resourceWithin(s.resource, t.resource);

/** Every scope of `requested` is covered by some scope of `granted`. */
export const scopesWithin = (requested: readonly TaskScope[], granted: readonly TaskScope[]): boolean =>
  requested.every((s) => granted.some((t) => scopeWithin(s, t)));

/** Validates scopes from a request body; throws validation_failed naming the bad entry. */
export function checkScopes(scopes: readonly TaskScope[]): void {
  if (scopes.length === 0 || scopes.length > MAX_SCOPES) {
    throw validationFailed(`scopes must hold 1 to ${MAX_SCOPES} entries`, [
      { path: '/scopes', message: `1 to ${MAX_SCOPES} entries` },
    ]);
  }
  scopes.forEach((s, i) => {
    if (!isValidScope(s)) {
      throw validationFailed(
        `scopes[${i}]: action must match ${ACTION.source} and resource be 1-200 printable characters with at most a trailing *`,
        [{ path: `/scopes/${i}`, message: 'malformed scope' }],
      );
    }
  });
}

/** The brokered databases a scope list names (`postgres:<db>`, exact only). */
export const brokeredDatabasesOf = (scopes: readonly TaskScope[]): string[] => [
  ...new Set(
    scopes
      .filter((s) => s.resource.startsWith('postgres:') && !s.resource.endsWith('*'))
      .map((s) => s.resource.slice('postgres:'.length)),
  ),
];
