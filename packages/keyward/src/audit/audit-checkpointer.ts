/**
 * Checkpoints: signed statements "the log up to seq has head hash H at time T". Made every
 * `everyEvents` committed events or `everyMs` (when the head moved), on demand, and at each
 * retention cut. The signed payload is the canonical JSON {"hash","kind","seq","time","v":1}.
 */
import type { AuditHead, CommitSource, Store, StoreTx } from '../storage/storage-types.js';
import { canonicalJson } from './audit-hash.js';
import type { AuditCheckpoint, CheckpointKind } from './audit-types.js';
import type { CheckpointSigner } from './checkpoint-signer.js';

export function checkpointPayload(c: {
  seq: number;
  hash: string;
  time: string;
  kind: CheckpointKind;
}): string {
  return canonicalJson({ v: 1, kind: c.kind, seq: c.seq, hash: c.hash, time: c.time });
}

/** Signs and stores a checkpoint of `head` through `tx` (a transaction or the store). */
export async function writeCheckpoint(
  tx: StoreTx,
  signer: CheckpointSigner,
  head: AuditHead,
  kind: CheckpointKind,
  time: string,
): Promise<AuditCheckpoint> {
  const body = { seq: head.seq, hash: head.hash, time, kind };
  const jws = await signer.sign(new TextEncoder().encode(checkpointPayload(body)));
  return tx.auditCheckpoints.create({ ...body, kid: signer.kid, jws });
}

export interface AuditCheckpointerOptions {
  store: Store;
  /** Where committed events are heard of; default the store (this process's commits). */
  commits?: CommitSource | undefined;
  signer: CheckpointSigner;
  now: () => Date;
  everyEvents?: number;
  everyMs?: number;
}

export interface AuditCheckpointer {
  /** Checkpoints the current head now (even if an earlier checkpoint already covers it). */
  checkpoint(kind?: CheckpointKind): Promise<AuditCheckpoint>;
  start(): void;
  stop(): Promise<void>;
}

export function createAuditCheckpointer(o: AuditCheckpointerOptions): AuditCheckpointer {
  const everyEvents = o.everyEvents ?? 10_000;
  const everyMs = o.everyMs ?? 60_000;
  let pending = 0;
  let lastSeq = -1;
  let running: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let unsubscribe: (() => void) | undefined;

  const checkpoint = (kind: CheckpointKind = 'manual'): Promise<AuditCheckpoint> => {
    const next = running.then(async () => {
      const head = await o.store.audit.head();
      pending = 0;
      lastSeq = head.seq;
      return writeCheckpoint(o.store, o.signer, head, kind, o.now().toISOString());
    });
    running = next.catch(() => {});
    return next;
  };

  const periodic = async (): Promise<void> => {
    const head = await o.store.audit.head();
    if (head.seq > lastSeq && head.seq > 0) await checkpoint('periodic');
  };

  return {
    checkpoint,
    start() {
      unsubscribe = (o.commits ?? o.store).onAuditCommit((events) => {
        pending += events.length;
        if (pending >= everyEvents) {
          pending = 0;
          checkpoint('periodic').catch(() => {});
        }
      });
      timer = setInterval(() => periodic().catch(() => {}), everyMs);
      timer.unref();
    },
    async stop() {
      unsubscribe?.();
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
