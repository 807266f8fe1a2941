/** React view of the session store: re-renders on sign-in/sign-out and answers "may I?". */
import { useSyncExternalStore } from 'react';
import { currentSession, roleAllows, type SessionInfo, subscribeSession } from './session-store.js';

export function useSession(): {
  session: SessionInfo | null;
  can: (permission: 'read' | 'write' | 'admin') => boolean;
} {
  const session = useSyncExternalStore(subscribeSession, currentSession);
  return { session, can: (p) => roleAllows(session?.role, p) };
}
