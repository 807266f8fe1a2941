/**
 * Builds the decision side of Keyward from its parts: Cedar evaluator (worker pool or this
 * thread), decision engine and cache, entity catalog, history counters, policy store service,
 * authorize service and policy diff. Inventory writes reach it through the store's audit-commit
 * hook: any committed identity/human/resource/system/edge event drops the entity slices and the
 * decision cache (the engine's inventory version moves on).
 */

import type { ApprovalGate } from '../approvals/approval-types.js';
import type { AuditRecorder } from '../audit/audit-recorder.js';
import type { AuditEvent, AuditEventInput } from '../audit/audit-types.js';
import { type ClusterBus, localBus } from '../cluster/cluster-bus.js';
import { sharedHistoryCounters } from '../cluster/shared-state.js';
import type { AccessTokenVerifier } from '../oauth/access-token-verifier.js';
import type { Store } from '../storage/storage-types.js';
import { createAuthorizeService } from './authorize-service.js';
import type { AuthzConfig } from './authz-config.js';
import { createLocalEvaluator } from './cedar-evaluator.js';
import { createClock } from './decision-context.js';
import { createDecisionEngine } from './decision-engine.js';
import { createEntityCatalog } from './entity-catalog.js';
import { createEvaluatorPool } from './evaluator-pool.js';
import { createHistoryCounters } from './history-counters.js';
import { diffPolicies } from './policy-diff.js';
import { compileOrThrow, createPolicyService } from './policy-service.js';
import type { PolicyFile } from './policy-set.js';
import { createSubjectResolver } from './subject-resolver.js';

export interface AuthzDeps {
  store: Store;
  accessTokens: Pick<AccessTokenVerifier, 'verifyActive'>;
  audit: AuditRecorder;
  writer: { append(event: AuditEventInput): Promise<AuditEvent> };
  approvals: ApprovalGate;
  now: () => Date;
  onError: (err: unknown, context: string) => void;
  config: AuthzConfig;
  /** Other processes of a cluster: shared history counts, their inventory and policy changes. */
  bus?: ClusterBus | undefined;
}

/** Audit event types of inventory changes: entity slices and cached decisions are then stale. */
export const INVENTORY_EVENT = /^(identity|human|resource|system|edge)\./;

/** The gate used when no approval service is wired in: nothing is ever approved, nothing can be opened. */
export const approvalsUnavailable: ApprovalGate = {
  findGranted: async () => undefined,
  open: async () => {
    throw new Error('approvals are not available on this server');
  },
};

export function createAuthz(deps: AuthzDeps) {
  const { store, config } = deps;
  const local = createLocalEvaluator();
  const evaluator = config.workers > 0 ? createEvaluatorPool(config.workers, local) : local;
  const engine = createDecisionEngine({ evaluator, cacheSize: config.cacheSize });
  const catalog = createEntityCatalog(store);
  const bus = deps.bus ?? localBus();
  const counters = sharedHistoryCounters(createHistoryCounters(), bus);
  const dropInventory = (): void => {
    catalog.clear();
    engine.invalidate();
  };
  const unsubscribe = [
    store.onAuditCommit((events) => {
      if (events.some((e) => INVENTORY_EVENT.test(e.type))) dropInventory();
    }),
    bus.on('inventory', dropInventory),
  ];
  const policies = createPolicyService({
    store,
    audit: deps.audit,
    engine,
    now: deps.now,
    onError: deps.onError,
  });
  unsubscribe.push(
    bus.on(
      'policies',
      () => void policies.refresh().catch((err) => deps.onError(err, 'refreshing policies')),
    ),
  );
  const authorize = createAuthorizeService({
    engine,
    catalog,
    resolveSubject: createSubjectResolver({ catalog, accessTokens: deps.accessTokens, tasks: store.tasks }),
    approvals: deps.approvals,
    counters,
    clock: createClock(config.timeZone),
    audit: deps.audit,
    writer: deps.writer,
    now: deps.now,
    onError: deps.onError,
  });
  return {
    engine,
    catalog,
    counters,
    policies,
    authorize: authorize.authorize,
    /** Replays recent decisions against `files` (validated first); see policy-diff.ts. */
    async diff(files: PolicyFile[], limit = 1000) {
      const candidate = compileOrThrow(files);
      await policies.refresh();
      return diffPolicies({ audit: store.audit, catalog, engine }, policies.activeSet(), candidate, {
        limit,
      });
    },
    async close(): Promise<void> {
      for (const off of unsubscribe) off();
      await evaluator.close?.();
    },
  };
}

export type Authz = ReturnType<typeof createAuthz>;
