/**
 * Offboarding: what happens when a human leaves (active=false). At once, in the transaction that
 * deactivates them (or, for a departure recorded before this existed, the scheduler's): every task
 * they sponsor is revoked through the revocation service (its tokens die with it, and its brokered
 * credentials are revoked after commit) and an offboarding case opens. Then each identity they own
 * is marked orphaned (audit `identity.orphaned`) and the case asks for reassignment (audit
 * `offboarding.reassignment_requested`). After the grace period the scheduler disables the orphans
 * nobody took (a new owner makes an orphan active again: inventory/identity-service.ts) and closes
 * the case.
 *
 * Every step commits with its audit event in one transaction and leaves the case in a state the
 * next run resumes from; each step is guarded by the state it reads inside its transaction, so a
 * run repeated, or resumed after a crash, does nothing twice. Network work (brokered credentials)
 * happens after commit, never inside a transaction.
 */
import type { Human } from '@keyward/sdk';
import type { AuditRecorder } from '../audit/audit-recorder.js';
import { notFound } from '../errors.js';
import { newId } from '../ids.js';
import type { BlockHook } from '../inventory/block-hook.js';
import type { IdentityService } from '../inventory/identity-service.js';
import type { RevocationService } from '../revocation/revocation-service.js';
import type { OffboardingCase, OffboardingState } from '../storage/lifecycle-stores.js';
import { isStorageError } from '../storage/storage-errors.js';
import type { Store, StoreTx } from '../storage/storage-types.js';
import { allPages } from './lifecycle-paging.js';
import { createOffboardingSteps, SYSTEM_ACTOR } from './offboarding-steps.js';

export { GRACE_REASON, SYSTEM_ACTOR } from './offboarding-steps.js';

export interface OffboardingDeps {
  store: Store;
  audit: AuditRecorder;
  now: () => Date;
  identities: Pick<IdentityService, 'transition'>;
  revocation: Pick<RevocationService, 'sponsorHook'>;
  graceSeconds: number;
  onError: (err: unknown, context: string) => void;
}

export interface OffboardingRun {
  opened: string[];
  orphaned: string[];
  disabled: string[];
  closed: string[];
}

const emptyRun = (): OffboardingRun => ({ opened: [], orphaned: [], disabled: [], closed: [] });

export function createOffboarding(deps: OffboardingDeps) {
  const { store, audit, now } = deps;
  const { orphanAll, disableUntaken } = createOffboardingSteps(deps);

  /** Inside the deactivating transaction: revoke the sponsor's tasks and open the case. */
  async function openInTx(tx: StoreTx, human: Human, actor: string, reason: string) {
    const open = await tx.offboardingCases.openFor(human.id);
    const tasks = await tx.tasks.list({ sponsorId: human.id, status: 'active' }, { limit: 1000 });
    const afterRevocation = await deps.revocation.sponsorHook.inTransaction(tx, human.id, actor, reason);
    if (open) return { caseId: open.id, opened: false, afterRevocation };
    const at = now();
    const c: OffboardingCase = {
      id: newId('offboardingCase'),
      humanId: human.id,
      startedAt: at.toISOString(),
      graceUntil: new Date(at.getTime() + deps.graceSeconds * 1000).toISOString(),
      state: 'orphaning',
      details: {
        email: human.email,
        revokedTasks: tasks.items.map((t) => t.id),
        orphaned: [],
        disabled: [],
        kept: [],
        closedAt: null,
      },
    };
    await tx.offboardingCases.create(c);
    await tx.audit.append(
      audit.event(actor, 'offboarding.started', c.id, {
        humanId: human.id,
        email: human.email,
        reason,
        revokedTasks: c.details.revokedTasks,
        graceUntil: c.graceUntil,
      }),
    );
    return { caseId: c.id, opened: true, afterRevocation };
  }

  /** Takes one case as far as it can go now. */
  async function advance(caseId: string, actor = SYSTEM_ACTOR, run = emptyRun()): Promise<OffboardingRun> {
    let c = await store.offboardingCases.get(caseId);
    if (c?.state === 'orphaning') {
      await orphanAll(c, actor, run);
      c = await store.offboardingCases.get(caseId);
    }
    if (c?.state === 'awaiting_reassignment' && Date.parse(c.graceUntil) <= now().getTime()) {
      await disableUntaken(c, run);
    }
    return run;
  }

  /** Opens cases for leavers who have none (departures recorded before, or by an import). */
  async function openMissing(run: OffboardingRun): Promise<void> {
    const leavers = await allPages((page) => store.humans.list({ active: false }, page));
    for (const human of leavers) {
      if (await store.offboardingCases.latestFor(human.id)) continue;
      try {
        const opened = await store.transaction(async (tx) => {
          const current = await tx.humans.get(human.id);
          if (!current || current.active || (await tx.offboardingCases.latestFor(human.id))) return undefined;
          return openInTx(tx, current, SYSTEM_ACTOR, 'sponsor left');
        });
        if (!opened) continue;
        await opened.afterRevocation();
        if (opened.opened) run.opened.push(opened.caseId);
      } catch (err) {
        // Another replica opened it first: the unique open case per human says so.
        if (!isStorageError(err, 'conflict')) throw err;
      }
    }
  }

  /** The scheduler's job: open missing cases, then advance every open one. */
  async function runAll(): Promise<OffboardingRun> {
    const run = emptyRun();
    await openMissing(run);
    for (const state of ['orphaning', 'awaiting_reassignment'] as const) {
      const open = await allPages((page) => store.offboardingCases.list({ state }, page));
      for (const c of open) await advance(c.id, SYSTEM_ACTOR, run);
    }
    return run;
  }

  /**
   * The human service's hook on deactivation: revokes and opens the case in its transaction; after
   * commit revokes brokered credentials, then orphans at once (a failure there is left to the
   * scheduler, which resumes from the case's state).
   */
  const hook: BlockHook = {
    async inTransaction(tx, humanId, actor, reason) {
      const human = await tx.humans.get(humanId);
      if (!human) throw notFound('human', humanId);
      const opened = await openInTx(tx, human, actor, reason);
      return async () => {
        await opened.afterRevocation();
        await advance(opened.caseId, actor).catch((err) => deps.onError(err, `offboarding ${opened.caseId}`));
      };
    },
  };

  async function get(id: string): Promise<OffboardingCase> {
    const c = await store.offboardingCases.get(id);
    if (!c) throw notFound('offboarding case', id);
    return c;
  }

  return {
    hook,
    advance,
    runAll,
    get,
    list: (
      filter: { state?: OffboardingState; humanId?: string },
      page: { cursor?: string; limit?: number },
    ) => store.offboardingCases.list(filter, page),
  };
}

export type Offboarding = ReturnType<typeof createOffboarding>;
