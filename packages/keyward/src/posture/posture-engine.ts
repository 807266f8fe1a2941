/**
 * The posture findings engine: evaluates every posture rule (posture-rules.ts) on every identity,
 * or incrementally on a few, and reconciles the hits with the stored findings of those rules
 * (posture-reconcile.ts). Everything slow (loading, graph reach, rule evaluation) happens outside
 * transactions; each chunk of identities then writes its changes in one transaction.
 */
import type { Identity } from '@keyward/sdk';
import type { AuditRecorder } from '../audit/audit-recorder.js';
import type { Finding } from '../discovery/discovery-types.js';
import { notFound } from '../errors.js';
import type { GraphIndex } from '../graph/graph-index.js';
import type { Store } from '../storage/storage-types.js';
import { loadUsedPairs } from './grant-usage.js';
import { contextOf, loadAll, loadFor, PostureData, pages } from './posture-context.js';
import { createReconciler, needsWrite, type PostureCounts, type RuleHit } from './posture-reconcile.js';
import {
  DAY_MS,
  DEFAULT_POSTURE_CONFIG,
  type PostureConfig,
  type PostureRule,
  type ReachTotals,
} from './posture-rule.js';
import { POSTURE_RULES } from './posture-rules.js';

const CHUNK = 1000;
const RESOLVE_CHUNK = 500;
/** Past this many nodes to invalidate, the whole reach cache is dropped instead. */
const STALE_LIMIT = 50_000;

export interface PostureEngineDeps {
  store: Store;
  index: GraphIndex;
  audit: AuditRecorder;
  now: () => Date;
  config?: Partial<PostureConfig> | undefined;
  rules?: readonly PostureRule[] | undefined;
}

export interface EvaluateOptions {
  /** Only these identities (incremental); absent: the whole estate. */
  identityIds?: readonly string[] | undefined;
}

export function createPostureEngine({
  store,
  index,
  audit,
  now,
  config,
  rules = POSTURE_RULES,
}: PostureEngineDeps) {
  const settings: PostureConfig = { ...DEFAULT_POSTURE_CONFIG, ...config };
  const ruleIds = new Set(rules.map((r) => r.id));
  const reconciler = createReconciler(audit);
  // Reach is the costly part (a traversal per broadly-granted identity); while the graph does not
  // change, a re-evaluation reuses what the last one computed.
  const reach = { changes: -1, cache: new Map<string, ReachTotals>() };

  // Evaluations run one at a time: the watcher's incremental ones, the maintenance round's full
  // one and on-demand calls all reconcile the same findings, and two at once could both open one.
  let queue: Promise<unknown> = Promise.resolve();
  function evaluate(actor: string, options: EvaluateOptions = {}): Promise<PostureCounts> {
    const run = queue.then(() => evaluateNow(actor, options));
    queue = run.catch(() => undefined);
    return run;
  }

  async function evaluateNow(actor: string, options: EvaluateOptions): Promise<PostureCounts> {
    const started = performance.now();
    const at = now();
    const iso = at.toISOString();
    const data = new PostureData();
    const known = new Map<string, Finding>();
    let identities: Identity[];
    if (options.identityIds) {
      const ids = [...new Set(options.identityIds)];
      identities = await store.identities.getMany(ids);
      const found = new Set(identities.map((i) => i.id));
      const missing = ids.find((id) => !found.has(id));
      if (missing) throw notFound('identity', missing);
      await loadFor(store, index, data, identities);
      for (const id of ids) {
        for await (const batch of pages((p) => store.findings.list({ identityId: id }, p)))
          for (const f of batch) if (ruleIds.has(f.rule)) known.set(f.dedupKey, f);
      }
    } else {
      identities = [];
      for await (const batch of pages((p) => store.identities.list({}, p))) identities.push(...batch);
      await loadAll(store, data, identities);
      for (const rule of rules) {
        for await (const batch of pages((p) => store.findings.list({ rule: rule.id }, p)))
          for (const f of batch) known.set(f.dedupKey, f);
      }
    }
    // What the identities used in the observation window (NHI5 unused-grants): one audit walk.
    const since = new Date(at.getTime() - settings.observationDays * DAY_MS).toISOString();
    const single = options.identityIds && identities.length === 1 ? identities[0]!.id : undefined;
    for (const [id, used] of await loadUsedPairs(store, since, single)) data.usage.set(id, used);
    if (reach.changes !== index.changes) {
      // Only identities with a path to a changed node can reach something else now.
      const stale = reach.cache.size > 0 ? index.staleSince(reach.changes, STALE_LIMIT) : undefined;
      if (stale) for (const id of stale) reach.cache.delete(id);
      else reach.cache.clear();
      reach.changes = index.changes;
    }
    const ctx = contextOf(data, index, settings, at.getTime(), reach.cache);
    const counts: PostureCounts = {
      evaluated: identities.length,
      opened: 0,
      updated: 0,
      resolved: 0,
      reopened: 0,
      byCode: {},
      ms: 0,
    };
    const seen = new Set<string>();
    for (let start = 0; start < identities.length; start += CHUNK) {
      const hits: RuleHit[] = [];
      for (const identity of identities.slice(start, start + CHUNK)) {
        for (const rule of rules) {
          for (const h of rule.evaluate(ctx, identity)) {
            if (seen.has(h.dedupKey)) continue;
            seen.add(h.dedupKey);
            hits.push({ ...h, rule, identityId: identity.id });
            counts.byCode[rule.code] = (counts.byCode[rule.code] ?? 0) + 1;
          }
        }
      }
      const writes = hits.filter((h) => needsWrite(known.get(h.dedupKey), h, iso));
      if (writes.length === 0) continue;
      await store.transaction(async (tx) => {
        for (const h of writes) await reconciler.applyHit(tx, actor, h, known, iso, counts);
      });
    }
    const cleared = [...known.values()].filter((f) => f.status !== 'resolved' && !seen.has(f.dedupKey));
    for (let start = 0; start < cleared.length; start += RESOLVE_CHUNK) {
      const chunk = cleared.slice(start, start + RESOLVE_CHUNK);
      await store.transaction((tx) => reconciler.resolveCleared(tx, actor, chunk, known, iso, counts));
    }
    counts.ms = Math.round(performance.now() - started);
    return counts;
  }

  return { evaluate, rules, config: settings };
}

export type PostureEngine = ReturnType<typeof createPostureEngine>;
