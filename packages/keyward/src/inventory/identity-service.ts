/**
 * Identity inventory: create, read, list, update and disable non-human identities. Every change
 * commits with its audit event, then updates the graph index (after commit, so the index never
 * shows an uncommitted state).
 */
import type { Identity, IdentityFilter, IdentityInput, IdentityPatch, Page, PageRequest } from '@keyward/sdk';
import type { AuditRecorder } from '../audit/audit-recorder.js';
import { KeywardError, notFound } from '../errors.js';
import type { GraphUpdates } from '../graph/graph-updates.js';
import { newId } from '../ids.js';
import type { Store, StoreTx } from '../storage/storage-types.js';
import type { BlockHook } from './block-hook.js';
import { checkDates, checkProductionReadiness } from './identity-rules.js';
import { applyPatch, changedFields } from './record-patch.js';

export interface IdentityServiceDeps {
  store: Store;
  graph: GraphUpdates;
  audit: AuditRecorder;
  now: () => Date;
  /** Called when an identity becomes disabled or revoked: its tasks and tokens are revoked. */
  onBlocked?: BlockHook;
}

export const isBlockedIdentity = (identity: Pick<Identity, 'status'>): boolean =>
  identity.status === 'disabled' || identity.status === 'revoked';

export function identityToNode(identity: Identity) {
  return {
    id: identity.id,
    type: 'identity' as const,
    sensitivity: null,
    blocked: isBlockedIdentity(identity),
  };
}

export function buildIdentity(input: IdentityInput, at: Date): Identity {
  const iso = at.toISOString();
  return {
    id: newId('identity'),
    name: input.name,
    kind: input.kind,
    ownerId: input.ownerId ?? null,
    purpose: input.purpose ?? null,
    environment: input.environment,
    businessSystem: input.businessSystem ?? null,
    origin: input.origin ?? 'manual',
    originExternalId: input.originExternalId ?? null,
    secretLocations: input.secretLocations ?? [],
    credential: input.credential ?? {},
    reviewDate: input.reviewDate ?? null,
    status: input.status ?? 'active',
    labels: input.labels ?? {},
    firstSeen: input.firstSeen ?? iso,
    lastSeen: input.lastSeen ?? null,
    createdAt: iso,
    updatedAt: iso,
    version: 1,
  };
}

async function checkOwner(tx: StoreTx, ownerId: string | null): Promise<void> {
  if (ownerId === null) return;
  if (!(await tx.humans.get(ownerId))) {
    throw new KeywardError('invalid_reference', `owner ${JSON.stringify(ownerId)} is not a known human`, {
      errors: [{ path: '/ownerId', message: 'unknown human' }],
    });
  }
}

export function createIdentityService({ store, graph, audit, now, onBlocked }: IdentityServiceDeps) {
  async function create(actor: string, input: IdentityInput): Promise<Identity> {
    const identity = buildIdentity(input, now());
    checkDates(identity);
    checkProductionReadiness(identity);
    await store.transaction(async (tx) => {
      await checkOwner(tx, identity.ownerId);
      await tx.identities.create(identity);
      await tx.audit.append(
        audit.event(actor, 'identity.created', identity.id, {
          name: identity.name,
          kind: identity.kind,
          environment: identity.environment,
        }),
      );
    });
    graph.upsertNode(identityToNode(identity));
    return identity;
  }

  async function get(id: string): Promise<Identity> {
    const identity = await store.identities.get(id);
    if (!identity) throw notFound('identity', id);
    return identity;
  }

  function list(filter: IdentityFilter, page: PageRequest): Promise<Page<Identity>> {
    return store.identities.list(filter, page);
  }

  async function update(
    actor: string,
    id: string,
    patch: IdentityPatch,
    type = 'identity.updated',
    details: Record<string, unknown> = {},
  ) {
    let afterCommit: (() => Promise<void>) | undefined;
    const next = await store.transaction(async (tx) => {
      const current = await tx.identities.get(id);
      if (!current) throw notFound('identity', id);
      const merged = applyPatch<Identity>(current, patch as Partial<Identity> & { version: number }, now());
      checkDates(merged);
      checkProductionReadiness(merged);
      if (merged.ownerId !== current.ownerId) await checkOwner(tx, merged.ownerId);
      await tx.identities.update(merged, current.version);
      await tx.audit.append(
        audit.event(actor, type, id, {
          ...details,
          name: merged.name,
          changed: changedFields(current, merged),
        }),
      );
      if (onBlocked && isBlockedIdentity(merged) && !isBlockedIdentity(current)) {
        const reason = `identity ${merged.status}${details['reason'] ? `: ${String(details['reason'])}` : ''}`;
        afterCommit = await onBlocked.inTransaction(tx, id, actor, reason);
      }
      return merged;
    });
    graph.upsertNode(identityToNode(next));
    await afterCommit?.();
    return next;
  }

  /** Disables the identity: it stays in the inventory but no graph path runs through it any more. */
  async function disable(actor: string, id: string, opts: { version?: number; reason?: string }) {
    const version = opts.version ?? (await get(id)).version;
    return update(actor, id, { version, status: 'disabled' }, 'identity.disabled', {
      reason: opts.reason ?? null,
    });
  }

  return { create, get, list, update, disable };
}

export type IdentityService = ReturnType<typeof createIdentityService>;
