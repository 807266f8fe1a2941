/**
 * Humans: the owners and sponsors of non-human identities. A human who leaves (active=false) stays
 * on record so their identities can be found and reassigned; the graph stops traversing through them.
 */
import type { Human, HumanFilter, HumanInput, HumanPatch, Page, PageRequest } from '@keyward/sdk';
import type { AuditRecorder } from '../audit/audit-recorder.js';
import { notFound } from '../errors.js';
import type { GraphUpdates } from '../graph/graph-updates.js';
import { newId } from '../ids.js';
import type { Store } from '../storage/storage-types.js';
import type { BlockHook } from './block-hook.js';
import { applyPatch, changedFields } from './record-patch.js';

export interface HumanServiceDeps {
  store: Store;
  graph: GraphUpdates;
  audit: AuditRecorder;
  now: () => Date;
  /** Called when a human is deactivated: every task they sponsor is revoked. */
  onBlocked?: BlockHook;
}

export const humanToNode = (h: Human) => ({
  id: h.id,
  type: 'human' as const,
  sensitivity: null,
  blocked: !h.active,
});

export function buildHuman(input: HumanInput, at: Date): Human {
  const iso = at.toISOString();
  return {
    id: newId('human'),
    email: input.email.toLowerCase(),
    name: input.name,
    active: input.active ?? true,
    title: input.title ?? null,
    createdAt: iso,
    updatedAt: iso,
    version: 1,
  };
}

export function createHumanService({ store, graph, audit, now, onBlocked }: HumanServiceDeps) {
  async function create(actor: string, input: HumanInput): Promise<Human> {
    const human = buildHuman(input, now());
    await store.transaction(async (tx) => {
      await tx.humans.create(human);
      await tx.audit.append(audit.event(actor, 'human.created', human.id, { email: human.email }));
    });
    graph.upsertNode(humanToNode(human));
    return human;
  }

  async function get(id: string): Promise<Human> {
    const human = await store.humans.get(id);
    if (!human) throw notFound('human', id);
    return human;
  }

  function list(filter: HumanFilter, page: PageRequest): Promise<Page<Human>> {
    return store.humans.list(filter, page);
  }

  async function update(actor: string, id: string, patch: HumanPatch): Promise<Human> {
    let afterCommit: (() => Promise<void>) | undefined;
    const next = await store.transaction(async (tx) => {
      const current = await tx.humans.get(id);
      if (!current) throw notFound('human', id);
      const merged = applyPatch<Human>(current, patch as Partial<Human> & { version: number }, now());
      merged.email = merged.email.toLowerCase();
      await tx.humans.update(merged, current.version);
      const type = current.active && !merged.active ? 'human.deactivated' : 'human.updated';
      await tx.audit.append(audit.event(actor, type, id, { changed: changedFields(current, merged) }));
      if (onBlocked && type === 'human.deactivated') {
        afterCommit = await onBlocked.inTransaction(tx, id, actor, 'sponsor deactivated');
      }
      return merged;
    });
    graph.upsertNode(humanToNode(next));
    await afterCommit?.();
    return next;
  }

  return { create, get, list, update };
}

export type HumanService = ReturnType<typeof createHumanService>;
