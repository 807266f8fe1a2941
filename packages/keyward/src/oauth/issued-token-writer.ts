/**
 * Records issued tokens in batches: issuance is the hot path, and one multi-row insert every few
 * milliseconds costs far less than a write per token. Losing an unflushed batch (a crash) loses
 * nothing that matters for security: introspection trusts the signature, and a revocation of a
 * jti not yet stored inserts it as revoked (the batch insert then leaves that row alone).
 */
import type { IssuedToken, IssuedTokenStore } from '../storage/storage-types.js';

export interface IssuedTokenWriterOptions {
  store: Pick<IssuedTokenStore, 'recordMany'>;
  /** Longest a row waits (default 20 ms). */
  flushMs?: number;
  /** Flush at once when this many rows wait (default 500). */
  maxBatch?: number;
  onError: (err: unknown) => void;
}

export function createIssuedTokenWriter(options: IssuedTokenWriterOptions) {
  let pending: IssuedToken[] = [];
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();

  function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const batch = pending;
    pending = [];
    if (batch.length > 0) {
      writing = writing.then(() => options.store.recordMany(batch)).catch(options.onError);
    }
    return writing;
  }

  return {
    add(token: IssuedToken): void {
      pending.push(token);
      if (pending.length >= (options.maxBatch ?? 500)) void flush();
      else if (!timer) {
        timer = setTimeout(() => void flush(), options.flushMs ?? 20);
        timer.unref();
      }
    },
    flush,
  };
}

export type IssuedTokenWriter = ReturnType<typeof createIssuedTokenWriter>;
