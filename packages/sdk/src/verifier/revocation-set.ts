/**
 * The verifier's in-memory revocation state, fed by Keyward's Security Event Tokens (RFC 8417).
 * A revoked token (jti) or task is refused outright; a revoked identity or sponsor refuses every
 * token naming it (as sub, client_id or any actor) that was issued at or before the revocation.
 * Entries are forgotten after `retentionSeconds` (Keyward's longest token lifetime), by which time
 * every token they could match has expired anyway.
 */
import type { JWTPayload } from 'jose';
import type { VerifiedAccessToken } from './access-token.js';

export type RevocationKind = 'token' | 'task' | 'identity' | 'sponsor';
const KINDS: readonly string[] = ['token', 'task', 'identity', 'sponsor'];

export interface Revocation {
  kind: RevocationKind;
  id: string;
  /** When it took effect (the event's event_timestamp, else the SET's iat). */
  at: Date;
  /** The SET's jti, for logs. */
  setId: string | undefined;
}

export const CAEP_SESSION_REVOKED = 'https://schemas.openid.net/secevent/caep/event-type/session-revoked';
export const CAEP_CREDENTIAL_CHANGE = 'https://schemas.openid.net/secevent/caep/event-type/credential-change';

/** Reads the Keyward revocation a verified SET carries; undefined for a SET that names none. */
export function revocationFromSet(payload: JWTPayload): Revocation | undefined {
  const marker = payload['keyward_revocation'] as { kind?: unknown; id?: unknown } | undefined;
  if (!marker || typeof marker.id !== 'string' || !marker.id || !KINDS.includes(String(marker.kind))) {
    return undefined;
  }
  let at = typeof payload.iat === 'number' ? payload.iat : Math.floor(Date.now() / 1000);
  const events = payload['events'];
  if (events && typeof events === 'object') {
    for (const event of Object.values(events as Record<string, unknown>)) {
      const ts = (event as { event_timestamp?: unknown } | null)?.event_timestamp;
      if (typeof ts === 'number') at = ts;
    }
  }
  return {
    kind: marker.kind as RevocationKind,
    id: marker.id,
    at: new Date(at * 1000),
    setId: typeof payload.jti === 'string' ? payload.jti : undefined,
  };
}

export class RevocationSet {
  private readonly byKind: Record<RevocationKind, Map<string, { at: number; until: number }>> = {
    token: new Map(),
    task: new Map(),
    identity: new Map(),
    sponsor: new Map(),
  };

  private lastPrune = 0;

  constructor(
    private readonly retentionSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  add(revocation: Revocation): void {
    this.prune();
    const map = this.byKind[revocation.kind];
    const at = revocation.at.getTime();
    const previous = map.get(revocation.id);
    // A later revocation of the same principal moves the cut-off forward.
    if (!previous || previous.at < at) {
      map.set(revocation.id, { at, until: this.now() + this.retentionSeconds * 1000 });
    }
  }

  /** The revocation that refuses this token, if any. */
  match(token: VerifiedAccessToken): { kind: RevocationKind; id: string } | undefined {
    if (this.byKind.token.has(token.jti)) return { kind: 'token', id: token.jti };
    if (token.taskId && this.byKind.task.has(token.taskId)) return { kind: 'task', id: token.taskId };
    const issuedAt = token.issuedAt.getTime();
    const principals = new Set([token.subject, token.clientId, ...token.delegationChain]);
    for (const kind of ['identity', 'sponsor'] as const) {
      for (const id of principals) {
        const entry = this.byKind[kind].get(id);
        if (entry && issuedAt <= entry.at) return { kind, id };
      }
    }
    return undefined;
  }

  get size(): number {
    return Object.values(this.byKind).reduce((n, m) => n + m.size, 0);
  }

  clear(): void {
    for (const map of Object.values(this.byKind)) map.clear();
  }

  /** Drops expired entries, at most every 10 s so a catch-up of many events stays linear. */
  private prune(): void {
    const now = this.now();
    if (now - this.lastPrune < 10_000) return;
    this.lastPrune = now;
    for (const map of Object.values(this.byKind)) {
      for (const [id, entry] of map) if (entry.until <= now) map.delete(id);
    }
  }
}
