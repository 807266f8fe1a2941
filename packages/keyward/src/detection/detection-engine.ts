/**
 * The detection engine: per-identity baselines in memory, fed audit events in commit order. For each
 * event of an identity it updates the live counters, runs the rules against the baseline, then
 * learns the event. Every anomalous event yields a finding; the alert service merges the findings of
 * one identity and kind within the suppression window into one alert. Synchronous on the hot
 * path: the inventory is resolved beforehand (`process` prefetches the ids a batch names).
 */
import type { AuditEvent } from '../audit/audit-types.js';
import type { AlertKind } from './alert-types.js';
import { count, evaluate, type Finding, learn } from './behaviour-rules.js';
import { DEFAULT_DETECTION_CONFIG, type DetectionConfig } from './detection-config.js';
import { observe } from './event-observation.js';
import { type BaselineJson, IdentityBaseline } from './identity-baseline.js';
import type { InventoryResolver } from './inventory-resolver.js';

export interface DetectionEngine {
  readonly config: DetectionConfig;
  /** Resolves the inventory the events name, then `processResolved`. */
  process(events: readonly AuditEvent[], learnOnly?: boolean): Promise<Finding[]>;
  /** Runs the rules and learns; with `learnOnly`, learns without running the rules (bootstrap). */
  processResolved(events: readonly AuditEvent[], learnOnly?: boolean): Finding[];
  baseline(identityId: string): IdentityBaseline | undefined;
  /** Installs a persisted baseline (at start). */
  load(identityId: string, json: BaselineJson): void;
  /** Identities whose baseline changed since the last call (and clears the set). */
  takeDirty(): string[];
  size(): number;
}

export function createDetectionEngine(
  resolver: InventoryResolver,
  config: Partial<DetectionConfig> = {},
): DetectionEngine {
  const cfg: DetectionConfig = { ...DEFAULT_DETECTION_CONFIG, ...config };
  const baselines = new Map<string, IdentityBaseline>();
  let dirty = new Set<string>();

  function processResolved(events: readonly AuditEvent[], learnOnly = false): Finding[] {
    const findings: Finding[] = [];
    for (const e of events) {
      const o = observe(e);
      if (!o) continue;
      let b = baselines.get(o.identityId);
      if (!b) {
        b = new IdentityBaseline();
        baselines.set(o.identityId, b);
      }
      const target = o.targetId === null ? undefined : resolver.target(o.targetId);
      count(b, o);
      if (!learnOnly) {
        for (const f of evaluate(b, o, target, resolver.identity(o.identityId), cfg)) findings.push(f);
      }
      learn(b, o, target, cfg);
      dirty.add(o.identityId);
    }
    return findings;
  }

  return {
    config: cfg,
    async process(events, learnOnly = false) {
      const targets: string[] = [];
      const identities: string[] = [];
      for (const e of events) {
        if (!e.actor.startsWith('nhi_')) continue;
        identities.push(e.actor);
        if (e.targetId !== null) targets.push(e.targetId);
      }
      if (identities.length > 0) await resolver.prefetch(targets, identities);
      return processResolved(events, learnOnly);
    },
    processResolved,
    baseline: (id) => baselines.get(id),
    load(id, json) {
      baselines.set(id, IdentityBaseline.fromJSON(json));
    },
    takeDirty() {
      const out = [...dirty];
      dirty = new Set();
      return out;
    },
    size: () => baselines.size,
  };
}

export type { AlertKind, Finding };
