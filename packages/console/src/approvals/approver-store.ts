/**
 * The approver's own ID token, kept in sessionStorage under `keyward.approver` (gone with the tab),
 * with the human it names. Separate from the console's API token: that one only reads here; deciding
 * is the human's act, proven by this token in X-Keyward-Human-Token.
 */
import { useSyncExternalStore } from 'react';
import { currentSession, subscribeSession } from '../api/session-store.js';

export interface ApproverInfo {
  token: string;
  humanId: string;
  name: string;
  email: string;
  /** Token expiry (ms since epoch), from its `exp` claim; null when it has none. */
  expiresAt: number | null;
  issuer: string | null;
}

const KEY = 'keyward.approver';
let listeners: Array<() => void> = [];
let cached: ApproverInfo | null | undefined;

export function currentApprover(): ApproverInfo | null {
  if (cached === undefined) {
    try {
      cached = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as ApproverInfo | null;
    } catch {
      cached = null;
    }
  }
  return cached;
}

export function saveApprover(info: ApproverInfo | null): void {
  cached = info;
  if (info) sessionStorage.setItem(KEY, JSON.stringify(info));
  else sessionStorage.removeItem(KEY);
  for (const l of listeners) l();
}

function subscribe(listener: () => void): () => void {
  listeners.push(listener);
  return () => {
    listeners = listeners.filter((l) => l !== listener);
  };
}

// Signing out of the console (or a revoked token) also forgets the approver's ID token, so the
// next person on this tab cannot decide as them.
subscribeSession(() => {
  if (!currentSession() && currentApprover()) saveApprover(null);
});

export function useApprover(): ApproverInfo | null {
  return useSyncExternalStore(subscribe, currentApprover);
}

export const approverExpired = (a: ApproverInfo, now: number): boolean =>
  a.expiresAt !== null && a.expiresAt <= now;
