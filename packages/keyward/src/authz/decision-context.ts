/**
 * The Cedar context of a request (see `RequestContext` in keyward.cedarschema), built from what the
 * authorize service established (task, delegation chain, source …), the clock in the configured
 * time zone, and the history counts. `arguments` stays a plain record here; the engine turns it
 * into the `Keyward::Arguments` entity (one tag per top-level argument) when it evaluates, and
 * stores the plain form in the audit so a decision can be replayed.
 */
import type { EntitySlice } from './entity-catalog.js';
import type { HistoryCounters } from './history-counters.js';

export interface TaskFacts {
  id: string;
  intent: string;
  scopes: string[];
  environment: string;
  sponsor: string;
  in_scope: boolean;
}

export interface RequestFacts {
  environment: string;
  task: TaskFacts | null;
  delegationChain: string[];
  sourceIp: string;
  userAgent: string;
  subjectType: 'token' | 'identity' | 'human';
  listing: boolean;
  arguments: Record<string, unknown> | undefined;
}

export const HISTORY_FIELDS = [
  'same_class_1m',
  'same_class_10m',
  'same_class_60m',
  'same_resource_10m',
  'all_10m',
  'denied_10m',
] as const;
export type HistoryCounts = Record<(typeof HISTORY_FIELDS)[number], number>;

/** The Cedar context with `arguments` as the plain record (or absent). JSON-safe, replayable. */
export interface DecisionContext {
  environment: string;
  time: { hour: number; weekday: number };
  task?: TaskFacts;
  delegation_chain: string[];
  delegation_depth: number;
  source_ip: string;
  user_agent: string;
  subject_type: string;
  approval: 'none' | 'approved';
  listing: boolean;
  history: HistoryCounts;
  arguments?: Record<string, unknown>;
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** Hour and weekday of an instant in a time zone; UTC is computed directly, others once a minute. */
export function createClock(timeZone: string): (at: Date) => { hour: number; weekday: number } {
  if (timeZone === 'UTC') return (at) => ({ hour: at.getUTCHours(), weekday: at.getUTCDay() });
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hour: 'numeric',
    hourCycle: 'h23',
    weekday: 'short',
  });
  let minute = -1;
  let last = { hour: 0, weekday: 0 };
  return (at) => {
    const m = Math.floor(at.getTime() / 60_000);
    if (m !== minute) {
      const parts = format.formatToParts(at);
      last = {
        hour: Number(parts.find((p) => p.type === 'hour')?.value ?? 0),
        weekday: WEEKDAYS[parts.find((p) => p.type === 'weekday')?.value ?? 'Sun'] ?? 0,
      };
      minute = m;
    }
    return last;
  };
}

/** The history keys a decision reads and, once decided, feeds. */
export function historyKeys(principal: EntitySlice, action: string, resource: EntitySlice) {
  const p = principal.id;
  return {
    sameClass: `c|${p}|${action}|${resource.historyClass}`,
    sameResource: `r|${p}|${action}|${resource.uid.type}|${resource.id}`,
    all: `a|${p}`,
    denied: `d|${p}`,
  };
}

export function historyCounts(
  counters: HistoryCounters,
  keys: ReturnType<typeof historyKeys>,
  at: number,
): HistoryCounts {
  // Keys in sorted order, as in decisionContext: the audit's canonical JSON then reuses the object.
  return {
    all_10m: counters.count(keys.all, 10, at),
    denied_10m: counters.count(keys.denied, 10, at),
    same_class_10m: counters.count(keys.sameClass, 10, at),
    same_class_1m: counters.count(keys.sameClass, 1, at),
    same_class_60m: counters.count(keys.sameClass, 60, at),
    same_resource_10m: counters.count(keys.sameResource, 10, at),
  };
}

export function decisionContext(
  facts: RequestFacts,
  time: { hour: number; weekday: number },
  history: HistoryCounts,
): DecisionContext {
  // Members added in sorted key order (the optional ones in their place): every decision's context
  // goes into its audit event, whose canonical JSON is then V8's JSON.stringify of this very object,
  // not of a sorted copy (audit/audit-hash.ts).
  const ctx = { approval: 'none' } as DecisionContext;
  if (facts.arguments !== undefined) ctx.arguments = facts.arguments;
  ctx.delegation_chain = facts.delegationChain;
  ctx.delegation_depth = facts.delegationChain.length;
  ctx.environment = facts.environment;
  ctx.history = history;
  ctx.listing = facts.listing;
  ctx.source_ip = facts.sourceIp;
  ctx.subject_type = facts.subjectType;
  if (facts.task) ctx.task = facts.task;
  ctx.time = time;
  ctx.user_agent = facts.userAgent;
  return ctx;
}
