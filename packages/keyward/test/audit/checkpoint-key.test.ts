/**
 * The persistent audit checkpoint key on both backends: checkpoints signed before a "restart" (a new
 * signer loaded from the store) and before a rotation still verify; a wrong master key is a clear
 * error; a tampered checkpoint or one signed by a stranger's key is caught.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuditCheckpointer } from '../../src/audit/audit-checkpointer.js';
import { verifyAuditLog } from '../../src/audit/audit-verifier.js';
import { createAuditWriter } from '../../src/audit/audit-writer.js';
import { loadCheckpointSigner, loadCheckpointVerifier } from '../../src/audit/checkpoint-key-service.js';
import { createEphemeralSigner } from '../../src/audit/checkpoint-signer.js';
import { parseMasterKey } from '../../src/keys/master-key.js';
import { TEST_BACKENDS } from '../test-server.js';
import { type AuditFixture, anAuditEvent, openAuditFixture } from './audit-fixtures.js';

const masterKey = parseMasterKey(randomBytes(32).toString('base64'), 'test');
const now = () => new Date();

describe.each(TEST_BACKENDS)('audit checkpoint key [%s]', (backend) => {
  let fx: AuditFixture;
  beforeEach(async () => {
    fx = await openAuditFixture(backend);
  });
  afterEach(() => fx.close());

  async function appendAndCheckpoint(signer: Parameters<typeof createAuditCheckpointer>[0]['signer']) {
    const writer = createAuditWriter(fx.store);
    await Promise.all(Array.from({ length: 10 }, () => writer.append(anAuditEvent())));
    await writer.close();
    return createAuditCheckpointer({ store: fx.store, signer, now }).checkpoint('manual');
  }

  it('is created once, and after a restart and a rotation every old checkpoint still verifies', async () => {
    const first = await loadCheckpointSigner({ store: fx.store, masterKey, now });
    await appendAndCheckpoint(first);
    // A restart: a fresh process loads the same key from the store.
    const restarted = await loadCheckpointSigner({ store: fx.store, masterKey, now });
    expect(restarted.kid).toBe(first.kid);
    await appendAndCheckpoint(restarted);
    const newKid = await restarted.rotate();
    expect(newKid).not.toBe(first.kid);
    await appendAndCheckpoint(restarted);
    const keys = await fx.store.checkpointKeys.list();
    expect(keys.map((k) => k.status)).toEqual(['retired', 'active']);
    expect(keys.every((k) => !JSON.stringify(k.publicJwk).includes('"d"'))).toBe(true);

    const recorded = await fx.store.audit.list({}, 1000);
    expect(recorded.filter((e) => e.type.startsWith('audit.checkpoint_key.')).map((e) => e.type)).toEqual([
      'audit.checkpoint_key.created',
      'audit.checkpoint_key.rotated',
    ]);
    const again = await loadCheckpointSigner({ store: fx.store, masterKey, now });
    expect(await verifyAuditLog(fx.store, { signer: again })).toMatchObject({
      ok: true,
      events: 32,
      checkpoints: 3,
      signaturesChecked: 3,
    });
    // Public keys alone suffice (the CLI's direct verify has no master key).
    const verifier = await loadCheckpointVerifier(fx.store);
    expect(await verifyAuditLog(fx.store, { signer: verifier })).toMatchObject({ signaturesChecked: 3 });
  });

  it('refuses to load under a different master key', async () => {
    await loadCheckpointSigner({ store: fx.store, masterKey, now });
    const wrong = parseMasterKey(randomBytes(32).toString('base64'), 'other');
    await expect(loadCheckpointSigner({ store: fx.store, masterKey: wrong, now })).rejects.toMatchObject({
      code: 'master_key_mismatch',
    });
  });

  it('catches a checkpoint whose signature or payload was changed', async () => {
    const signer = await loadCheckpointSigner({ store: fx.store, masterKey, now });
    const cp = await appendAndCheckpoint(signer);
    const [h, p, sig] = cp.jws.split('.') as [string, string, string];
    const flipped = `${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BA' : 'AA'}`;
    await fx.raw('update audit_checkpoints set jws = ? where id = ?', [`${h}.${p}.${flipped}`, cp.id]);
    const restarted = await loadCheckpointSigner({ store: fx.store, masterKey, now });
    expect(await verifyAuditLog(fx.store, { signer: restarted })).toMatchObject({
      ok: false,
      reason: 'bad_checkpoint',
      firstBadSeq: cp.seq,
    });
  });

  it('catches a later checkpoint signed by a key Keyward does not hold', async () => {
    const signer = await loadCheckpointSigner({ store: fx.store, masterKey, now });
    await appendAndCheckpoint(signer);
    const forged = await appendAndCheckpoint(await createEphemeralSigner());
    expect(await verifyAuditLog(fx.store, { signer })).toMatchObject({
      ok: false,
      reason: 'bad_checkpoint',
      firstBadSeq: forged.seq,
    });
  });
});
