/**
 * Tamper evidence on both backends: the log is built through the store (and the AuditWriter), then
 * tampered with directly in the database through the test's own connection; verifyAuditLog must
 * name the first bad event and the kind of tampering. Every case runs twice: walking the chain on
 * this thread, and on three threads with connections of their own (chain-walk-parallel.ts, which
 * must vouch for a clean log and hand any doubt back to the exact sequential walk).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuditCheckpointer } from '../../src/audit/audit-checkpointer.js';
import { GENESIS_HASH } from '../../src/audit/audit-hash.js';
import { type VerifyOptions, verifyAuditLog } from '../../src/audit/audit-verifier.js';
import { createAuditWriter } from '../../src/audit/audit-writer.js';
import { walkChainInParallel } from '../../src/audit/chain-walk-parallel.js';
import { type CheckpointSigner, createEphemeralSigner } from '../../src/audit/checkpoint-signer.js';
import { TEST_BACKENDS } from '../test-server.js';
import { type AuditFixture, anAuditEvent, openAuditFixture } from './audit-fixtures.js';

const WALKS = ['sequential', 'threads'] as const;
const THREADS = { threads: 3, minEventsPerThread: 5 };

describe.each(TEST_BACKENDS.flatMap((b) => WALKS.map((w) => [b, w] as const)))(
  'audit hash chain [%s, %s]',
  (backend, walk) => {
    let fx: AuditFixture;
    let signer: CheckpointSigner;
    const verify = (options: VerifyOptions = {}) =>
      verifyAuditLog(fx.store, { ...options, parallel: walk === 'threads' ? THREADS : false });
    beforeEach(async () => {
      fx = await openAuditFixture(backend);
      signer = await createEphemeralSigner();
      const writer = createAuditWriter(fx.store);
      await Promise.all(Array.from({ length: 40 }, () => writer.append(anAuditEvent())));
      await fx.store.transaction(async (tx) => {
        await tx.audit.append(anAuditEvent({ type: 'identity.created' }));
      });
      await writer.close();
      const cp = createAuditCheckpointer({ store: fx.store, signer, now: () => new Date() });
      await cp.checkpoint('manual');
    });
    afterEach(() => fx.close());

    it('an untouched log verifies: 41 chained events, gap-free seq, the checkpoint signature checks', async () => {
      const all = await fx.store.audit.list({}, 1000);
      expect(all.map((e) => e.seq)).toEqual(Array.from({ length: 41 }, (_, i) => i + 1));
      expect(all[0]!.prevHash).toBe(GENESIS_HASH);
      for (let i = 1; i < all.length; i++) expect(all[i]!.prevHash).toBe(all[i - 1]!.hash);
      expect(await verify({ signer })).toEqual({
        ok: true,
        events: 41,
        checkpoints: 1,
        signaturesChecked: 1,
        firstSeq: 1,
        lastSeq: 41,
      });
      expect(await verify({ fromSeq: 30, signer })).toMatchObject({ ok: true, events: 12 });
    });

    it('a clean log is vouched for by the threads (and stitched), a tampered one is handed back', async () => {
      const wanted = new Map([[41, '']]);
      const got = await walkChainInParallel(fx.store, { seq: 1, prev: GENESIS_HASH }, wanted, THREADS);
      const head = await fx.store.audit.head();
      expect(got).toEqual({ count: 41, firstSeq: 1, lastSeq: 41, lastHash: head.hash });
      expect(wanted.get(41)).toBe(head.hash);
      // A deletion right at a range boundary leaves each range clean on its own: only stitching sees it.
      await fx.raw('delete from audit_events where seq = 14');
      expect(await walkChainInParallel(fx.store, { seq: 1, prev: GENESIS_HASH }, new Map(), THREADS)).toBe(
        undefined,
      );
      expect(await verify()).toMatchObject({ ok: false, firstBadSeq: 14, reason: 'deleted' });
    });

    it('exotic text (control characters, U+2028, emoji) verifies, and editing it is still caught', async () => {
      const odd = 'a\u0001b\u001fc\u007f\u2028d 🚀 "q" \\';
      await fx.store.audit.append(anAuditEvent({ action: odd, targetId: odd, details: { odd } }));
      expect(await verify({ signer })).toMatchObject({ ok: true, events: 42 });
      await fx.raw(`update audit_events set action = ? where seq = 42`, [`${odd}!`]);
      expect(await verify({ signer })).toMatchObject({
        ok: false,
        firstBadSeq: 42,
        reason: 'edited',
      });
    });

    it('an edited field is caught at that event', async () => {
      await fx.raw(`update audit_events set outcome = 'success', details = '{"n":0}' where seq = 17`);
      expect(await verify({ signer })).toMatchObject({
        ok: false,
        firstBadSeq: 17,
        reason: 'edited',
      });
    });

    it('a deleted event is caught (the seq gap and the broken link), also at the tail', async () => {
      await fx.raw('delete from audit_events where seq = 9');
      expect(await verify()).toMatchObject({ ok: false, firstBadSeq: 9, reason: 'deleted' });
    });

    it('a deleted last event is caught by the head row and the checkpoint', async () => {
      await fx.raw('delete from audit_events where seq = 41');
      expect(await verify()).toMatchObject({ ok: false, firstBadSeq: 41, reason: 'deleted' });
    });

    it('a forged event with a correct hash of its own, slipped in by renumbering, is caught', async () => {
      const [before] = await fx.raw('select hash from audit_events where seq = 19');
      // Make room at seq 20 (two steps so the primary key never collides), then insert the forgery
      // linked to seq 19 with a hash computed correctly over its own fields.
      await fx.raw('update audit_events set seq = -seq where seq >= 20');
      await fx.raw('update audit_events set seq = 1 - seq where seq < 0');
      const { chainHash } = await import('../../src/audit/audit-hash.js');
      const f = {
        id: 'evt_0190f0c2a1b27c3d8e9f0a1b2c3d4e5f',
        time: '2025-01-01T00:00:00.000Z',
        actor: 'tok_attacker',
        delegationChain: '[]',
        type: 'decision.evaluated',
        action: null,
        targetId: null,
        taskId: null,
        outcome: 'success',
        policyIds: '[]',
        source: null,
        details: '{}',
      };
      const prevHash = before!['hash'] as string;
      const hash = chainHash(f, prevHash);
      await fx.raw(
        `insert into audit_events (seq, id, time, actor, type, target_id, outcome, details, delegation_chain,
        action, task_id, policy_ids, source, prev_hash, hash) values (20, ?, ?, ?, ?, null, ?, ?, '[]', null, null, '[]', null, ?, ?)`,
        [f.id, f.time, f.actor, f.type, f.outcome, f.details, prevHash, hash],
      );
      expect(await verify()).toMatchObject({ ok: false, firstBadSeq: 20, reason: 'inserted' });
    });

    it('two swapped events are caught as reordered', async () => {
      await fx.raw('update audit_events set seq = -1 where seq = 12');
      await fx.raw('update audit_events set seq = 12 where seq = 13');
      await fx.raw('update audit_events set seq = 13 where seq = -1');
      expect(await verify()).toMatchObject({ ok: false, firstBadSeq: 12, reason: 'reordered' });
    });

    it('a broken checkpoint signature is caught; a rewritten checkpoint row too', async () => {
      const [cp] = await fx.raw('select id, jws from audit_checkpoints');
      const jws = cp!['jws'] as string;
      const parts = jws.split('.');
      const sig = parts[2]!;
      const flipped = `${parts[0]}.${parts[1]}.${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`;
      await fx.raw('update audit_checkpoints set jws = ? where id = ?', [flipped, cp!['id']]);
      expect(await verify({ signer })).toMatchObject({
        ok: false,
        firstBadSeq: 41,
        reason: 'bad_checkpoint',
      });
      await fx.raw('update audit_checkpoints set jws = ?, seq = 40 where id = ?', [jws, cp!['id']]);
      expect(await verify({ signer })).toMatchObject({ ok: false, reason: 'bad_checkpoint' });
    });

    it('a whole-chain rewrite after an edit is caught by the signed checkpoint', async () => {
      // The attacker edits seq 5 and recomputes every hash from there, head row included.
      await fx.raw(`update audit_events set actor = 'tok_someone_else' where seq = 5`);
      const rows = await fx.store.audit.list({ afterSeq: 4 }, 1000);
      const { chainHash } = await import('../../src/audit/audit-hash.js');
      let prev = rows[0]!.prevHash;
      for await (const batch of fx.store.audit.scanChain(5)) {
        for (const r of batch) {
          const hash = chainHash(r, prev);
          await fx.raw('update audit_events set prev_hash = ?, hash = ? where seq = ?', [prev, hash, r.seq]);
          prev = hash;
        }
      }
      await fx.raw('update audit_chain_head set hash = ?', [prev]);
      expect(await verify({ signer })).toMatchObject({
        ok: false,
        firstBadSeq: 41,
        reason: 'edited',
      });
    });
  },
);
