/**
 * Group commit for single-use assertion ids. Every token request records its assertion's jti
 * before it is answered; one commit (one fsync) per request would cap issuance at the disk's sync
 * rate. Requests arriving while a batch commits queue up and are recorded together in the next
 * single statement; each caller learns whether its jti was new only after that batch committed,
 * so a replay is refused by the database on every replica, and nothing is acknowledged early.
 */
import type { Store } from '../storage/storage-types.js';

interface Pending {
  issuer: string;
  jti: string;
  expiresAt: string;
  resolve: (fresh: boolean) => void;
  reject: (err: unknown) => void;
}

export interface JtiRecorder {
  /** Resolves true when (issuer, jti) was unused and is now recorded, false for a replay. */
  record(issuer: string, jti: string, expiresAt: string): Promise<boolean>;
}

export function createJtiRecorder(store: Pick<Store, 'usedJtis'>): JtiRecorder {
  let queue: Pending[] = [];
  let running = false;

  async function drain(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        const fresh = await store.usedJtis.recordMany(batch);
        for (const [i, p] of batch.entries()) p.resolve(fresh[i] === true);
      } catch (err) {
        for (const p of batch) p.reject(err);
      }
    }
    running = false;
  }

  return {
    record(issuer, jti, expiresAt) {
      return new Promise<boolean>((resolve, reject) => {
        queue.push({ issuer, jti, expiresAt, resolve, reject });
        if (!running) {
          running = true;
          // Let the requests already in flight this tick join the batch.
          setImmediate(() => void drain());
        }
      });
    },
  };
}
