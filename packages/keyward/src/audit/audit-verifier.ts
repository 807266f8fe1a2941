/**
 * verifyAuditLog: streams the log in seq order (keyset batches, each event's hash input concatenated
 * by the database; the next batch read while this one is hashed) and checks every link, then the
 * checkpoints. The walk starts at seq 1 from GENESIS_HASH, or after the latest retention checkpoint
 * from the hash it pins, or at `fromSeq` from the stored hash of the event before it (trusted).
 *
 * Classification of the first problem, at event e after p (and p2 before p):
 * - e's stored hash is not the hash of its fields            → edited at e
 * - seq jumps past p.seq + 1 and e does not link to p         → deleted at p.seq + 1
 * - seq jumps but e links to p (a seq was rewritten)          → edited at e
 * - e links to an event later in seq order                   → reordered at e
 * - e links to p2 (p was slipped in between)                  → inserted at p
 * - e links to nothing known (p rewritten with a fresh hash)  → edited at p
 * - the head row is behind/ahead of the last event            → deleted / inserted at the tail
 * - a checkpoint's signature fails, or its payload differs from its row → bad_checkpoint at its seq;
 *   its event is missing → deleted; its event's hash differs → edited.
 * Signatures are checked for checkpoints signed by a key `signer` holds. Once one checkpoint has been
 * checked, every later one must be signed by a known key too (a row signed by a stranger is
 * bad_checkpoint); earlier ones (made before keys were kept, or without a signer) are trusted for
 * their hash and seq only.
 */
import type { Store } from '../storage/storage-types.js';
import { checkpointPayload } from './audit-checkpointer.js';
import { chainHash, GENESIS_HASH, sha256Hex } from './audit-hash.js';
import type { AuditCheckpoint, TamperReason, VerifyResult } from './audit-types.js';
import { type ChainWalk, type ParallelWalkOptions, walkChainInParallel } from './chain-walk-parallel.js';
import { type CheckpointVerifier, kidOf, payloadOf } from './checkpoint-signer.js';

export interface VerifyOptions {
  fromSeq?: number | undefined;
  signer?: CheckpointVerifier | undefined;
  batchSize?: number | undefined;
  /** Walk the chain on several threads first (default true; see chain-walk-parallel.ts). */
  parallel?: boolean | ParallelWalkOptions | undefined;
}

type Failure = Extract<VerifyResult, { ok: false }>;
const fail = (firstBadSeq: number, reason: TamperReason, detail: string): Failure => ({
  ok: false,
  firstBadSeq,
  reason,
  detail,
});

async function checkSignatures(
  checkpoints: AuditCheckpoint[],
  signer: CheckpointVerifier | undefined,
): Promise<{ failure?: Failure; checked: number }> {
  let checked = 0;
  for (const c of checkpoints) {
    if (payloadOf(c.jws) !== checkpointPayload(c)) {
      return {
        failure: fail(c.seq, 'bad_checkpoint', `checkpoint ${c.id}: signed payload differs from its row`),
        checked,
      };
    }
    if (signer && checked > 0 && !signer.canVerify(c.kid)) {
      return {
        failure: fail(c.seq, 'bad_checkpoint', `checkpoint ${c.id}: signed by unknown key ${c.kid}`),
        checked,
      };
    }
    if (signer?.canVerify(c.kid)) {
      if (c.kid !== kidOf(c.jws) || !(await signer.verify(c.jws))) {
        return {
          failure: fail(c.seq, 'bad_checkpoint', `checkpoint ${c.id}: signature does not verify`),
          checked,
        };
      }
      checked++;
    }
  }
  return { checked };
}

async function startOf(
  store: Store,
  fromSeq: number | undefined,
  anchor: AuditCheckpoint | undefined,
): Promise<{ seq: number; prev: string | undefined }> {
  if (fromSeq !== undefined && fromSeq > 1 && fromSeq > (anchor?.seq ?? 0) + 1) {
    for await (const [before] of store.audit.scanChain(fromSeq - 1, 1)) {
      if (before?.seq === fromSeq - 1) return { seq: fromSeq, prev: before.hash };
    }
    return { seq: fromSeq, prev: undefined };
  }
  return anchor ? { seq: anchor.seq + 1, prev: anchor.hash } : { seq: 1, prev: GENESIS_HASH };
}

/**
 * The exact check of one event from its stored fields (JSON.stringify quoting): used when the
 * database-built hash input did not match, which exotic text can cause without any tampering.
 */
async function fieldsHash(store: Store, seq: number, hash: string): Promise<boolean> {
  for await (const [row] of store.audit.scanChain(seq, 1)) {
    return row?.seq === seq && chainHash(row, row.prevHash) === hash;
  }
  return false;
}

/**
 * Asks for the next batch before the current one is handed out, so on PostgreSQL the database reads
 * and ships batch n+1 while batch n is being hashed.
 */
async function* prefetching<T>(source: AsyncIterable<T>): AsyncIterable<T> {
  const it = source[Symbol.asyncIterator]();
  let next = it.next();
  for (;;) {
    const current = await next;
    if (current.done) return;
    next = it.next();
    // A failure of the read-ahead surfaces when it is awaited, not as an unhandled rejection.
    next.catch(() => {});
    yield current.value;
  }
}

/**
 * The sequential walk: every event in seq order on this thread, stopping at the first problem and
 * classifying it (see the module comment). Records the hash at each seq of `wanted` it passes.
 */
async function walkChain(
  store: Store,
  start: { seq: number; prev: string | undefined },
  wanted: Map<number, string>,
  batchSize: number | undefined,
): Promise<ChainWalk & { failure?: Failure | undefined }> {
  let chainFailure: Failure | undefined;
  let prevSeq = start.seq - 1;
  let prev = start.prev;
  let prev2: string | undefined;
  let count = 0;
  let firstSeq: number | null = null;
  outer: for await (const batch of prefetching(store.audit.scanChainText(start.seq, batchSize ?? 10_000))) {
    for (const e of batch) {
      firstSeq ??= e.seq;
      if (sha256Hex(e.text) !== e.hash && !(await fieldsHash(store, e.seq, e.hash))) {
        chainFailure = fail(e.seq, 'edited', `event ${e.id} (seq ${e.seq}): fields do not match its hash`);
        break outer;
      }
      const linked = prev === undefined || e.prevHash === prev;
      if (e.seq !== prevSeq + 1) {
        chainFailure = linked
          ? fail(
              e.seq,
              'edited',
              `event ${e.id}: seq ${e.seq} follows seq ${prevSeq} without a gap in the chain`,
            )
          : fail(prevSeq + 1, 'deleted', `seq ${prevSeq + 1}..${e.seq - 1} missing before event ${e.id}`);
        break outer;
      }
      if (!linked) {
        const target = await store.audit.findSeqByHash(e.prevHash);
        if (target !== undefined && target > e.seq) {
          chainFailure = fail(e.seq, 'reordered', `event ${e.id} (seq ${e.seq}) follows seq ${target}`);
        } else if (prev2 !== undefined && e.prevHash === prev2) {
          chainFailure = fail(prevSeq, 'inserted', `seq ${prevSeq} is not linked from event ${e.id}`);
        } else {
          chainFailure = fail(
            prevSeq,
            'edited',
            `seq ${prevSeq} was rewritten (event ${e.id} links elsewhere)`,
          );
        }
        break outer;
      }
      if (wanted.has(e.seq)) wanted.set(e.seq, e.hash);
      prev2 = prev;
      prev = e.hash;
      prevSeq = e.seq;
      count++;
    }
  }
  return { failure: chainFailure, count, firstSeq, lastSeq: prevSeq, lastHash: prev };
}

export async function verifyAuditLog(store: Store, options: VerifyOptions = {}): Promise<VerifyResult> {
  const checkpoints = await store.auditCheckpoints.list();
  const signatures = await checkSignatures(checkpoints, options.signer);
  const anchor = [...checkpoints].reverse().find((c) => c.kind === 'retention');
  const start = await startOf(store, options.fromSeq, anchor);
  const wanted = new Map<number, string>();
  for (const c of checkpoints) if (c.seq >= start.seq) wanted.set(c.seq, '');

  const walk: ChainWalk & { failure?: Failure | undefined } =
    (options.parallel === false
      ? undefined
      : await walkChainInParallel(store, start, wanted, options.parallel === true ? {} : options.parallel)) ??
    (await walkChain(store, start, wanted, options.batchSize));
  let chainFailure = walk.failure;
  const { count, firstSeq, lastSeq: prevSeq, lastHash: prev } = walk;
  if (!chainFailure) {
    const head = await store.audit.head();
    if (head.seq > prevSeq && options.fromSeq === undefined) {
      chainFailure = fail(
        prevSeq + 1,
        'deleted',
        `the chain head is seq ${head.seq}, the last event seq ${prevSeq}`,
      );
    } else if (head.seq < prevSeq || (head.seq === prevSeq && prev !== undefined && head.hash !== prev)) {
      chainFailure = fail(head.seq + 1, 'inserted', `events after the recorded head seq ${head.seq}`);
    }
  }
  if (!chainFailure) {
    for (const c of checkpoints) {
      if (c.seq < start.seq) continue;
      const hash = wanted.get(c.seq);
      if (c.seq > prevSeq || hash === '') {
        chainFailure = fail(c.seq, 'deleted', `checkpoint ${c.id} pins seq ${c.seq}, which is missing`);
      } else if (hash !== c.hash) {
        chainFailure = fail(c.seq, 'edited', `seq ${c.seq} differs from signed checkpoint ${c.id}`);
      }
      if (chainFailure) break;
    }
  }
  const failures = [signatures.failure, chainFailure].filter((f): f is Failure => f !== undefined);
  if (failures.length > 0) return failures.sort((a, b) => a.firstBadSeq - b.firstBadSeq)[0]!;
  return {
    ok: true,
    events: count,
    checkpoints: checkpoints.length,
    signaturesChecked: signatures.checked,
    firstSeq,
    lastSeq: count > 0 ? prevSeq : null,
  };
}
