/**
 * `keyward policy diff`: replays recent real decision requests from the audit log (the request
 * each `authz.decision` event stored: principal, action, resource and the Cedar context as it was,
 * history counts and time included) against the active set and a candidate set, with today's
 * inventory, and lists every request whose outcome would change. Identical requests are replayed
 * once and counted. Requests Keyward refused before Cedar (unknown subject, outside the task's
 * scopes) do not depend on policies and are not replayed.
 */
import type { AuditStore } from '../storage/storage-types.js';
import type { DecisionContext } from './decision-context.js';
import type { DecisionEngine, EngineDecision } from './decision-engine.js';
import {
  type CatalogKind,
  type EntityCatalog,
  type EntitySlice,
  type ToolProperties,
  toolSlice,
} from './entity-catalog.js';
import type { CompiledPolicySet } from './policy-set.js';

export interface DiffChange {
  decisionId: string;
  time: string;
  /** How many recorded requests were identical to this one. */
  count: number;
  principal: string;
  action: string;
  resource: string;
  recorded: string;
  current: string;
  candidate: string;
  candidatePolicyIds: string[];
  candidateReason: string;
}

export interface DiffReport {
  replayed: number;
  distinct: number;
  skipped: number;
  changed: number;
  changes: DiffChange[];
}

interface StoredRequest {
  subject?: { type?: string; id?: string };
  action?: string;
  resource?: { type?: string; id?: string; properties?: ToolProperties };
  context?: DecisionContext;
}

const outcomeOf = (d: EngineDecision): string =>
  d.decision === 'allow' ? 'allow' : d.approvable ? 'approval_required' : 'deny';

export interface PolicyDiffDeps {
  audit: Pick<AuditStore, 'head' | 'list'>;
  catalog: EntityCatalog;
  engine: Pick<DecisionEngine, 'decideWith'>;
}

export async function diffPolicies(
  deps: PolicyDiffDeps,
  current: CompiledPolicySet,
  candidate: CompiledPolicySet,
  options: { limit: number },
): Promise<DiffReport> {
  const head = await deps.audit.head();
  // The newest decisions: scan a window of the log ending at the head, keep the last `limit`.
  const window = Math.max(options.limit * 4, 1000);
  const events = (
    await deps.audit.list({ type: 'authz.decision', afterSeq: Math.max(0, head.seq - window) }, window)
  ).slice(-options.limit);
  const seen = new Map<string, DiffChange | null>();
  let skipped = 0;
  let replayed = 0;
  for (const event of events.reverse()) {
    const req = (event.details.request ?? {}) as StoredRequest;
    const principal = await slice(deps.catalog, req.subject?.type, req.subject?.id);
    const resource =
      req.resource?.type === 'tool' && req.resource.id
        ? toolSlice(req.resource.id, req.resource.properties ?? {})
        : await slice(deps.catalog, req.resource?.type, req.resource?.id);
    if (!principal || !resource || !req.action || !req.context) {
      skipped++;
      continue;
    }
    replayed++;
    const key = JSON.stringify([
      principal.uid,
      req.action,
      resource.uid,
      resource.entities[0]?.attrs,
      req.context,
    ]);
    const known = seen.get(key);
    if (known !== undefined) {
      if (known) known.count++;
      continue;
    }
    const [now, next] = await Promise.all([
      deps.engine.decideWith(current, principal, req.action, resource, req.context),
      deps.engine.decideWith(candidate, principal, req.action, resource, req.context),
    ]);
    const change =
      outcomeOf(now) === outcomeOf(next)
        ? null
        : {
            decisionId: event.id,
            time: event.time,
            count: 1,
            principal: `${principal.uid.type}::"${principal.uid.id}"`,
            action: req.action,
            resource: `${resource.uid.type}::"${resource.uid.id}"`,
            recorded: String(event.details.outcome ?? ''),
            current: outcomeOf(now),
            candidate: outcomeOf(next),
            candidatePolicyIds: next.policyIds,
            candidateReason: next.reason,
          };
    seen.set(key, change);
  }
  const changes = [...seen.values()].filter((c): c is DiffChange => c !== null);
  return { replayed, distinct: seen.size, skipped, changed: changes.length, changes };
}

async function slice(
  catalog: EntityCatalog,
  type: string | undefined,
  id: string | undefined,
): Promise<EntitySlice | undefined> {
  if (!id || !type || !['identity', 'human', 'resource', 'system'].includes(type)) return undefined;
  return catalog.get(type as CatalogKind, id);
}
