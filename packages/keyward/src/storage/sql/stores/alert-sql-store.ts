/** AlertStore over Kysely: behavioural alerts, newest first, optimistic updates by version. */
import type { Page, PageRequest } from '@keyward/sdk';
import type { Kysely } from 'kysely';
import {
  ALERT_SEVERITIES,
  type Alert,
  type AlertFilter,
  type AlertSeverity,
} from '../../../detection/alert-types.js';
import { ID_PREFIX } from '../../../ids.js';
import type { AlertStore, DayCount } from '../../storage-types.js';
import type { AlertRow } from '../detection-rows.js';
import type { Database } from '../sql-database.js';
import { countPerDay } from '../sql-day-counts.js';
import { clampLimit, readCursor, toPage } from '../sql-paging.js';
import { assertUpdated, fromJson, toJson } from '../sql-writes.js';

const fromRow = (r: AlertRow): Alert => ({
  id: r.id,
  identityId: r.identity_id,
  kind: r.kind as Alert['kind'],
  severity: r.severity as Alert['severity'],
  status: r.status as Alert['status'],
  title: r.title,
  explanation: r.explanation,
  baseline: fromJson(r.baseline),
  observed: fromJson(r.observed),
  eventIds: fromJson(r.event_ids),
  eventCount: Number(r.event_count),
  firstSeenAt: r.first_seen_at,
  lastSeenAt: r.last_seen_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  acknowledgedBy: r.acknowledged_by,
  acknowledgedAt: r.acknowledged_at,
  resolvedBy: r.resolved_by,
  resolvedAt: r.resolved_at,
  note: r.note,
  version: Number(r.version),
});

const toRow = (a: Alert): AlertRow => ({
  id: a.id,
  identity_id: a.identityId,
  kind: a.kind,
  severity: a.severity,
  status: a.status,
  title: a.title,
  explanation: a.explanation,
  baseline: toJson(a.baseline),
  observed: toJson(a.observed),
  event_ids: toJson(a.eventIds),
  event_count: a.eventCount,
  first_seen_at: a.firstSeenAt,
  last_seen_at: a.lastSeenAt,
  created_at: a.createdAt,
  updated_at: a.updatedAt,
  acknowledged_by: a.acknowledgedBy,
  acknowledged_at: a.acknowledgedAt,
  resolved_by: a.resolvedBy,
  resolved_at: a.resolvedAt,
  note: a.note,
  version: a.version,
});

export class AlertSqlStore implements AlertStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(alert: Alert): Promise<void> {
    await this.db.insertInto('alerts').values(toRow(alert)).execute();
  }

  async get(id: string): Promise<Alert | undefined> {
    const row = await this.db.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirst();
    return row && fromRow(row);
  }

  async update(alert: Alert): Promise<Alert> {
    const next = { ...alert, version: alert.version + 1 };
    const { id, ...values } = toRow(next);
    const result = await this.db
      .updateTable('alerts')
      .set(values)
      .where('id', '=', id)
      .where('version', '=', alert.version)
      .executeTakeFirst();
    await assertUpdated(result, 'alert', id, async () => (await this.get(id)) !== undefined);
    return next;
  }

  async list(filter: AlertFilter, page: PageRequest): Promise<Page<Alert>> {
    const limit = clampLimit(page.limit);
    const cursor = readCursor(page, ID_PREFIX.alert);
    let q = this.db.selectFrom('alerts').selectAll();
    if (filter.status !== undefined) q = q.where('status', '=', filter.status);
    if (filter.kind !== undefined) q = q.where('kind', '=', filter.kind);
    if (filter.severity !== undefined) q = q.where('severity', '=', filter.severity);
    if (filter.identityId !== undefined) q = q.where('identity_id', '=', filter.identityId);
    if (cursor !== undefined) q = q.where('id', '<', cursor);
    const rows = await q
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
    return toPage(rows, limit, fromRow);
  }

  async findUnresolved(identityId: string, kind: string): Promise<Alert | undefined> {
    const row = await this.db
      .selectFrom('alerts')
      .selectAll()
      .where('identity_id', '=', identityId)
      .where('kind', '=', kind)
      .where('status', '!=', 'resolved')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row && fromRow(row);
  }

  async countOpenBySeverity(): Promise<Record<AlertSeverity, number>> {
    const rows = await this.db
      .selectFrom('alerts')
      .select((eb) => ['severity', eb.fn.countAll().as('n')])
      .where('status', '=', 'open')
      .groupBy('severity')
      .execute();
    const counts = Object.fromEntries(ALERT_SEVERITIES.map((s) => [s, 0])) as Record<AlertSeverity, number>;
    for (const r of rows) counts[r.severity as AlertSeverity] = Number(r.n);
    return counts;
  }

  raisedPerDay(since: string): Promise<DayCount[]> {
    return countPerDay(this.db, 'alerts', 'created_at', since);
  }
}
