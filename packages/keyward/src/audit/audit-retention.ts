/**
 * Retention that never breaks verification: events older than a cut-off are appended to a JSON-lines
 * archive (fsynced), then, in ONE transaction, a signed `retention` checkpoint pins the (seq, hash) of
 * the last archived event and the events up to it are deleted. Verification then starts from that
 * checkpoint: the first remaining event must be its seq + 1 and link to its hash. The cut is the end of
 * the longest prefix of the log older than the cut-off, and never passes a sink's delivery cursor
 * (nothing undelivered is dropped). The archive keeps each event's prevHash/hash, so it can be
 * verified on its own from the previous cut's checkpoint.
 */
import { open } from 'node:fs/promises';
import type { Store } from '../storage/storage-types.js';
import { writeCheckpoint } from './audit-checkpointer.js';
import type { AuditCheckpoint } from './audit-types.js';
import type { CheckpointSigner } from './checkpoint-signer.js';

export interface RetentionResult {
  cutSeq: number;
  archived: number;
  checkpoint: AuditCheckpoint | null;
}

export async function applyRetention(o: {
  store: Store;
  signer: CheckpointSigner;
  before: Date;
  archiveFile: string;
  now: () => Date;
}): Promise<RetentionResult> {
  const { store } = o;
  let cut = await store.audit.lastSeqBefore(o.before.toISOString());
  const sinkFloor = await store.auditSinks.minCursor();
  if (sinkFloor !== undefined) cut = Math.min(cut, sinkFloor);
  const first = await store.audit.firstSeq();
  if (first === undefined || cut < first) return { cutSeq: cut, archived: 0, checkpoint: null };

  let cutHash = '';
  let archived = 0;
  const file = await open(o.archiveFile, 'a', 0o600);
  try {
    let after = first - 1;
    while (after < cut) {
      const page = (await store.audit.list({ afterSeq: after }, 1000)).filter((e) => e.seq <= cut);
      if (page.length === 0) break;
      await file.write(page.map((e) => `${JSON.stringify(e)}\n`).join(''));
      archived += page.length;
      after = page[page.length - 1]!.seq;
      cutHash = page[page.length - 1]!.hash;
    }
    await file.sync();
  } finally {
    await file.close();
  }
  const checkpoint = await store.transaction(async (tx) => {
    const c = await writeCheckpoint(
      tx,
      o.signer,
      { seq: cut, hash: cutHash },
      'retention',
      o.now().toISOString(),
    );
    await tx.audit.deleteThrough(cut);
    return c;
  });
  return { cutSeq: cut, archived, checkpoint };
}
