/**
 * Alerts: raising them from the engine's findings (one alert per incident: findings of an identity
 * and kind join its unresolved alert while they keep coming within the suppression window), and
 * their lifecycle open → acknowledged → resolved. Raising an alert commits, in one transaction, the
 * alert, its `alert.raised` audit event (which the audit sinks — webhook, file, OCSF — deliver) and
 * its Security Event Token on the feed. Acknowledging and resolving are audited the same way.
 *
 * Joins that only add to an alert already known open (same or lower severity) are held for up to
 * `joinDelayMs` and committed together: under sustained findings (a busy identity denied again and
 * again) a commit per detection pass was a tenth of the decision path's CPU. Anything new — an alert,
 * a worse severity — commits at once; every read and transition commits the held joins first, so
 * the API never shows an alert behind its findings; detection flushes them before it persists its
 * cursor, so a crash loses none (the catch-up re-reads every event past the cursor).
 */
import type { Page, PageRequest } from '@keyward/sdk';
import type { AuditRecorder } from '../audit/audit-recorder.js';
import { KeywardError, notFound } from '../errors.js';
import { newId } from '../ids.js';
import { isStorageError } from '../storage/storage-errors.js';
import type { Store, StoreTx } from '../storage/storage-types.js';
import { alertSetClaims } from './alert-set.js';
import type { Alert, AlertFilter } from './alert-types.js';
import type { Finding } from './behaviour-rules.js';

export interface AlertServiceDeps {
  store: Store;
  audit: AuditRecorder;
  now: () => Date;
  issuer: () => string;
  signSecurityEvent: (claims: Record<string, unknown>) => string;
  /** Pokes the SET feed after a commit. */
  poke: () => Promise<void>;
  suppressMinutes: number;
  /** How long joins to a known open alert may wait to be committed together (default 1000; 0: never). */
  joinDelayMs?: number;
}

const MAX_EVENT_IDS = 50;
/** One incident per identity and kind: the key of held joins and of the last-known alert. */
const incidentKey = (a: { identityId: string; kind: string }): string => `${a.identityId}|${a.kind}`;
const SEVERITY_RANK = { low: 0, medium: 1, high: 2, critical: 3 } as const;

export function createAlertService(deps: AlertServiceDeps) {
  const { store, audit, now } = deps;
  const suppressMs = deps.suppressMinutes * 60_000;

  async function publish(tx: StoreTx, alert: Alert): Promise<void> {
    const jti = newId('revocationEvent');
    await tx.revocationEvents.append({
      id: jti,
      kind: 'alert',
      subjectId: alert.identityId,
      reason: alert.title,
      set: deps.signSecurityEvent(alertSetClaims(deps.issuer(), jti, alert)),
      createdAt: alert.createdAt,
    });
  }

  function join(alert: Alert, group: Finding[]): Alert {
    const last = group[group.length - 1]!;
    const ids = [...alert.eventIds];
    for (const f of group) if (ids.length < MAX_EVENT_IDS && !ids.includes(f.eventId)) ids.push(f.eventId);
    const worst = group.reduce(
      (s, f) => (SEVERITY_RANK[f.severity] > SEVERITY_RANK[s] ? f.severity : s),
      alert.severity,
    );
    return {
      ...alert,
      severity: worst,
      eventIds: ids,
      eventCount: alert.eventCount + group.length,
      lastSeenAt: new Date(Math.max(Date.parse(alert.lastSeenAt), last.at)).toISOString(),
      observed: { ...alert.observed, latest: last.observed },
      updatedAt: now().toISOString(),
    };
  }

  function fresh(group: Finding[]): Alert {
    const first = group[0]!;
    const at = now().toISOString();
    const base = join(
      {
        id: newId('alert'),
        identityId: first.identityId,
        kind: first.kind,
        severity: first.severity,
        status: 'open',
        title: first.title,
        explanation: first.explanation,
        baseline: first.baseline,
        observed: first.observed,
        eventIds: [],
        eventCount: 0,
        firstSeenAt: new Date(first.at).toISOString(),
        lastSeenAt: new Date(first.at).toISOString(),
        createdAt: at,
        updatedAt: at,
        acknowledgedBy: null,
        acknowledgedAt: null,
        resolvedBy: null,
        resolvedAt: null,
        note: null,
        version: 1,
      },
      group,
    );
    return group.length === 1 ? { ...base, observed: first.observed } : base;
  }

  /**
   * The last version of each (identity, kind) alert this process wrote. A stream of findings joins
   * its open alert from here, without a lookup per batch; a stale entry (acknowledged, resolved,
   * rolled back or changed by another replica) fails the versioned update and is read afresh.
   */
  const lastKnown = new Map<string, Alert>();

  /** Joins `group` to the identity's open alert of that kind, if one is recent enough. */
  async function joinOpen(tx: StoreTx, key: string, group: Finding[]): Promise<boolean> {
    const first = group[0]!;
    const recent = (a: Alert | undefined): a is Alert =>
      a !== undefined && a.status !== 'resolved' && first.at - Date.parse(a.lastSeenAt) <= suppressMs;
    const cached = lastKnown.get(key);
    if (recent(cached)) {
      try {
        lastKnown.set(key, await tx.alerts.update(join(cached, group)));
        return true;
      } catch (err) {
        if (!isStorageError(err, 'version_conflict')) throw err;
      }
    }
    lastKnown.delete(key);
    const open = await tx.alerts.findUnresolved(first.identityId, first.kind);
    if (!recent(open)) return false;
    lastKnown.set(key, await tx.alerts.update(join(open, group)));
    return true;
  }

  const joinDelayMs = deps.joinDelayMs ?? 1000;
  /** Findings held to join their known open alert, by key; committed by flush(). */
  let held = new Map<string, Finding[]>();
  let flushTimer: NodeJS.Timeout | undefined;

  /** Whether `group` only adds to an alert this process knows is open, without worsening it. */
  function canHold(key: string, group: Finding[]): boolean {
    if (joinDelayMs <= 0) return false;
    const known = lastKnown.get(key);
    if (!known || known.status === 'resolved') return false;
    if (group[0]!.at - Date.parse(known.lastSeenAt) > suppressMs) return false;
    return group.every((f) => SEVERITY_RANK[f.severity] <= SEVERITY_RANK[known.severity]);
  }

  /** Commits the held joins now (through the same path as any other raise). */
  async function flush(): Promise<void> {
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = undefined;
    if (held.size === 0) return;
    const groups = held;
    held = new Map();
    try {
      await commit(groups);
    } catch (err) {
      // Nothing was written: hold them again for the next flush, older findings first.
      for (const [key, group] of held) groups.set(key, [...(groups.get(key) ?? []), ...group]);
      held = groups;
      throw err;
    }
  }

  /** Raises or joins alerts for `findings`; returns the alerts created (not those joined). */
  async function raise(findings: readonly Finding[]): Promise<Alert[]> {
    const groups = new Map<string, Finding[]>();
    for (const f of findings) {
      const key = incidentKey(f);
      const g = groups.get(key);
      if (g) g.push(f);
      else groups.set(key, [f]);
    }
    for (const [key, group] of groups) {
      const waiting = held.get(key);
      if (canHold(key, group)) {
        if (waiting) waiting.push(...group);
        else held.set(key, group);
        groups.delete(key);
      } else if (waiting) {
        // Something new for an alert with joins held: all of them commit now, in order.
        held.delete(key);
        groups.set(key, [...waiting, ...group]);
      }
    }
    if (held.size > 0 && !flushTimer) {
      flushTimer = setTimeout(() => {
        flush().catch(() => {
          // Kept held; the next raise, read or flush retries (detection's persist reports failures).
        });
      }, joinDelayMs);
      flushTimer.unref();
    }
    if (groups.size === 0) return [];
    return commit(groups);
  }

  async function commit(groups: Map<string, Finding[]>): Promise<Alert[]> {
    // One transaction for the whole batch of findings: a busy identity's repeated findings join
    // their open alert without a commit (and an fsync) per group.
    const created = await store.transaction(async (tx) => {
      const made: Alert[] = [];
      for (const [key, group] of groups) {
        if (await joinOpen(tx, key, group)) continue;
        const alert = fresh(group);
        await tx.alerts.create(alert);
        await tx.audit.append(
          audit.event('system', 'alert.raised', alert.identityId, {
            alertId: alert.id,
            kind: alert.kind,
            severity: alert.severity,
            title: alert.title,
            eventIds: alert.eventIds,
          }),
        );
        await publish(tx, alert);
        lastKnown.set(key, alert);
        made.push(alert);
      }
      return made;
    });
    if (created.length > 0) await deps.poke();
    return created;
  }

  async function get(id: string): Promise<Alert> {
    await flush();
    const alert = await store.alerts.get(id);
    if (!alert) throw notFound('alert', id);
    return alert;
  }

  async function transition(
    actor: string,
    id: string,
    to: 'acknowledged' | 'resolved',
    note: string | undefined,
  ): Promise<Alert> {
    await flush();
    try {
      const result = await store.transaction(async (tx) => {
        const alert = await tx.alerts.get(id);
        if (!alert) throw notFound('alert', id);
        if (alert.status === 'resolved' || alert.status === to) {
          throw new KeywardError('alert_closed', `alert ${id} is already ${alert.status}`);
        }
        const at = now().toISOString();
        const next = await tx.alerts.update({
          ...alert,
          status: to,
          updatedAt: at,
          note: note ?? alert.note,
          ...(to === 'acknowledged'
            ? { acknowledgedBy: actor, acknowledgedAt: at }
            : { resolvedBy: actor, resolvedAt: at }),
        });
        await tx.audit.append(
          audit.event(actor, `alert.${to}`, alert.identityId, {
            alertId: id,
            kind: alert.kind,
            ...(note ? { note } : {}),
          }),
        );
        return next;
      });
      // Committed: a resolved alert takes no more joins (the next finding opens a new one).
      lastKnown.set(incidentKey(result), result);
      return result;
    } catch (err) {
      if (isStorageError(err, 'version_conflict')) {
        throw new KeywardError('version_conflict', `alert ${id} changed meanwhile; retry`);
      }
      throw err;
    }
  }

  return {
    raise,
    /** Commits the joins held so far (see the module comment). */
    flush,
    get,
    list: async (filter: AlertFilter, page: PageRequest): Promise<Page<Alert>> => {
      await flush();
      return store.alerts.list(filter, page);
    },
    acknowledge: (actor: string, id: string, note?: string) => transition(actor, id, 'acknowledged', note),
    resolve: (actor: string, id: string, note?: string) => transition(actor, id, 'resolved', note),
  };
}

export type AlertService = ReturnType<typeof createAlertService>;
