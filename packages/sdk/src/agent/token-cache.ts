/**
 * In-memory access-token cache for KeywardAgent: one entry per (task, resource, sorted scopes),
 * refreshed `skewSeconds` before expiry (or at half its life for very short tokens), and
 * single-flight: concurrent misses for one key share one request. Failures are not cached.
 */
import type { AccessToken } from '../oauth/oauth-constants.js';

interface Entry {
  token?: AccessToken;
  refreshAt?: number;
  inflight?: Promise<AccessToken>;
}

export class TokenCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly skewSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  static key(taskId: string, resource: string, scopes: readonly string[] | undefined): string {
    const sorted = [...new Set(scopes ?? [])].sort().join(' ');
    return JSON.stringify([taskId, resource, sorted]);
  }

  /** The cached token while fresh; otherwise the (shared) result of `fetcher`. */
  get(key: string, fetcher: () => Promise<AccessToken>): Promise<AccessToken> {
    const entry = this.entries.get(key) ?? {};
    if (entry.token && entry.refreshAt !== undefined && this.now() < entry.refreshAt) {
      return Promise.resolve(entry.token);
    }
    if (entry.inflight) return entry.inflight;
    const inflight = fetcher().then(
      (token) => {
        const current = this.entries.get(key);
        // Invalidated while in flight: hand the token to the callers but do not keep it.
        if (current?.inflight === inflight) {
          this.entries.set(key, { token, refreshAt: this.refreshAt(token) });
        }
        return token;
      },
      (err: unknown) => {
        const current = this.entries.get(key);
        if (current?.inflight === inflight) this.entries.delete(key);
        throw err;
      },
    );
    this.entries.set(key, { ...entry, inflight });
    return inflight;
  }

  /** Drops every entry for a task (all when omitted). */
  invalidate(taskId?: string): void {
    if (taskId === undefined) {
      this.entries.clear();
      return;
    }
    for (const key of [...this.entries.keys()]) {
      if ((JSON.parse(key) as string[])[0] === taskId) this.entries.delete(key);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  private refreshAt(token: AccessToken): number {
    const issued = this.now();
    const lifetime = token.expiresAt.getTime() - issued;
    return issued + Math.max(lifetime - this.skewSeconds * 1000, lifetime / 2);
  }
}
