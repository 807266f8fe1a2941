/**
 * "Reduce first, then rotate": a rotation asked to right-size an identity carries the right-sizer's
 * proposal (posture/right-sizing.ts) and waits; accepting it removes the grants the identity did
 * not use in the window (through the edge service: audited, graph index kept in step) before the
 * rotation proceeds, so the new credential is never as wide as the old one. Removing is idempotent:
 * a grant already gone is skipped, so an accept cut off by a restart can be repeated.
 */
import type { EdgeService } from '../graph/edge-service.js';
import type { RightSizeProposal, RightSizer } from '../posture/right-sizing.js';
import type { Store } from '../storage/storage-types.js';

export interface RotationReducer {
  propose(identityId: string, windowDays?: number): Promise<RightSizeProposal>;
  /** Applies an accepted proposal; returns the grants removed now. Other proposals: 0. */
  apply(actor: string, proposal: unknown): Promise<number>;
}

const isRightSize = (p: unknown): p is Pick<RightSizeProposal, 'identity' | 'unused'> => {
  const o = p as Partial<RightSizeProposal> | null;
  return typeof o?.identity?.id === 'string' && Array.isArray(o.unused);
};

export function createRotationReducer(deps: {
  store: Pick<Store, 'edges'>;
  rightSizer: Pick<RightSizer, 'propose'>;
  edges: Pick<EdgeService, 'remove'>;
}): RotationReducer {
  return {
    propose: (identityId, windowDays) =>
      deps.rightSizer.propose(identityId, windowDays === undefined ? {} : { windowDays }),
    async apply(actor, proposal) {
      if (!isRightSize(proposal)) return 0;
      let removed = 0;
      for (const u of proposal.unused) {
        if (!u.removed) continue;
        const page = await deps.store.edges.list(
          { kind: 'has_permission', fromId: proposal.identity.id, toId: u.resourceId },
          { limit: 10 },
        );
        for (const edge of page.items) {
          await deps.edges.remove(actor, edge.id);
          removed++;
        }
      }
      return removed;
    },
  };
}
