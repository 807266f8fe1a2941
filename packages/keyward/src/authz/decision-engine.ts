/**
 * The decision engine: evaluates a request (principal and resource slices, action, context) against
 * the active policy set, with a decision cache in front. The cache key is the principal, action,
 * resource and the context attributes the active policies read (history counts by their class among
 * the policies' thresholds, see context-use.ts); the whole cache is dropped on any policy or
 * inventory change. A deny that only `@approval("required")` forbids caused, and that the rest of
 * the set would allow, is marked `approvable`; the authorize service asks the approval gate.
 */
import type { Context, EntityJson, TypeAndId } from '@cedar-policy/cedar-wasm/nodejs';
import type { CedarEvaluator, CedarRequest, Evaluation } from './cedar-evaluator.js';
import { historyKey } from './context-use.js';
import type { DecisionContext } from './decision-context.js';
import { type EntitySlice, NS } from './entity-catalog.js';
import type { CompiledPolicySet } from './policy-set.js';

export interface EngineDecision {
  decision: 'allow' | 'deny';
  /** Denied only by approval-lifted forbids, and allowed once they are lifted. */
  approvable: boolean;
  policyIds: string[];
  reason: string;
  errors: string[];
  cached: boolean;
}

export interface DecisionEngineOptions {
  evaluator: CedarEvaluator;
  /** Most cached decisions kept (oldest dropped first); 0 disables the cache. Default 100,000. */
  cacheSize?: number;
}

const ARGS_UID: TypeAndId = { type: `${NS}::Arguments`, id: 'request' };

/** Arguments as entity tags: strings as they are, anything else as its JSON text. */
function argumentsEntity(args: Record<string, unknown> | undefined): EntityJson {
  const tags: Record<string, string> = {};
  if (args) {
    for (const [k, v] of Object.entries(args)) {
      if (v !== undefined) tags[k] = typeof v === 'string' ? v : JSON.stringify(v);
    }
  }
  return { uid: ARGS_UID, attrs: {}, parents: [], tags };
}

export function cedarRequest(
  principal: EntitySlice,
  action: string,
  resource: EntitySlice,
  ctx: DecisionContext,
): CedarRequest {
  const { arguments: args, ...rest } = ctx;
  return {
    principal: principal.uid,
    action: { type: `${NS}::Action`, id: action },
    resource: resource.uid,
    context: { ...rest, arguments: { __entity: ARGS_UID } } as unknown as Context,
    entities:
      principal.uid.type === resource.uid.type && principal.uid.id === resource.uid.id
        ? [...principal.entities, argumentsEntity(args)]
        : [...principal.entities, ...resource.entities, argumentsEntity(args)],
  };
}

function explain(e: Evaluation, approvable: boolean): string {
  if (e.errors.length > 0) return `denied: the request could not be evaluated (${e.errors[0]})`;
  if (approvable) return `requires approval (${e.reasons.join(', ')})`;
  if (e.decision === 'allow') return `permitted by ${e.reasons.join(', ')}`;
  return e.reasons.length > 0 ? `forbidden by ${e.reasons.join(', ')}` : 'no policy permits this request';
}

export function createDecisionEngine(options: DecisionEngineOptions) {
  const { evaluator } = options;
  const cacheSize = options.cacheSize ?? 100_000;
  let set: CompiledPolicySet | undefined;
  let cache = new Map<string, EngineDecision>();
  let hits = 0;
  let misses = 0;

  function keyOf(
    principal: EntitySlice,
    action: string,
    resource: EntitySlice,
    ctx: DecisionContext,
  ): string {
    let key = `${principal.uid.type}|${principal.uid.id}|${action}|${resource.uid.type}|${resource.uid.id}`;
    if (resource.kind === 'tool') key += `|${JSON.stringify(resource.entities[0]?.attrs)}`;
    const use = set?.contextUse;
    if (!use) return key;
    const c = ctx as unknown as Record<string, unknown>;
    if (use.attributes === 'all') {
      const { history, ...rest } = ctx;
      return `${key}|${JSON.stringify(rest)}|${historyKey(use, history)}`;
    }
    for (const attr of use.attributes) {
      key += attr === 'history' ? `|${historyKey(use, ctx.history)}` : `|${attr}=${JSON.stringify(c[attr])}`;
    }
    return key;
  }

  async function evaluate(
    s: CompiledPolicySet,
    principal: EntitySlice,
    action: string,
    resource: EntitySlice,
    ctx: DecisionContext,
  ): Promise<EngineDecision> {
    const request = cedarRequest(principal, action, resource, ctx);
    const full = await evaluator.evaluate(s.hash, request);
    let approvable = false;
    if (
      full.decision === 'deny' &&
      full.errors.length === 0 &&
      full.reasons.length > 0 &&
      full.reasons.every((id) => s.approvalIds.has(id))
    ) {
      const lifted = await evaluator.evaluate(`${s.hash}:lifted`, request);
      approvable = lifted.decision === 'allow' && lifted.errors.length === 0;
    }
    return {
      decision: full.decision,
      approvable,
      policyIds: full.reasons,
      reason: explain(full, approvable),
      errors: full.errors,
      cached: false,
    };
  }

  function current(): CompiledPolicySet {
    if (!set) throw new TypeError('the decision engine has no policy set loaded');
    return set;
  }

  return {
    /** Makes `next` the active set (preparsing it in every evaluator thread) and drops the cache. */
    setPolicySet(next: CompiledPolicySet): void {
      evaluator.load(next.hash, next.policies);
      evaluator.load(`${next.hash}:lifted`, next.lifted);
      set = next;
      cache = new Map();
    },
    policySet: current,
    /** The inventory changed: cached decisions may rest on stale attributes. */
    invalidate(): void {
      cache = new Map();
    },

    async decide(
      principal: EntitySlice,
      action: string,
      resource: EntitySlice,
      ctx: DecisionContext,
      useCache = cacheSize > 0,
    ): Promise<EngineDecision> {
      const s = current();
      if (!useCache) return evaluate(s, principal, action, resource, ctx);
      const key = keyOf(principal, action, resource, ctx);
      const hit = cache.get(key);
      if (hit) {
        hits++;
        return hit.cached ? hit : { ...hit, cached: true };
      }
      misses++;
      const generation = cache;
      const decided = await evaluate(s, principal, action, resource, ctx);
      // Only cache into the generation the request started in: a change meanwhile dropped it.
      if (generation === cache && decided.errors.length === 0) {
        if (cache.size >= cacheSize) cache.delete(cache.keys().next().value as string);
        cache.set(key, { ...decided, cached: true });
      }
      return decided;
    },

    /** The request re-evaluated with its approval granted: the lifted set, `context.approval` = approved. */
    decideApproved(
      principal: EntitySlice,
      action: string,
      resource: EntitySlice,
      ctx: DecisionContext,
    ): Promise<EngineDecision> {
      const s = current();
      const lifted: CompiledPolicySet = { ...s, hash: `${s.hash}:lifted`, approvalIds: new Set() };
      return evaluate(lifted, principal, action, resource, { ...ctx, approval: 'approved' });
    },

    /** Evaluates against another (candidate) set without touching the cache: `policy diff`. */
    decideWith(
      candidate: CompiledPolicySet,
      principal: EntitySlice,
      action: string,
      resource: EntitySlice,
      ctx: DecisionContext,
    ): Promise<EngineDecision> {
      evaluator.load(candidate.hash, candidate.policies);
      evaluator.load(`${candidate.hash}:lifted`, candidate.lifted);
      return evaluate(candidate, principal, action, resource, ctx);
    },

    stats: () => ({ cacheEntries: cache.size, hits, misses }),
  };
}

export type DecisionEngine = ReturnType<typeof createDecisionEngine>;
