/**
 * What each API role may do. Routes declare the permission they need; the auth hook checks it.
 * Deny by default: a route that declares nothing is admin-only (see http/auth-hook.ts).
 */
import type { ApiRole } from '@keyward/sdk';

export type Permission = 'read' | 'write' | 'admin';

const GRANTS: Record<ApiRole, ReadonlySet<Permission>> = {
  admin: new Set(['read', 'write', 'admin']),
  operator: new Set(['read', 'write']),
  auditor: new Set(['read']),
};

export function roleAllows(role: ApiRole, permission: Permission): boolean {
  return GRANTS[role].has(permission);
}
