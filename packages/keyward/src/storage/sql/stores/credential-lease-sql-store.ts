/**
 * CredentialLeaseStore over Kysely: leases of brokered credentials. Status changes are single
 * conditional UPDATEs, so a claim is atomic on both backends without explicit locking.
 */
import type { Page, PageRequest } from '@keyward/sdk';
import type { Kysely } from 'kysely';
import { ID_PREFIX } from '../../../ids.js';
import {
  type CredentialLease,
  type CredentialLeaseStore,
  LEASE_STATUSES,
  type LeaseFilter,
  type LeaseStatus,
} from '../../storage-types.js';
import type { CredentialLeaseRow, Database } from '../sql-database.js';
import { clampLimit, readCursor, toPage } from '../sql-paging.js';

const fromRow = (r: CredentialLeaseRow): CredentialLease => ({
  id: r.id,
  database: r.database_name,
  roleName: r.role_name,
  ownerRef: r.owner_ref,
  createdAt: r.created_at,
  validUntil: r.valid_until,
  status: r.status as LeaseStatus,
  attempts: Number(r.attempts),
  lastError: r.last_error,
  revokedAt: r.revoked_at,
  nextAttemptAt: r.next_attempt_at,
  claimedAt: r.claimed_at,
});

export class CredentialLeaseSqlStore implements CredentialLeaseStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(lease: CredentialLease): Promise<void> {
    await this.db
      .insertInto('credential_leases')
      .values({
        id: lease.id,
        database_name: lease.database,
        role_name: lease.roleName,
        owner_ref: lease.ownerRef,
        created_at: lease.createdAt,
        valid_until: lease.validUntil,
        status: lease.status,
        attempts: lease.attempts,
        last_error: lease.lastError,
        revoked_at: lease.revokedAt,
        next_attempt_at: lease.nextAttemptAt,
        claimed_at: lease.claimedAt,
      })
      .execute();
  }

  async get(id: string): Promise<CredentialLease | undefined> {
    const row = await this.db
      .selectFrom('credential_leases')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && fromRow(row);
  }

  async list(filter: LeaseFilter, page: PageRequest): Promise<Page<CredentialLease>> {
    const limit = clampLimit(page.limit);
    const cursor = readCursor(page, ID_PREFIX.lease);
    let q = this.db.selectFrom('credential_leases').selectAll();
    if (filter.status !== undefined) q = q.where('status', '=', filter.status);
    if (filter.ownerRef !== undefined) q = q.where('owner_ref', '=', filter.ownerRef);
    if (filter.database !== undefined) q = q.where('database_name', '=', filter.database);
    if (cursor !== undefined) q = q.where('id', '>', cursor);
    const rows = await q
      .orderBy('id')
      .limit(limit + 1)
      .execute();
    return toPage(rows, limit, fromRow);
  }

  async claim(id: string, at: string, staleBefore: string): Promise<CredentialLease | undefined> {
    const result = await this.db
      .updateTable('credential_leases')
      .set({ status: 'revoking', claimed_at: at })
      .where('id', '=', id)
      .where((eb) =>
        eb.or([
          eb('status', 'in', ['active', 'revoke_failed']),
          eb.and([eb('status', '=', 'revoking'), eb('claimed_at', '<', staleBefore)]),
        ]),
      )
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1 ? this.get(id) : undefined;
  }

  async markRevoked(id: string, at: string): Promise<CredentialLease | undefined> {
    await this.db
      .updateTable('credential_leases')
      .set((eb) => ({
        status: 'revoked',
        attempts: eb('attempts', '+', 1),
        revoked_at: at,
        last_error: null,
        next_attempt_at: null,
        claimed_at: null,
      }))
      .where('id', '=', id)
      .where('status', '=', 'revoking')
      .execute();
    return this.get(id);
  }

  async markFailed(
    id: string,
    lastError: string,
    nextAttemptAt: string,
  ): Promise<CredentialLease | undefined> {
    await this.db
      .updateTable('credential_leases')
      .set((eb) => ({
        status: 'revoke_failed',
        attempts: eb('attempts', '+', 1),
        last_error: lastError,
        next_attempt_at: nextAttemptAt,
        claimed_at: null,
      }))
      .where('id', '=', id)
      .where('status', '=', 'revoking')
      .execute();
    return this.get(id);
  }

  async listDue(now: string, staleBefore: string, limit: number): Promise<CredentialLease[]> {
    const rows = await this.db
      .selectFrom('credential_leases')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'active'), eb('valid_until', '<=', now)]),
          eb.and([eb('status', '=', 'revoke_failed'), eb('next_attempt_at', '<=', now)]),
          eb.and([eb('status', '=', 'revoking'), eb('claimed_at', '<', staleBefore)]),
        ]),
      )
      .orderBy('id')
      .limit(clampLimit(limit))
      .execute();
    return rows.map(fromRow);
  }

  async countByStatus(): Promise<Record<LeaseStatus, number>> {
    const rows = await this.db
      .selectFrom('credential_leases')
      .select((eb) => ['status', eb.fn.countAll().as('n')])
      .groupBy('status')
      .execute();
    const counts = Object.fromEntries(LEASE_STATUSES.map((s) => [s, 0])) as Record<LeaseStatus, number>;
    for (const r of rows) counts[r.status as LeaseStatus] = Number(r.n);
    return counts;
  }
}
