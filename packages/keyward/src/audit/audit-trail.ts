/**
 * The audit trail as one service: the group-commit writer for high-rate events, the checkpointer,
 * the live feed, the export sinks, and the read side (query, verify, export) the API and CLI use.
 */
import { KeywardError } from '../errors.js';
import type { CommitSource, Store } from '../storage/storage-types.js';
import { type AuditCheckpointer, createAuditCheckpointer } from './audit-checkpointer.js';
import { type AuditFeed, createAuditFeed } from './audit-feed.js';
import type { AuditCheckpoint, AuditEventPage, AuditFilter, VerifyResult } from './audit-types.js';
import { verifyAuditLog } from './audit-verifier.js';
import { type AuditWriter, createAuditWriter } from './audit-writer.js';
import type { CheckpointSigner } from './checkpoint-signer.js';
import { createSinkRunner, type SinkRunner } from './sinks/audit-sink.js';
import { type AuditFormat, formatEvent } from './sinks/ocsf-mapping.js';
import { createSink, type SinkConfig } from './sinks/sink-config.js';

export interface AuditTrailOptions {
  store: Store;
  /** Where committed events are heard of; default the store (this process's commits). */
  commits?: CommitSource | undefined;
  /** The group-commit writer; default one on the store (a cluster worker forwards to its leader). */
  writer?: AuditWriter | undefined;
  signer: CheckpointSigner;
  now: () => Date;
  sinks?: SinkConfig[] | undefined;
  checkpointEveryEvents?: number | undefined;
  checkpointEveryMs?: number | undefined;
}

export interface AuditTrail {
  writer: AuditWriter;
  checkpointer: AuditCheckpointer;
  feed: AuditFeed;
  signer: CheckpointSigner;
  list(
    filter: AuditFilter,
    page: { cursor?: string | undefined; limit?: number | undefined },
  ): Promise<AuditEventPage>;
  verify(options?: { fromSeq?: number | undefined }): Promise<VerifyResult>;
  checkpoints(): Promise<AuditCheckpoint[]>;
  /** The log (after `afterSeq`) as lines of the chosen format, streamed in keyset batches. */
  exportLines(format: AuditFormat, afterSeq?: number): AsyncIterable<string>;
  start(): void;
  close(): Promise<void>;
}

function parseCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  if (!/^\d{1,15}$/.test(cursor)) {
    throw new KeywardError('validation_failed', 'invalid cursor', {
      errors: [{ path: '/cursor', message: 'must be a seq from a previous page' }],
    });
  }
  return Number(cursor);
}

export function createAuditTrail(o: AuditTrailOptions): AuditTrail {
  const { store } = o;
  const writer = o.writer ?? createAuditWriter(store);
  const checkpointer = createAuditCheckpointer({
    store,
    commits: o.commits,
    signer: o.signer,
    now: o.now,
    ...(o.checkpointEveryEvents ? { everyEvents: o.checkpointEveryEvents } : {}),
    ...(o.checkpointEveryMs ? { everyMs: o.checkpointEveryMs } : {}),
  });
  const feed = createAuditFeed(store, { commits: o.commits });
  const runners: SinkRunner[] = (o.sinks ?? []).map((c) =>
    createSinkRunner(store, createSink(c), { now: o.now, commits: o.commits }),
  );

  return {
    writer,
    checkpointer,
    feed,
    signer: o.signer,
    async list(filter, page) {
      const limit = Math.min(1000, Math.max(1, page.limit ?? 100));
      // The cursor is the last seq returned: newest-first pages continue below it, others above.
      const cursor = parseCursor(page.cursor);
      const bound =
        cursor === undefined ? {} : filter.newestFirst ? { beforeSeq: cursor } : { afterSeq: cursor };
      const rows = await store.audit.list({ ...filter, ...bound }, limit + 1);
      const more = rows.length > limit;
      const items = more ? rows.slice(0, limit) : rows;
      return { items, nextCursor: more ? String(items[items.length - 1]!.seq) : null };
    },
    verify: (options = {}) => verifyAuditLog(store, { signer: o.signer, fromSeq: options.fromSeq }),
    checkpoints: () => store.auditCheckpoints.list(),
    async *exportLines(format, afterSeq = 0) {
      let after = afterSeq;
      for (;;) {
        const page = await store.audit.list({ afterSeq: after }, 1000);
        if (page.length === 0) return;
        yield page.map((e) => `${formatEvent(e, format)}\n`).join('');
        after = page[page.length - 1]!.seq;
      }
    },
    start() {
      checkpointer.start();
      for (const r of runners) r.start();
    },
    async close() {
      feed.close();
      await writer.close();
      await Promise.all(runners.map((r) => r.stop()));
      await checkpointer.stop();
    },
  };
}
