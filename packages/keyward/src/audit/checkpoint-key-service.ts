/**
 * The persistent audit checkpoint key: an Ed25519 key generated once (first start), its private half
 * sealed under the master key in audit_checkpoint_keys, so checkpoints signed before a restart still
 * verify after it. Rotation retires the active key but keeps its public half: every checkpoint ever
 * signed stays checkable. A wrong master key fails at load with master_key_mismatch.
 *
 * `loadCheckpointVerifier` needs only the public keys (no master key): `keyward audit verify
 * --data-dir` checks signatures with it.
 */
import { createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { CompactSign, calculateJwkThumbprint, compactVerify, type JWK } from 'jose';
import type { CheckpointKeyRecord } from '../detection/alert-types.js';
import { newId } from '../ids.js';
import type { MasterKey } from '../keys/master-key.js';
import { openSecret, sealSecret, secretContext } from '../keys/secret-envelope.js';
import { isStorageError } from '../storage/storage-errors.js';
import type { Store } from '../storage/storage-types.js';
import { type CheckpointVerifier, kidOf, type RotatingCheckpointSigner } from './checkpoint-signer.js';

const generate = promisify(generateKeyPair);
const contextOf = (kid: string): string => secretContext('audit-checkpoint-key', kid);

async function newKey(at: Date, master: MasterKey): Promise<CheckpointKeyRecord> {
  const { publicKey, privateKey } = await generate('ed25519');
  const jwk = publicKey.export({ format: 'jwk' }) as JWK;
  const kid = await calculateJwkThumbprint(jwk);
  const der = privateKey.export({ format: 'der', type: 'pkcs8' });
  return {
    kid,
    status: 'active',
    publicJwk: { ...jwk, kid, alg: 'EdDSA', use: 'sig' },
    privateKeySealed: sealSecret(master, der, contextOf(kid)),
    createdAt: at.toISOString(),
    retiredAt: null,
  };
}

function publicKeysOf(records: readonly CheckpointKeyRecord[]): Map<string, KeyObject> {
  const keys = new Map<string, KeyObject>();
  for (const r of records) keys.set(r.kid, createPublicKey({ key: r.publicJwk as JWK, format: 'jwk' }));
  return keys;
}

async function verifyWith(keys: Map<string, KeyObject>, jws: string): Promise<boolean> {
  const kid = kidOf(jws);
  const key = kid === undefined ? undefined : keys.get(kid);
  if (!key) return false;
  try {
    await compactVerify(jws, key, { algorithms: ['EdDSA'] });
    return true;
  } catch {
    return false;
  }
}

/** Verifies checkpoints against every stored public key (active and retired). */
export async function loadCheckpointVerifier(store: Store): Promise<CheckpointVerifier> {
  const keys = publicKeysOf(await store.checkpointKeys.list());
  return { canVerify: (kid) => keys.has(kid), verify: (jws) => verifyWith(keys, jws) };
}

export interface CheckpointKeyDeps {
  store: Store;
  masterKey: MasterKey;
  now: () => Date;
}

/** Loads the active checkpoint key, creating it on first start. */
export async function loadCheckpointSigner(deps: CheckpointKeyDeps): Promise<RotatingCheckpointSigner> {
  const { store, masterKey } = deps;
  let keys = new Map<string, KeyObject>();
  let active: { kid: string; key: KeyObject } | undefined;

  async function refresh(): Promise<void> {
    const records = await store.checkpointKeys.list();
    keys = publicKeysOf(records);
    const current = records.find((r) => r.status === 'active');
    if (current && current.kid !== active?.kid) {
      const der = openSecret(masterKey, current.privateKeySealed, contextOf(current.kid));
      active = { kid: current.kid, key: createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }) };
    }
  }

  async function install(actor: string, reason: string): Promise<void> {
    const record = await newKey(deps.now(), masterKey);
    try {
      await store.transaction(async (tx) => {
        let previousKid: string | null = null;
        for (const k of await tx.checkpointKeys.list()) {
          if (k.status !== 'active') continue;
          previousKid = k.kid;
          await tx.checkpointKeys.retire(k.kid, record.createdAt);
        }
        await tx.checkpointKeys.create(record);
        await tx.audit.append({
          id: newId('auditEvent'),
          time: record.createdAt,
          actor,
          type: previousKid ? 'audit.checkpoint_key.rotated' : 'audit.checkpoint_key.created',
          targetId: null,
          outcome: 'success',
          details: { kid: record.kid, previousKid, reason },
        });
      });
    } catch (err) {
      // Another replica created a key at the same moment: use theirs.
      if (!isStorageError(err, 'conflict')) throw err;
    }
    await refresh();
  }

  await refresh();
  if (!active) await install('system', 'first start');
  const current = () => {
    if (!active) throw new Error('no active audit checkpoint key');
    return active;
  };
  return {
    get kid() {
      return current().kid;
    },
    sign(data) {
      const { kid, key } = current();
      return new CompactSign(data).setProtectedHeader({ alg: 'EdDSA', kid }).sign(key);
    },
    canVerify: (kid) => keys.has(kid),
    verify: (jws) => verifyWith(keys, jws),
    refresh,
    async rotate(actor = 'system', reason = 'rotation') {
      await install(actor, reason);
      return current().kid;
    },
    async publicKeys() {
      return (await store.checkpointKeys.list()).map((k) => ({
        kid: k.kid,
        status: k.status,
        createdAt: k.createdAt,
        retiredAt: k.retiredAt,
        publicJwk: k.publicJwk,
      }));
    },
  };
}
