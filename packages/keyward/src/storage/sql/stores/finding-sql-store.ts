/** FindingStore over Kysely: posture findings, deduplicated by dedup_key, optimistic updates by version. */
import type { Page, PageRequest } from '@keyward/sdk';
import { type Kysely, sql } from 'kysely';
import type {
  Finding,
  FindingFilter,
  FindingSeverity,
  FindingStatus,
} from '../../../discovery/discovery-types.js';
import { ID_PREFIX } from '../../../ids.js';
import type { FindingStore } from '../../discovery-stores.js';
import type { DayCount } from '../../storage-types.js';
import type { FindingRow } from '../discovery-rows.js';
import type { Database } from '../sql-database.js';
import { countPerDay } from '../sql-day-counts.js';
import { clampLimit, readCursor, toPage } from '../sql-paging.js';
import { assertUpdated, fromJson, toJson } from '../sql-writes.js';

const fromRow = (r: FindingRow): Finding => ({
  id: r.id,
  code: r.code,
  rule: r.rule,
  severity: r.severity as FindingSeverity,
  status: r.status as FindingStatus,
  dedupKey: r.dedup_key,
  title: r.title,
  identityId: r.identity_id,
  credentialId: r.credential_id,
  evidence: fromJson(r.evidence),
  remedy: r.remedy,
  firstSeenAt: r.first_seen_at,
  lastSeenAt: r.last_seen_at,
  resolvedAt: r.resolved_at,
  resolution: r.resolution,
  acceptedUntil: r.accepted_until,
  note: r.note,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  version: Number(r.version),
});

const toRow = (f: Finding): FindingRow => ({
  id: f.id,
  code: f.code,
  rule: f.rule,
  severity: f.severity,
  status: f.status,
  dedup_key: f.dedupKey,
  title: f.title,
  identity_id: f.identityId,
  credential_id: f.credentialId,
  evidence: toJson(f.evidence),
  remedy: f.remedy,
  first_seen_at: f.firstSeenAt,
  last_seen_at: f.lastSeenAt,
  resolved_at: f.resolvedAt,
  resolution: f.resolution,
  accepted_until: f.acceptedUntil,
  note: f.note,
  created_at: f.createdAt,
  updated_at: f.updatedAt,
  version: f.version,
});

export class FindingSqlStore implements FindingStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(finding: Finding): Promise<void> {
    await this.db.insertInto('findings').values(toRow(finding)).execute();
  }

  async get(id: string): Promise<Finding | undefined> {
    const row = await this.db.selectFrom('findings').selectAll().where('id', '=', id).executeTakeFirst();
    return row && fromRow(row);
  }

  async getByDedupKey(dedupKey: string): Promise<Finding | undefined> {
    const row = await this.db
      .selectFrom('findings')
      .selectAll()
      .where('dedup_key', '=', dedupKey)
      .executeTakeFirst();
    return row && fromRow(row);
  }

  async list(filter: FindingFilter, page: PageRequest): Promise<Page<Finding>> {
    const limit = clampLimit(page.limit);
    const cursor = readCursor(page, ID_PREFIX.finding);
    let q = this.db.selectFrom('findings').selectAll();
    if (filter.code !== undefined) q = q.where('code', '=', filter.code);
    if (filter.rule !== undefined) q = q.where('rule', '=', filter.rule);
    if (filter.status !== undefined) q = q.where('status', '=', filter.status);
    if (filter.severity !== undefined) q = q.where('severity', '=', filter.severity);
    if (filter.identityId !== undefined) q = q.where('identity_id', '=', filter.identityId);
    if (filter.credentialId !== undefined) q = q.where('credential_id', '=', filter.credentialId);
    if (cursor !== undefined) q = q.where('id', '<', cursor);
    const rows = await q
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
    return toPage(rows, limit, fromRow);
  }

  async update(finding: Finding): Promise<Finding> {
    const next = { ...finding, version: finding.version + 1 };
    const { id, ...values } = toRow(next);
    const result = await this.db
      .updateTable('findings')
      .set(values)
      .where('id', '=', id)
      .where('version', '=', finding.version)
      .executeTakeFirst();
    await assertUpdated(result, 'finding', id, async () => (await this.get(id)) !== undefined);
    return next;
  }

  async listUnresolved(rule: string, limit: number, afterId?: string): Promise<Finding[]> {
    let q = this.db
      .selectFrom('findings')
      .selectAll()
      .where('rule', '=', rule)
      .where('status', '!=', 'resolved');
    if (afterId !== undefined) q = q.where('id', '>', afterId);
    const rows = await q.orderBy('id').limit(clampLimit(limit)).execute();
    return rows.map(fromRow);
  }

  async countOpenByIdentity(
    identityIds: readonly string[],
  ): Promise<Array<{ identityId: string; severity: FindingSeverity; count: number }>> {
    if (identityIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('findings')
      .select((eb) => ['identity_id', 'severity', eb.fn.countAll().as('n')])
      .where('status', '=', 'open')
      .where('identity_id', 'in', [...identityIds])
      .groupBy(['identity_id', 'severity'])
      .execute();
    return rows.map((r) => ({
      identityId: r.identity_id as string,
      severity: r.severity as FindingSeverity,
      count: Number(r.n),
    }));
  }

  openedPerDay(since: string): Promise<DayCount[]> {
    return countPerDay(this.db, 'findings', 'created_at', since);
  }

  resolvedPerDay(since: string): Promise<DayCount[]> {
    return countPerDay(this.db, 'findings', 'resolved_at', since, sql`status = 'resolved'`);
  }

  async countBy(): Promise<Array<{ code: string; severity: string; status: string; count: number }>> {
    const rows = await this.db
      .selectFrom('findings')
      .select((eb) => ['code', 'severity', 'status', eb.fn.countAll<number>().as('n')])
      .groupBy(['code', 'severity', 'status'])
      .orderBy('code')
      .orderBy('severity')
      .orderBy('status')
      .execute();
    return rows.map((r) => ({ code: r.code, severity: r.severity, status: r.status, count: Number(r.n) }));
  }

  async resolvedTimes(
    rule: string,
    resolutions: readonly string[],
  ): Promise<Array<{ firstSeenAt: string; resolvedAt: string }>> {
    if (resolutions.length === 0) return [];
    const rows = await this.db
      .selectFrom('findings')
      .select(['first_seen_at', 'resolved_at'])
      .where('rule', '=', rule)
      .where('status', '=', 'resolved')
      .where('resolution', 'in', resolutions)
      .execute();
    return rows.flatMap((r) =>
      r.resolved_at ? [{ firstSeenAt: r.first_seen_at, resolvedAt: r.resolved_at }] : [],
    );
  }
}
