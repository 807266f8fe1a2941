/**
 * Keyward's own token-signing keys: created on first start, rotated by command or when older than
 * the configured age, published as a JWKS. A retired key stays published until every token it can
 * have signed has expired (retiredAt + maxTokenTtlSeconds), then it is dropped and deleted.
 *
 * Hot path: `signJwt`, `activeKey` and `jwks` are synchronous and read memory only. The cache is
 * loaded by `ensureActiveKey` at start and reloaded by `refresh` (after each change here, and
 * periodically by the maintenance loop so a rotation on another replica is picked up).
 * Key generation always happens before, never inside, the transaction that stores the key.
 */
import type { KeyObject } from 'node:crypto';
import type { AuditRecorder } from '../audit/audit-recorder.js';
import { KeywardError } from '../errors.js';
import { isStorageError } from '../storage/storage-errors.js';
import type { PublicJwk, SigningAlg, SigningKeyRecord, Store } from '../storage/storage-types.js';
import { signCompactJwt } from './jwt-signer.js';
import type { MasterKey } from './master-key.js';
import { generateSigningKey, openSigningKey } from './signing-key-material.js';

export interface SigningKeyServiceDeps {
  store: Store;
  audit: AuditRecorder;
  masterKey: MasterKey;
  now: () => Date;
  /** Algorithm for newly generated keys. */
  alg: SigningAlg;
  /** No token signed here may live longer; also how long a retired key stays published. */
  maxTokenTtlSeconds: number;
  /** The active key is rotated by `rotateIfDue` once it is this old. */
  maxKeyAgeSeconds: number;
}

/** The admin view of a key: never private material. */
export interface SigningKeyInfo {
  kid: string;
  alg: SigningAlg;
  status: 'active' | 'retired';
  createdAt: string;
  retiredAt: string | null;
  /** When a retired key leaves the JWKS; null while active. */
  publishedUntil: string | null;
  publicJwk: PublicJwk;
}

export interface ActiveSigningKey {
  kid: string;
  alg: SigningAlg;
  privateKey: KeyObject;
}

export interface SignOptions {
  /** JOSE `typ`, e.g. 'at+jwt' for RFC 9068 access tokens. */
  typ?: string;
  /** Sets iat = now and exp = now + this; otherwise `claims.exp` must be set. */
  expiresInSeconds?: number;
}

export function createSigningKeyService(deps: SigningKeyServiceDeps) {
  const { store, audit, masterKey, now } = deps;
  const ttlMs = deps.maxTokenTtlSeconds * 1000;
  let active: ActiveSigningKey | undefined;
  let keys: SigningKeyRecord[] = [];

  const publishedUntil = (k: SigningKeyRecord): string | null =>
    k.retiredAt === null ? null : new Date(Date.parse(k.retiredAt) + ttlMs).toISOString();

  const info = (k: SigningKeyRecord): SigningKeyInfo => ({
    kid: k.kid,
    alg: k.alg,
    status: k.status,
    createdAt: k.createdAt,
    retiredAt: k.retiredAt,
    publishedUntil: publishedUntil(k),
    publicJwk: k.publicJwk,
  });

  /** Reloads the cache from the store. Opens the active private key only when it changed. */
  async function refresh(): Promise<void> {
    const stored = await store.signingKeys.list();
    const current = stored.find((k) => k.status === 'active');
    if (current && current.kid !== active?.kid) {
      active = { kid: current.kid, alg: current.alg, privateKey: openSigningKey(current, masterKey) };
    }
    if (!current) active = undefined;
    keys = stored;
  }

  /** Loads the keys and creates the first one if there is none. Call once at start. */
  async function ensureActiveKey(): Promise<SigningKeyInfo> {
    await refresh();
    if (!active) {
      const { record } = await generateSigningKey(deps.alg, masterKey, now());
      try {
        await store.transaction(async (tx) => {
          await tx.signingKeys.create(record);
          await tx.audit.append(
            audit.event('system', 'signing_key.created', record.kid, {
              alg: record.alg,
              reason: 'first start',
            }),
          );
        });
      } catch (err) {
        // Another replica created the first key at the same moment: use theirs.
        if (!isStorageError(err, 'conflict')) throw err;
      }
      await refresh();
    }
    return info(keys.find((k) => k.kid === active?.kid)!);
  }

  function activeKey(): ActiveSigningKey {
    if (!active) throw new TypeError('signing keys not loaded: call ensureActiveKey() first');
    return active;
  }

  /**
   * Signs `claims` as a compact JWS with the active key (header: alg, kid, typ). The token must
   * expire within maxTokenTtlSeconds, which is what lets a retired key leave the JWKS safely.
   */
  function signJwt(claims: Record<string, unknown>, options: SignOptions = {}): string {
    const key = activeKey();
    const nowS = Math.floor(now().getTime() / 1000);
    const payload: Record<string, unknown> = { ...claims };
    if (options.expiresInSeconds !== undefined) {
      payload['iat'] = nowS;
      payload['exp'] = nowS + options.expiresInSeconds;
    }
    const exp = payload['exp'];
    if (typeof exp !== 'number' || exp > nowS + deps.maxTokenTtlSeconds) {
      throw new TypeError(`signJwt: exp must be set and at most ${deps.maxTokenTtlSeconds} s away`);
    }
    payload['iat'] ??= nowS;
    const header = { kid: key.kid, ...(options.typ ? { typ: options.typ } : {}) };
    return signCompactJwt(header, payload, key.alg, key.privateKey);
  }

  /**
   * Signs a Security Event Token (RFC 8417): header typ `secevent+jwt`, `iat` set, no `exp` (a SET
   * states that something happened; it does not expire). Verifiers only act on recent events.
   */
  function signSecurityEvent(claims: Record<string, unknown>): string {
    const key = activeKey();
    const payload = { ...claims, iat: Math.floor(now().getTime() / 1000) };
    return signCompactJwt({ kid: key.kid, typ: 'secevent+jwt' }, payload, key.alg, key.privateKey);
  }

  /** The published key set (RFC 7517): the active key and retired keys still within publishedUntil. */
  function jwks(): { keys: PublicJwk[] } {
    const at = now().getTime();
    return {
      keys: keys
        .filter((k) => k.status === 'active' || Date.parse(publishedUntil(k)!) > at)
        .map((k) => k.publicJwk),
    };
  }

  async function list(): Promise<SigningKeyInfo[]> {
    return (await store.signingKeys.list()).map(info);
  }

  /** Makes a new key active and retires the current one (which stays published for maxTokenTtl). */
  async function rotate(actor: string, reason?: string): Promise<SigningKeyInfo> {
    const at = now();
    const { record } = await generateSigningKey(deps.alg, masterKey, at);
    try {
      await store.transaction(async (tx) => {
        const previous = await tx.signingKeys.getActive();
        if (previous) await tx.signingKeys.retire(previous.kid, at.toISOString());
        await tx.signingKeys.create(record);
        await tx.audit.append(
          audit.event(actor, 'signing_key.rotated', record.kid, {
            alg: record.alg,
            previousKid: previous?.kid ?? null,
            reason: reason ?? null,
          }),
        );
      });
    } catch (err) {
      if (!isStorageError(err, 'conflict')) throw err;
      await refresh();
      throw new KeywardError('version_conflict', 'another rotation happened at the same time; list the keys');
    }
    await refresh();
    return info(record);
  }

  /** Rotates when the active key is older than maxKeyAgeSeconds; returns the new key, or null. */
  async function rotateIfDue(): Promise<SigningKeyInfo | null> {
    const current = keys.find((k) => k.status === 'active');
    if (!current || now().getTime() - Date.parse(current.createdAt) < deps.maxKeyAgeSeconds * 1000)
      return null;
    try {
      return await rotate('system', `scheduled: key older than ${deps.maxKeyAgeSeconds} s`);
    } catch (err) {
      if (err instanceof KeywardError && err.code === 'version_conflict') return null; // another replica did it
      throw err;
    }
  }

  /** Deletes retired keys whose publication ended; returns their kids. */
  async function pruneRetired(): Promise<string[]> {
    const cutoff = new Date(now().getTime() - ttlMs).toISOString();
    const dropped = await store.transaction(async (tx) => {
      const kids = await tx.signingKeys.deleteRetiredBefore(cutoff);
      for (const kid of kids) {
        await tx.audit.append(
          audit.event('system', 'signing_key.dropped', kid, { reason: 'publication ended' }),
        );
      }
      return kids;
    });
    if (dropped.length > 0) await refresh();
    return dropped;
  }

  return {
    ensureActiveKey,
    refresh,
    activeKey,
    signJwt,
    signSecurityEvent,
    jwks,
    list,
    rotate,
    rotateIfDue,
    pruneRetired,
  };
}

export type SigningKeyService = ReturnType<typeof createSigningKeyService>;
