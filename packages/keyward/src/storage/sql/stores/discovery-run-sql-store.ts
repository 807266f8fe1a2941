/** DiscoveryRunStore over Kysely: import and scan runs with their summaries, newest first. */
import type { Page, PageRequest } from '@keyward/sdk';
import type { Kysely } from 'kysely';
import type { DiscoveryRun } from '../../../discovery/discovery-types.js';
import { ID_PREFIX } from '../../../ids.js';
import type { DiscoveryRunStore } from '../../discovery-stores.js';
import type { DiscoveryRunRow } from '../discovery-rows.js';
import type { Database } from '../sql-database.js';
import { clampLimit, readCursor, toPage } from '../sql-paging.js';
import { fromJson, toJson } from '../sql-writes.js';

const fromRow = (r: DiscoveryRunRow): DiscoveryRun => ({
  id: r.id,
  type: r.type as DiscoveryRun['type'],
  source: r.source as DiscoveryRun['source'],
  scope: r.scope,
  feed: r.feed,
  actor: r.actor,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  summary: fromJson(r.summary),
});

export class DiscoveryRunSqlStore implements DiscoveryRunStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(run: DiscoveryRun): Promise<void> {
    await this.db
      .insertInto('discovery_runs')
      .values({
        id: run.id,
        type: run.type,
        source: run.source,
        scope: run.scope,
        feed: run.feed,
        actor: run.actor,
        started_at: run.startedAt,
        finished_at: run.finishedAt,
        summary: toJson(run.summary),
      })
      .execute();
  }

  async get(id: string): Promise<DiscoveryRun | undefined> {
    const row = await this.db
      .selectFrom('discovery_runs')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && fromRow(row);
  }

  async list(
    filter: { type?: 'import' | 'scan' | undefined; scope?: string | undefined },
    page: PageRequest,
  ): Promise<Page<DiscoveryRun>> {
    const limit = clampLimit(page.limit);
    const cursor = readCursor(page, ID_PREFIX.discoveryRun);
    let q = this.db.selectFrom('discovery_runs').selectAll();
    if (filter.type !== undefined) q = q.where('type', '=', filter.type);
    if (filter.scope !== undefined) q = q.where('scope', '=', filter.scope);
    if (cursor !== undefined) q = q.where('id', '<', cursor);
    const rows = await q
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
    return toPage(rows, limit, fromRow);
  }
}
