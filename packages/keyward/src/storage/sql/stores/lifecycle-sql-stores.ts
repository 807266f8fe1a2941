/**
 * The lifecycle role stores over Kysely: scheduler leases (one conditional upsert takes, renews or
 * refuses a lease atomically on both backends), offboarding cases, and expiry notice markers.
 */
import type { Kysely } from 'kysely';
import { ID_PREFIX } from '../../../ids.js';
import type {
  ExpiryNoticeStore,
  OffboardingCase,
  OffboardingCaseStore,
  OffboardingState,
  SchedulerLease,
  SchedulerLeaseStore,
} from '../../lifecycle-stores.js';
import type { OffboardingCaseRow } from '../lifecycle-rows.js';
import type { Database } from '../sql-database.js';
import type { SqlDialect } from '../sql-dialect.js';
import { clampLimit, readCursor, toPage } from '../sql-paging.js';

export class SchedulerLeaseSqlStore implements SchedulerLeaseStore {
  constructor(private readonly db: Kysely<Database>) {}

  async acquire(job: string, holder: string, now: string, expiresAt: string): Promise<boolean> {
    // Insert, or overwrite only a lease that is ours or has expired; the row lock of the upsert
    // (PostgreSQL) or the single writer (SQLite) makes the check and the write one step.
    const row = await this.db
      .insertInto('scheduler_leases')
      .values({ job, holder, expires_at: expiresAt })
      .onConflict((oc) =>
        oc
          .column('job')
          .doUpdateSet({ holder, expires_at: expiresAt })
          .where((eb) =>
            eb.or([eb('scheduler_leases.holder', '=', holder), eb('scheduler_leases.expires_at', '<=', now)]),
          ),
      )
      .returning('holder')
      .executeTakeFirst();
    return row?.holder === holder;
  }

  async release(job: string, holder: string): Promise<boolean> {
    const r = await this.db
      .deleteFrom('scheduler_leases')
      .where('job', '=', job)
      .where('holder', '=', holder)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async get(job: string): Promise<SchedulerLease | undefined> {
    const r = await this.db
      .selectFrom('scheduler_leases')
      .selectAll()
      .where('job', '=', job)
      .executeTakeFirst();
    return r && { job: r.job, holder: r.holder, expiresAt: r.expires_at };
  }
}

const caseFromRow = (r: OffboardingCaseRow): OffboardingCase => ({
  id: r.id,
  humanId: r.human_id,
  startedAt: r.started_at,
  graceUntil: r.grace_until,
  state: r.state as OffboardingState,
  details: JSON.parse(r.details) as OffboardingCase['details'],
});

export class OffboardingCaseSqlStore implements OffboardingCaseStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: SqlDialect,
  ) {}

  async getForUpdate(id: string): Promise<OffboardingCase | undefined> {
    let q = this.db.selectFrom('offboarding_cases').selectAll().where('id', '=', id);
    if (this.dialect.backend === 'postgres') q = q.forUpdate();
    const r = await q.executeTakeFirst();
    return r && caseFromRow(r);
  }

  async create(c: OffboardingCase): Promise<void> {
    await this.db
      .insertInto('offboarding_cases')
      .values({
        id: c.id,
        human_id: c.humanId,
        started_at: c.startedAt,
        grace_until: c.graceUntil,
        state: c.state,
        details: JSON.stringify(c.details),
      })
      .execute();
  }

  async get(id: string): Promise<OffboardingCase | undefined> {
    const r = await this.db
      .selectFrom('offboarding_cases')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return r && caseFromRow(r);
  }

  async openFor(humanId: string): Promise<OffboardingCase | undefined> {
    const r = await this.db
      .selectFrom('offboarding_cases')
      .selectAll()
      .where('human_id', '=', humanId)
      .where('state', '!=', 'closed')
      .executeTakeFirst();
    return r && caseFromRow(r);
  }

  async latestFor(humanId: string): Promise<OffboardingCase | undefined> {
    const r = await this.db
      .selectFrom('offboarding_cases')
      .selectAll()
      .where('human_id', '=', humanId)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return r && caseFromRow(r);
  }

  async update(c: OffboardingCase): Promise<void> {
    await this.db
      .updateTable('offboarding_cases')
      .set({ state: c.state, grace_until: c.graceUntil, details: JSON.stringify(c.details) })
      .where('id', '=', c.id)
      .execute();
  }

  async list(
    filter: { state?: OffboardingState | undefined; humanId?: string | undefined },
    page: { cursor?: string | undefined; limit?: number | undefined },
  ) {
    const limit = clampLimit(page.limit);
    const cursor = readCursor(page, ID_PREFIX.offboardingCase);
    let q = this.db.selectFrom('offboarding_cases').selectAll();
    if (filter.state) q = q.where('state', '=', filter.state);
    if (filter.humanId) q = q.where('human_id', '=', filter.humanId);
    if (cursor) q = q.where('id', '>', cursor);
    const rows = await q
      .orderBy('id')
      .limit(limit + 1)
      .execute();
    return toPage(rows, limit, caseFromRow);
  }
}

export class ExpiryNoticeSqlStore implements ExpiryNoticeStore {
  constructor(private readonly db: Kysely<Database>) {}

  async record(identityId: string, endsAt: string, sentAt: string): Promise<boolean> {
    const r = await this.db
      .insertInto('expiry_notices')
      .values({ identity_id: identityId, ends_at: endsAt, sent_at: sentAt })
      .onConflict((oc) => oc.columns(['identity_id', 'ends_at']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async has(identityId: string, endsAt: string): Promise<boolean> {
    const r = await this.db
      .selectFrom('expiry_notices')
      .select('identity_id')
      .where('identity_id', '=', identityId)
      .where('ends_at', '=', endsAt)
      .executeTakeFirst();
    return r !== undefined;
  }
}
