/**
 * The alert rules: one observation against its identity's baseline. Baseline-relative kinds (scope
 * drift, new source, off hours, rate and volume spikes, interactive timing) wait until the baseline
 * has learned; kinds that need no baseline (browser user agent, owner has left, escalation attempts,
 * repeated denials, dormant reactivation) fire from the first event. `learn` then folds the
 * observation into the baseline, after the rules have seen it.
 */
import type { AlertKind, AlertSeverity } from './alert-types.js';
import type { DetectionConfig } from './detection-config.js';
import type { Observation } from './event-observation.js';
import { isBrowserUserAgent, looksInteractive, TIMING_WINDOW } from './human-use.js';
import type { IdentityBaseline } from './identity-baseline.js';
import type { IdentityInfo, TargetInfo } from './inventory-resolver.js';

export interface Finding {
  identityId: string;
  kind: AlertKind;
  severity: AlertSeverity;
  title: string;
  explanation: string;
  baseline: Record<string, unknown>;
  observed: Record<string, unknown>;
  eventId: string;
  at: number;
}

/** Records one finding of the event being evaluated. */
type AddFinding = (
  kind: AlertKind,
  severity: AlertSeverity,
  title: string,
  explanation: string,
  baseline: Record<string, unknown>,
  observed: Record<string, unknown>,
) => void;

const DAY = 86_400_000;
const MINUTE = 60_000;
const HIGH = new Set(['high', 'critical']);
const keysOf = (m: Map<string, number>, max = 20): string[] => [...m.keys()].slice(0, max);
const iso = (ms: number): string => new Date(ms).toISOString();
const strip = (key: string): string => key.slice(key.indexOf(':') + 1);

/** What every rule sees: the baseline, the observation, and where findings go. */
interface RuleInput {
  b: IdentityBaseline;
  o: Observation;
  target: TargetInfo | undefined;
  who: IdentityInfo | undefined;
  cfg: DetectionConfig;
  name: string;
  add: AddFinding;
}
type Rule = (r: RuleInput) => void;

function dormant({ b, o, cfg, name, add }: RuleInput): void {
  if (b.events < 10 || o.at - b.lastMs < cfg.dormantDays * DAY) return;
  const days = Math.floor((o.at - b.lastMs) / DAY);
  add(
    'dormant_reactivated',
    'high',
    `${name} active again after ${days} days`,
    `${name} had been silent since ${iso(b.lastMs)} (${days} days) and is in use again: a forgotten credential being used is a common way in.`,
    { lastActivity: iso(b.lastMs), dormantDays: cfg.dormantDays },
    { at: iso(o.at), type: o.type },
  );
}

function orphaned({ o, who, name, add }: RuleInput): void {
  if (who?.ownerActive !== false) return;
  add(
    'orphaned_owner',
    'high',
    `${name} used although its owner has left`,
    `${name} is owned by ${who.ownerId}, who is recorded as inactive; nobody accountable should be running it. Reassign or disable it.`,
    { ownerId: who.ownerId, ownerActive: false },
    { at: iso(o.at), type: o.type },
  );
}

function browser({ o, name, add }: RuleInput): void {
  if (!isBrowserUserAgent(o.userAgent)) return;
  add(
    'human_use',
    'high',
    `${name} used from a web browser`,
    `A request as ${name} came with a browser user agent (${o.userAgent}): a person is using a non-human identity's credential.`,
    { userAgents: 'automation only' },
    { userAgent: o.userAgent, network: o.network && strip(o.network) },
  );
}

const whatWasDone = (o: Observation): string => (o.action ? `${o.type}, ${o.action}` : o.type);

function escalation({ o, name, add }: RuleInput): void {
  if (!o.escalation) return;
  add(
    'escalation_attempt',
    'high',
    `${name} tried to escalate its access`,
    `${name} attempted to get more access than it was granted (${whatWasDone(o)}).`,
    {},
    { type: o.type, action: o.action, target: o.targetId, outcome: o.outcome },
  );
}

function denials({ b, o, cfg, name, add }: RuleInput): void {
  if (o.outcome === 'success') return;
  const since = o.at - cfg.denialWindowMinutes * MINUTE;
  // Events come in commit order, so the expired ones are at the front: a flood of denials keeps a
  // long window, and trimming the front is cheaper than filtering all of it for every event.
  let expired = 0;
  while (expired < b.denials.length && b.denials[expired]! < since) expired++;
  if (expired > 0) b.denials.splice(0, expired);
  b.denials.push(o.at);
  if (b.denials.length < cfg.denialThreshold) return;
  add(
    'repeated_denials',
    'medium',
    `${name} refused ${b.denials.length} times in ${cfg.denialWindowMinutes} min`,
    `${name} was denied or failed ${b.denials.length} times within ${cfg.denialWindowMinutes} minutes (last: ${o.action ? `${o.type} ${o.action}` : o.type}): probing for access it does not have.`,
    { threshold: cfg.denialThreshold, windowMinutes: cfg.denialWindowMinutes },
    { denials: b.denials.length, type: o.type, action: o.action, target: o.targetId },
  );
}

function newSource({ b, o, cfg, name, add }: RuleInput): void {
  const newNetwork = o.network !== undefined && !b.has('networks', o.network);
  const newWorkload = o.workload !== undefined && !b.has('workloads', `workload:${o.workload}`);
  if (!newNetwork && !newWorkload) return;
  const what = newNetwork ? strip(o.network!) : o.workload!;
  const known = [...keysOf(b.sets.networks), ...keysOf(b.sets.workloads)].map(strip).join(', ');
  add(
    'new_source',
    'medium',
    `${name} used from a new source ${what}`,
    `${name} has only been used from ${known || 'no recorded source'} in the last ${cfg.windowDays} days; this request came from ${what}.`,
    { networks: keysOf(b.sets.networks).map(strip), workloads: keysOf(b.sets.workloads).map(strip) },
    { network: o.network && strip(o.network), workload: o.workload, userAgent: o.userAgent },
  );
}

/** New system or resource class; else a new tool; else a deeper delegation chain. */
function scopeDrift({ b, o, target, cfg, name, add }: RuleInput): void {
  const newSystem = target?.system !== undefined && !b.has('systems', target.system);
  const newClass = target?.resourceClass !== undefined && !b.has('classes', target.resourceClass);
  if (target && (newSystem || newClass)) {
    const reached = newSystem
      ? `a new system ${target.system}`
      : `a new kind of resource (${target.resourceClass})`;
    const where = newSystem ? `in system ${target.system}, which it never used` : 'of a class it never used';
    add(
      'scope_drift',
      HIGH.has(target.sensitivity ?? '') ? 'high' : 'medium',
      `${name} reached ${reached}`,
      `${name} reached ${o.targetId} (${target.resourceClass ?? 'unknown class'}, sensitivity ${target.sensitivity ?? 'unknown'}) ${where} in the last ${cfg.windowDays} days.`,
      { systems: keysOf(b.sets.systems), resourceClasses: keysOf(b.sets.classes) },
      {
        target: o.targetId,
        system: target.system,
        resourceClass: target.resourceClass,
        sensitivity: target.sensitivity,
        action: o.action,
      },
    );
  } else if (o.tool !== undefined && !b.has('tools', o.tool)) {
    add(
      'scope_drift',
      'low',
      `${name} used a new tool ${o.tool}`,
      `${name} called ${o.tool}, a tool it has not used in the last ${cfg.windowDays} days.`,
      { tools: keysOf(b.sets.tools) },
      { tool: o.tool },
    );
  } else if (o.depth > b.maxDepth) {
    add(
      'scope_drift',
      'medium',
      `${name} acted through a deeper delegation chain (${o.depth})`,
      `${name} acted at delegation depth ${o.depth}; its deepest chain so far was ${b.maxDepth}.`,
      { maxDepth: b.maxDepth },
      { depth: o.depth },
    );
  }
}

function offHours({ b, o, name, add }: RuleInput): void {
  if (b.usualHour(o.at)) return;
  const hour = new Date(o.at).getUTCHours();
  const usual = b.hours.flatMap((seen, h) => (seen > 0 ? [h] : []));
  add(
    'off_hours',
    'low',
    `${name} active at an unusual hour (${hour}:00 UTC)`,
    `${name} is normally active at ${usual.join(', ')} h UTC; this event was at ${iso(o.at)}.`,
    { activeHoursUtc: usual },
    { at: iso(o.at), hourUtc: hour },
  );
}

function humanPace({ b, o, name, add }: RuleInput): void {
  if (b.irregular || o.workload !== undefined || !looksInteractive(b.recent)) return;
  add(
    'human_use',
    'medium',
    `${name} used at a human pace`,
    `The last ${TIMING_WINDOW} requests as ${name} came seconds to minutes apart at irregular intervals, like a person at a console; it has only shown machine timing before.`,
    { timing: 'regular or burst' },
    { times: b.recent.slice(-TIMING_WINDOW).map(iso) },
  );
}

const rates: Rule = ({ b, o, cfg, name, add }) => rateRules(b, o, cfg, name, add);

/** Rules that need no baseline, then (once it has learned) the baseline-relative ones, in order. */
const ALWAYS: readonly Rule[] = [dormant, orphaned, browser, escalation, denials];
const LEARNED: readonly Rule[] = [newSource, scopeDrift, offHours, rates, humanPace];

/** The findings of one observation: each rule in turn (see ALWAYS and LEARNED). */
export function evaluate(
  b: IdentityBaseline,
  o: Observation,
  target: TargetInfo | undefined,
  who: IdentityInfo | undefined,
  cfg: DetectionConfig,
): Finding[] {
  const out: Finding[] = [];
  const add: AddFinding = (kind, severity, title, explanation, baseline, observed) =>
    out.push({
      identityId: o.identityId,
      kind,
      severity,
      title,
      explanation,
      baseline,
      observed,
      eventId: o.eventId,
      at: o.at,
    });
  const input: RuleInput = { b, o, target, who, cfg, name: who?.name ?? o.identityId, add };
  for (const rule of ALWAYS) rule(input);
  if (b.learned) for (const rule of LEARNED) rule(input);
  return out;
}

function rateRules(
  b: IdentityBaseline,
  o: Observation,
  cfg: DetectionConfig,
  name: string,
  add: AddFinding,
): void {
  const overMinute = b.minuteCount > cfg.minPerMinute;
  const overHour = b.hourCount > cfg.minPerHour;
  const overBytes = b.hourBytes > cfg.minBytesPerHour;
  const overRecords = b.hourRecords > cfg.minRecordsPerHour;
  if (!(overMinute || overHour || overBytes || overRecords)) return;
  const m = b.maxima();
  if (
    (overMinute && b.minuteCount > cfg.rateFactor * m.perMinute) ||
    (overHour && b.hourCount > cfg.rateFactor * m.perHour)
  ) {
    add(
      'rate_spike',
      'medium',
      `${name} request rate spiked`,
      `${name} made ${b.minuteCount} requests this minute and ${b.hourCount} this hour; its busiest minute and hour in the last ${cfg.windowDays} days had ${m.perMinute} and ${m.perHour}.`,
      { maxPerMinute: m.perMinute, maxPerHour: m.perHour },
      { perMinute: b.minuteCount, perHour: b.hourCount },
    );
  }
  if (
    (overBytes && b.hourBytes > cfg.volumeFactor * m.bytesPerHour) ||
    (overRecords && b.hourRecords > cfg.volumeFactor * m.recordsPerHour)
  ) {
    add(
      'volume_spike',
      'high',
      `${name} moved an unusual volume of data`,
      `${name} moved ${b.hourBytes} bytes (${b.hourRecords} records) this hour; its largest hour in the last ${cfg.windowDays} days was ${m.bytesPerHour} bytes (${m.recordsPerHour} records). Data leaving in volume is the impact stage of a breach.`,
      { maxBytesPerHour: m.bytesPerHour, maxRecordsPerHour: m.recordsPerHour },
      { bytesThisHour: b.hourBytes, recordsThisHour: b.hourRecords, target: o.targetId },
    );
  }
}

/** Folds the observation into the baseline (after `evaluate` has seen it). */
export function learn(
  b: IdentityBaseline,
  o: Observation,
  target: TargetInfo | undefined,
  cfg: DetectionConfig,
): void {
  b.remember('systems', target?.system, o.at);
  b.remember('classes', target?.resourceClass, o.at);
  b.remember('actions', o.action ?? o.type, o.at);
  b.remember('networks', o.network, o.at);
  b.remember('workloads', o.workload && `workload:${o.workload}`, o.at);
  b.remember('tools', o.tool, o.at);
  if (o.depth > b.maxDepth) b.maxDepth = o.depth;
  if (!b.learned && !b.irregular && o.workload === undefined && looksInteractive(b.recent)) {
    b.irregular = true;
  }
  b.touch(o.at, cfg.windowDays * DAY);
  if (!b.learned && b.events >= cfg.learningEvents && b.lastMs - b.firstMs >= cfg.learningDays * DAY) {
    b.learned = true;
  }
}

/** Updates the live counters and timing ring; runs before `evaluate` so the rules see this event. */
export function count(b: IdentityBaseline, o: Observation): void {
  b.count(o.at, o.bytes, o.records);
  b.recent.push(o.at);
  if (b.recent.length > TIMING_WINDOW) b.recent.shift();
}
