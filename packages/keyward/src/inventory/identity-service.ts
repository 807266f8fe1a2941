/**
 * Identity inventory: create, read, list, update and disable non-human identities. Every change
 * commits with its audit event, then updates the graph index (after commit, so the index never
 * shows an uncommitted state).
 */
import type { Identity, IdentityFilter, IdentityInput, IdentityPatch, Page, PageRequest } from '@keyward/sdk';
import type { AuditRecorder } from '../audit/audit-recorder.js';
import { KW_LABELS, withManagedLabels } from '../discovery/managed-status.js';
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

/**
 * Labels under `kw.` are Keyward's own (discovery's verdicts): people cannot set or change them.
 * Returns the labels to store: the caller's, with the current `kw.` labels kept as they are.
 */
function keepReservedLabels(
  before: Record<string, string>,
  after: Record<string, string> | undefined,
): Record<string, string> | undefined {
  if (!after) return undefined;
  const changed = Object.keys(after).filter((k) => k.startsWith('kw.') && before[k] !== after[k]);
  if (changed.length > 0) {
    throw new KeywardError(
      'validation_failed',
      `labels under kw. are maintained by Keyward: ${changed.join(', ')}`,
      {
        errors: changed.map((k) => ({ path: `/labels/${k}`, message: 'reserved label' })),
      },
    );
  }
  const kept = Object.entries(before).filter(([k]) => k.startsWith('kw.'));
  return { ...after, ...Object.fromEntries(kept) };
}

export interface WriteOptions {
  type: string;
  details: Record<string, unknown>;
  internal: boolean;
  /** Write only if this accepts the stored identity (checked inside the transaction). */
  guard?: ((current: Identity) => boolean) | undefined;
  /** More writes to commit in the same transaction, after the identity's. */
  alsoInTx?: ((tx: StoreTx, next: Identity) => Promise<void>) | undefined;
  /** Apply to the stored version, whatever it is (workflows decide on the state read in the transaction). */
  anyVersion?: boolean | undefined;
}

export function createIdentityService({ store, graph, audit, now, onBlocked }: IdentityServiceDeps) {
  async function create(actor: string, input: IdentityInput): Promise<Identity> {
    keepReservedLabels({}, input.labels);
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

  function update(
    actor: string,
    id: string,
    patch: IdentityPatch,
    type = 'identity.updated',
    details: Record<string, unknown> = {},
    internal = false,
  ): Promise<Identity> {
    // Without a guard, write always writes (or throws).
    return write(actor, id, patch, { type, details, internal }) as Promise<Identity>;
  }

  async function write(actor: string, id: string, asked: IdentityPatch, opts: WriteOptions) {
    const { type, details, internal } = opts;
    let afterCommit: (() => Promise<void>) | undefined;
    const next = await store.transaction(async (tx) => {
      const current = await tx.identities.get(id);
      if (!current) throw notFound('identity', id);
      if (opts.guard && !opts.guard(current)) return undefined;
      const patch = opts.anyVersion ? { ...asked, version: current.version } : asked;
      const labels = internal ? patch.labels : keepReservedLabels(current.labels, patch.labels);
      const patched = applyPatch<Identity>(
        current,
        { ...patch, ...(labels ? { labels } : {}) } as Partial<Identity> & { version: number },
        now(),
      );
      // Taken: an orphan given a new owner is active again (offboarding then leaves it alone).
      if (
        current.status === 'orphaned' &&
        patch.status === undefined &&
        patched.ownerId !== null &&
        patched.ownerId !== current.ownerId
      ) {
        patched.status = 'active';
      }
      // A discovered identity's unmanaged verdict follows what people give it (owner, purpose, end).
      const merged = { ...patched, labels: withManagedLabels(patched) };
      checkDates(merged);
      // Discovered, not yet adopted identities exist whether or not they meet the admission rules:
      // they are reported as unmanaged (discovery/managed-status.ts) instead of refusing every edit.
      const discovered =
        merged.labels[KW_LABELS.source] !== undefined && merged.labels[KW_LABELS.adopted] === undefined;
      if (!discovered) checkProductionReadiness(merged);
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
      await opts.alsoInTx?.(tx, merged);
      return merged;
    });
    if (!next) return undefined;
    graph.upsertNode(identityToNode(next));
    await afterCommit?.();
    return next;
  }

  /**
   * A status change made by Keyward's own workflows (lifecycle): applied only if `guard` accepts
   * the identity as it is inside the transaction (else nothing is written and undefined returned),
   * and `alsoInTx` commits the workflow's own record in the same transaction as the change and its
   * audit event. Returns the updated identity.
   */
  function transition(
    actor: string,
    id: string,
    status: Identity['status'],
    type: string,
    details: Record<string, unknown>,
    opts: Pick<WriteOptions, 'guard' | 'alsoInTx'> = {},
  ): Promise<Identity | undefined> {
    return write(
      actor,
      id,
      { version: 0, status },
      { type, details, internal: true, ...opts, anyVersion: true },
    );
  }

  /** Disables the identity: it stays in the inventory but no graph path runs through it any more. */
  async function disable(actor: string, id: string, opts: { version?: number; reason?: string }) {
    const version = opts.version ?? (await get(id)).version;
    return update(actor, id, { version, status: 'disabled' }, 'identity.disabled', {
      reason: opts.reason ?? null,
    });
  }

  /**
   * Takes a discovered identity under management: gives it what it lacks (owner, purpose, end) and
   * marks it adopted, which also approves a discovered AI agent. The admission rules then apply as to
   * any identity, so an adopted production identity has an owner, a purpose and an end.
   */
  async function adopt(
    actor: string,
    id: string,
    input: { version?: number; ownerId?: string; purpose?: string; reviewDate?: string },
  ) {
    const current = await get(id);
    if (current.labels[KW_LABELS.source] === undefined) {
      throw new KeywardError(
        'validation_failed',
        `identity ${JSON.stringify(current.name)} was not discovered: nothing to adopt`,
      );
    }
    const patch: IdentityPatch = {
      version: input.version ?? current.version,
      labels: { ...current.labels, [KW_LABELS.adopted]: now().toISOString() },
      ...(input.ownerId !== undefined ? { ownerId: input.ownerId } : {}),
      ...(input.purpose !== undefined ? { purpose: input.purpose } : {}),
      ...(input.reviewDate !== undefined ? { reviewDate: input.reviewDate } : {}),
    };
    return update(actor, id, patch, 'identity.adopted', { source: current.labels[KW_LABELS.source] }, true);
  }

  return { create, get, list, update, disable, adopt, transition };
}

export type IdentityService = ReturnType<typeof createIdentityService>;
