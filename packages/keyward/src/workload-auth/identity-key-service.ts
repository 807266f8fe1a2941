/**
 * Public keys registered for identities, which verify their private_key_jwt client assertions.
 * Registration and removal commit with their audit events. An identity holds at most
 * MAX_KEYS_PER_IDENTITY keys, so an assertion without a `kid` is tried against a small set.
 */
import type { AuditRecorder } from '../audit/audit-recorder.js';
import { KeywardError, notFound } from '../errors.js';
import type { IdentityKeyRecord, Store } from '../storage/storage-types.js';
import { parsePublicJwk } from './public-jwk.js';

export const MAX_KEYS_PER_IDENTITY = 10;

export interface IdentityKeyServiceDeps {
  store: Store;
  audit: AuditRecorder;
  now: () => Date;
}

export function createIdentityKeyService({ store, audit, now }: IdentityKeyServiceDeps) {
  /** Registers a public JWK for the identity. validation_failed for private/symmetric/weak keys. */
  async function register(actor: string, identityId: string, jwkInput: unknown): Promise<IdentityKeyRecord> {
    const parsed = await parsePublicJwk(jwkInput);
    const record: IdentityKeyRecord = {
      identityId,
      kid: parsed.kid,
      thumbprint: parsed.thumbprint,
      publicJwk: parsed.jwk,
      createdAt: now().toISOString(),
    };
    await store.transaction(async (tx) => {
      if (!(await tx.identities.get(identityId))) throw notFound('identity', identityId);
      if ((await tx.identityKeys.listFor(identityId)).length >= MAX_KEYS_PER_IDENTITY) {
        throw new KeywardError(
          'policy_violation',
          `an identity may hold at most ${MAX_KEYS_PER_IDENTITY} keys; delete one first`,
        );
      }
      await tx.identityKeys.create(record);
      await tx.audit.append(
        audit.event(actor, 'identity_key.registered', identityId, {
          kid: record.kid,
          thumbprint: record.thumbprint,
          kty: record.publicJwk.kty,
        }),
      );
    });
    return record;
  }

  async function list(identityId: string): Promise<IdentityKeyRecord[]> {
    if (!(await store.identities.get(identityId))) throw notFound('identity', identityId);
    return store.identityKeys.listFor(identityId);
  }

  async function remove(actor: string, identityId: string, kid: string): Promise<IdentityKeyRecord> {
    return store.transaction(async (tx) => {
      const removed = await tx.identityKeys.delete(identityId, kid);
      if (!removed) throw notFound('key', kid);
      await tx.audit.append(
        audit.event(actor, 'identity_key.deleted', identityId, { kid, thumbprint: removed.thumbprint }),
      );
      return removed;
    });
  }

  return { register, list, remove };
}

export type IdentityKeyService = ReturnType<typeof createIdentityKeyService>;
