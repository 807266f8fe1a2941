/**
 * Conformance cases for the aggregate queries behind the console overview (posture/overview-service.ts):
 * counts by status and severity, live tasks, tokens and approvals, per-identity open findings, and
 * per-day counts (UTC days from the ISO text, oldest first, empty days absent, `since` inclusive).
 */
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../detection/alert-types.js';
import { newId } from '../../ids.js';
import { anApproval } from './approval-cases.js';
import { anEvent, anIdentity, type StoreRef } from './conformance-fixtures.js';
import { aFinding } from './discovery-fixtures.js';
import { aTask } from './task-cases.js';

const NOW = '2026-03-04T12:00:00.000Z';
const BEFORE = '2026-03-04T11:59:59.999Z';
const AFTER = '2026-03-04T12:00:00.001Z';
const SINCE = '2026-03-01T00:00:00.000Z';
/** Rows at these times: one before the window, two on each side of a UTC midnight, none on 03-03. */
const TIMES = [
  '2026-02-28T23:59:59.999Z',
  '2026-03-01T00:00:00.000Z',
  '2026-03-01T23:59:59.999Z',
  '2026-03-02T00:00:00.000Z',
  '2026-03-04T08:00:00.000Z',
  '2026-03-04T23:59:59.999Z',
];
const EXPECTED_DAYS = [
  { day: '2026-03-01', count: 2 },
  { day: '2026-03-02', count: 1 },
  { day: '2026-03-04', count: 2 },
];

const anAlert = (over: Partial<Alert> = {}): Alert => ({
  id: newId('alert'),
  identityId: newId('identity'),
  kind: 'new_source',
  severity: 'medium',
  status: 'open',
  title: 'new source',
  explanation: 'seen from a new network',
  baseline: {},
  observed: {},
  eventIds: [],
  eventCount: 1,
  firstSeenAt: NOW,
  lastSeenAt: NOW,
  createdAt: NOW,
  updatedAt: NOW,
  acknowledgedBy: null,
  acknowledgedAt: null,
  resolvedBy: null,
  resolvedAt: null,
  note: null,
  version: 1,
  ...over,
});

export function overviewCases(store: StoreRef): void {
  describe('overview aggregates', () => {
    it('an empty store counts zero everywhere and has no days', async () => {
      const s = store();
      expect(await s.identities.countByStatus()).toEqual({ active: 0, disabled: 0, revoked: 0, orphaned: 0 });
      expect(await s.identities.createdPerDay(SINCE)).toEqual([]);
      expect(await s.tasks.countActive(NOW)).toBe(0);
      expect(await s.issuedTokens.countLive(NOW)).toBe(0);
      expect(await s.approvals.countPending(NOW)).toBe(0);
      expect(await s.alerts.countOpenBySeverity()).toEqual({ low: 0, medium: 0, high: 0, critical: 0 });
      expect(await s.alerts.raisedPerDay(SINCE)).toEqual([]);
      expect(await s.findings.openedPerDay(SINCE)).toEqual([]);
      expect(await s.findings.resolvedPerDay(SINCE)).toEqual([]);
      expect(await s.findings.countOpenByIdentity([])).toEqual([]);
      expect(await s.findings.countOpenByIdentity([newId('identity')])).toEqual([]);
      expect(await s.audit.countPerDay(['oauth.token.issued'], SINCE)).toEqual([]);
      expect(await s.audit.countPerDay([], SINCE)).toEqual([]);
    });

    it('counts identities by status and per UTC day of createdAt', async () => {
      const s = store();
      await s.identities.createMany([
        ...TIMES.map((createdAt) => anIdentity({ createdAt })),
        anIdentity({ status: 'orphaned', createdAt: TIMES[0]! }),
        anIdentity({ status: 'disabled', createdAt: TIMES[0]! }),
        anIdentity({ status: 'disabled', createdAt: TIMES[0]! }),
      ]);
      expect(await s.identities.countByStatus()).toEqual({ active: 6, disabled: 2, revoked: 0, orphaned: 1 });
      expect(await s.identities.createdPerDay(SINCE)).toEqual(EXPECTED_DAYS);
      // `since` is inclusive to the millisecond.
      expect(await s.identities.createdPerDay('2026-03-01T23:59:59.999Z')).toEqual([
        { day: '2026-03-01', count: 1 },
        ...EXPECTED_DAYS.slice(1),
      ]);
      expect(await s.identities.createdPerDay('2026-03-05T00:00:00.000Z')).toEqual([]);
    });

    it('counts tasks active and unexpired, tokens live, approvals pending and unexpired', async () => {
      const s = store();
      for (const t of [
        aTask({ expiresAt: AFTER }),
        aTask({ expiresAt: '2026-03-05T00:00:00.000Z' }),
        aTask({ expiresAt: NOW }),
        aTask({ expiresAt: BEFORE }),
        aTask({ status: 'completed', expiresAt: AFTER, endedAt: BEFORE, endReason: 'done' }),
      ])
        await s.tasks.create(t);
      expect(await s.tasks.countActive(NOW)).toBe(2);

      const token = (expiresAt: string, revokedAt: string | null = null) => ({
        jti: crypto.randomUUID(),
        taskId: newId('task'),
        subject: newId('identity'),
        clientId: newId('identity'),
        issuedAt: BEFORE,
        expiresAt,
        revokedAt,
      });
      await s.issuedTokens.recordMany([
        token(AFTER),
        token(AFTER),
        token(NOW),
        token(BEFORE),
        token(AFTER, BEFORE),
      ]);
      expect(await s.issuedTokens.countLive(NOW)).toBe(2);

      for (const a of [
        anApproval({ createdAt: BEFORE, expiresAt: AFTER }),
        anApproval({ createdAt: BEFORE, expiresAt: NOW }),
        anApproval({
          createdAt: BEFORE,
          expiresAt: AFTER,
          status: 'approved',
          decidedBy: 'h',
          decidedAt: BEFORE,
        }),
      ])
        await s.approvals.create(a);
      expect(await s.approvals.countPending(NOW)).toBe(1);
    });

    it('counts open alerts by severity and alerts per UTC day of createdAt', async () => {
      const s = store();
      for (const a of [
        anAlert({ severity: 'critical' }),
        anAlert({ severity: 'critical' }),
        anAlert({ severity: 'low' }),
        anAlert({ severity: 'high', status: 'acknowledged' }),
        anAlert({ severity: 'high', status: 'resolved' }),
        ...TIMES.map((createdAt) => anAlert({ severity: 'medium', status: 'resolved', createdAt })),
      ])
        await s.alerts.create(a);
      expect(await s.alerts.countOpenBySeverity()).toEqual({ low: 1, medium: 0, high: 0, critical: 2 });
      expect(await s.alerts.raisedPerDay(SINCE)).toEqual([
        ...EXPECTED_DAYS.slice(0, 2),
        // The five at NOW and the two of TIMES on 03-04.
        { day: '2026-03-04', count: 7 },
      ]);
    });

    it('counts findings opened and resolved per UTC day, and open findings per identity and severity', async () => {
      const s = store();
      const [a, b, quiet] = [newId('identity'), newId('identity'), newId('identity')];
      for (const f of [
        ...TIMES.map((createdAt) => aFinding({ createdAt, identityId: a, severity: 'low' })),
        aFinding({ identityId: a, severity: 'critical' }),
        aFinding({ identityId: b, severity: 'medium', status: 'accepted' }),
        aFinding({ identityId: b, severity: 'high' }),
        aFinding({ identityId: quiet, severity: 'critical', status: 'accepted' }),
        ...TIMES.map((resolvedAt) =>
          aFinding({
            identityId: quiet,
            status: 'resolved',
            resolvedAt,
            createdAt: '2025-01-01T00:00:00.000Z',
          }),
        ),
        // Resolved once, then reopened: it keeps no resolution day.
        aFinding({
          identityId: a,
          status: 'open',
          resolvedAt: TIMES[1]!,
          createdAt: '2025-01-01T00:00:00.000Z',
        }),
      ])
        await s.findings.create(f);
      expect(await s.findings.openedPerDay(SINCE)).toEqual(EXPECTED_DAYS);
      expect(await s.findings.resolvedPerDay(SINCE)).toEqual(EXPECTED_DAYS);
      const rows = await s.findings.countOpenByIdentity([a, b, quiet, newId('identity')]);
      const sorted = [...rows].sort((x, y) =>
        `${x.identityId}${x.severity}`.localeCompare(`${y.identityId}${y.severity}`),
      );
      expect(sorted).toEqual(
        [
          { identityId: a, severity: 'critical', count: 1 },
          { identityId: a, severity: 'high', count: 1 },
          { identityId: a, severity: 'low', count: 6 },
          { identityId: b, severity: 'high', count: 1 },
        ].sort((x, y) => `${x.identityId}${x.severity}`.localeCompare(`${y.identityId}${y.severity}`)),
      );
    });

    it('counts audit events of the given types per UTC day of their time', async () => {
      const s = store();
      await s.audit.appendMany([
        ...TIMES.map((time) => anEvent({ time, type: 'oauth.token.issued' })),
        anEvent({ time: TIMES[4]!, type: 'broker.lease.issued' }),
        anEvent({ time: TIMES[4]!, type: 'identity.created' }),
      ]);
      expect(await s.audit.countPerDay(['oauth.token.issued'], SINCE)).toEqual(EXPECTED_DAYS);
      expect(await s.audit.countPerDay(['oauth.token.issued', 'broker.lease.issued'], SINCE)).toEqual([
        ...EXPECTED_DAYS.slice(0, 2),
        { day: '2026-03-04', count: 3 },
      ]);
    });
  });
}
