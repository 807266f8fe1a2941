/**
 * The two long steps of an offboarding case (lifecycle/offboarding.ts): orphaning what the leaver
 * owns and asking for reassignment, and, past the grace period, disabling the orphans nobody took
 * and closing the case. Each identity's change commits with its audit event and the case's record
 * of it in one transaction; the case row is locked for that (two replicas advancing one case write
 * it one after the other), and every write is guarded by the state read in its transaction.
 */
import type { OffboardingCase, OffboardingState } from '../storage/lifecycle-stores.js';
import type { StoreTx } from '../storage/storage-types.js';
import { allIdentities } from './lifecycle-paging.js';
import type { OffboardingDeps, OffboardingRun } from './offboarding.js';

export const SYSTEM_ACTOR = 'system:lifecycle';
export const GRACE_REASON = 'orphaned past grace period';

export function createOffboardingSteps(deps: OffboardingDeps) {
  const { store, audit, now } = deps;

  /** Reads the case inside `tx`, applies `change` if it is still in `state`, and stores it. */
  async function updateCase(
    tx: StoreTx,
    caseId: string,
    state: OffboardingState,
    change: (c: OffboardingCase) => void,
  ): Promise<OffboardingCase | undefined> {
    const c = await tx.offboardingCases.getForUpdate(caseId);
    if (!c || c.state !== state) return undefined;
    change(c);
    await tx.offboardingCases.update(c);
    return c;
  }

  /** Marks each active identity the leaver owns orphaned, then asks for reassignment. */
  async function orphanAll(c: OffboardingCase, actor: string, run: OffboardingRun): Promise<void> {
    for (const identity of await allIdentities(store, { ownerId: c.humanId })) {
      if (identity.status === 'orphaned' && !c.details.orphaned.includes(identity.id)) {
        // Found orphaned already (an earlier run stopped between steps, or it was marked by hand).
        await store.transaction((tx) =>
          updateCase(tx, c.id, 'orphaning', (x) => {
            if (!x.details.orphaned.includes(identity.id)) x.details.orphaned.push(identity.id);
          }),
        );
        continue;
      }
      if (identity.status !== 'active') continue;
      const done = await deps.identities.transition(
        actor,
        identity.id,
        'orphaned',
        'identity.orphaned',
        { formerOwner: c.humanId, caseId: c.id, reason: 'owner left' },
        {
          guard: (cur) => cur.status === 'active' && cur.ownerId === c.humanId,
          alsoInTx: async (tx) => {
            await updateCase(tx, c.id, 'orphaning', (x) => x.details.orphaned.push(identity.id));
          },
        },
      );
      if (done) run.orphaned.push(identity.id);
    }
    await store.transaction(async (tx) => {
      const updated = await updateCase(tx, c.id, 'orphaning', (x) => {
        x.state = 'awaiting_reassignment';
      });
      if (!updated) return;
      await tx.audit.append(
        audit.event(actor, 'offboarding.reassignment_requested', c.id, {
          humanId: c.humanId,
          email: c.details.email,
          identities: updated.details.orphaned,
          graceUntil: updated.graceUntil,
        }),
      );
    });
  }

  /** Past the grace period: disables the orphans nobody took, then closes the case. */
  async function disableUntaken(c: OffboardingCase, run: OffboardingRun): Promise<void> {
    const stillOwned = (await allIdentities(store, { ownerId: c.humanId, status: 'orphaned' })).map(
      (i) => i.id,
    );
    const candidates = [...new Set([...c.details.orphaned, ...stillOwned])];
    for (const id of candidates) {
      const done = await deps.identities.transition(
        SYSTEM_ACTOR,
        id,
        'disabled',
        'identity.disabled',
        { reason: GRACE_REASON, caseId: c.id, formerOwner: c.humanId },
        {
          guard: (cur) => cur.status === 'orphaned' && cur.ownerId === c.humanId,
          alsoInTx: async (tx) => {
            await updateCase(tx, c.id, 'awaiting_reassignment', (x) => {
              if (!x.details.disabled.includes(id)) x.details.disabled.push(id);
            });
          },
        },
      );
      if (done) run.disabled.push(id);
    }
    await store.transaction(async (tx) => {
      const closed = await updateCase(tx, c.id, 'awaiting_reassignment', (x) => {
        x.state = 'closed';
        x.details.orphaned = [...new Set([...x.details.orphaned, ...candidates])];
        x.details.kept = x.details.orphaned.filter((id) => !x.details.disabled.includes(id));
        x.details.closedAt = now().toISOString();
      });
      if (!closed) return;
      await tx.audit.append(
        audit.event(SYSTEM_ACTOR, 'offboarding.closed', c.id, {
          humanId: c.humanId,
          disabled: closed.details.disabled,
          kept: closed.details.kept,
        }),
      );
      run.closed.push(c.id);
    });
  }

  return { orphanAll, disableUntaken, updateCase };
}
