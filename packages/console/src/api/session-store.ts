/**
 * The signed-in API token, kept in sessionStorage (gone when the tab closes; never in localStorage
 * or a cookie, so no other site can ride on it), and who it belongs to (name and role).
 */
import type { ApiRole } from '@keyward/sdk';

export interface SessionInfo {
  token: string;
  tokenId: string;
  name: string;
  role: ApiRole;
}

const KEY = 'keyward.session';
let listeners: Array<() => void> = [];
let cached: SessionInfo | null | undefined;

export function currentSession(): SessionInfo | null {
  if (cached === undefined) {
    try {
      cached = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as SessionInfo | null;
    } catch {
      cached = null;
    }
  }
  return cached;
}

export const currentToken = (): string | undefined => currentSession()?.token;

export function saveSession(info: SessionInfo | null): void {
  cached = info;
  if (info) sessionStorage.setItem(KEY, JSON.stringify(info));
  else sessionStorage.removeItem(KEY);
  for (const l of listeners) l();
}

/** A 401 on a signed-in call: the token was revoked or expired; drop it and go back to sign-in. */
export function signalUnauthenticated(): void {
  if (currentSession()) saveSession(null);
}

export function subscribeSession(listener: () => void): () => void {
  listeners.push(listener);
  return () => {
    listeners = listeners.filter((l) => l !== listener);
  };
}

const GRANTS: Record<ApiRole, ReadonlyArray<'read' | 'write' | 'admin'>> = {
  admin: ['read', 'write', 'admin'],
  operator: ['read', 'write'],
  auditor: ['read'],
};

/** Mirrors the server's role table (auth/roles.ts); the server still checks every call. */
export function roleAllows(role: ApiRole | undefined, permission: 'read' | 'write' | 'admin'): boolean {
  return role ? GRANTS[role].includes(permission) : false;
}
