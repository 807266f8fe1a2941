/**
 * ApprovalStore over Kysely. Deciding and expiring are one conditional UPDATE each (where status =
 * 'pending'), atomic on both backends. The approver list is a JSON array column; filtering by
 * approver matches the quoted id inside it (ids are fixed-shape, `_` escaped for LIKE).
 */
import type { Page, PageRequest } from '@keyward/sdk';
import { type Kysely, sql } from 'kysely';
import type { ApprovalBinding, ApprovalRecord, ApprovalStatus } from '../../../approvals/approval-types.js';
import { ID_PREFIX } from '../../../ids.js';
import type { ApprovalDecision, ApprovalFilter, ApprovalStore } from '../../storage-types.js';
import type { ApprovalRow, Database } from '../sql-database.js';
import { clampLimit, readCursor, toPage } from '../sql-paging.js';
import { fromJson, toJson } from '../sql-writes.js';

const fromRow = (r: ApprovalRow): ApprovalRecord => ({
  id: r.id,
  status: r.status as ApprovalStatus,
  binding: {
    principal: r.principal,
    action: r.action,
    resource: r.resource,
    argumentsHash: r.arguments_hash,
  },
  requesterId: r.requester_id,
  taskId: r.task_id,
  approverIds: fromJson<string[]>(r.approver_ids),
  policyIds: fromJson<string[]>(r.policy_ids),
  reason: r.reason,
  delegationChain: fromJson<string[]>(r.delegation_chain),
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at,
  comment: r.comment,
});

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export class ApprovalSqlStore implements ApprovalStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(a: ApprovalRecord): Promise<void> {
    await this.db
      .insertInto('approvals')
      .values({
        id: a.id,
        status: a.status,
        principal: a.binding.principal,
        action: a.binding.action,
        resource: a.binding.resource,
        arguments_hash: a.binding.argumentsHash,
        requester_id: a.requesterId,
        task_id: a.taskId,
        approver_ids: toJson(a.approverIds),
        policy_ids: toJson(a.policyIds),
        reason: a.reason,
        delegation_chain: toJson(a.delegationChain),
        created_at: a.createdAt,
        expires_at: a.expiresAt,
        decided_by: a.decidedBy,
        decided_at: a.decidedAt,
        comment: a.comment,
      })
      .execute();
  }

  async get(id: string): Promise<ApprovalRecord | undefined> {
    const row = await this.db.selectFrom('approvals').selectAll().where('id', '=', id).executeTakeFirst();
    return row && fromRow(row);
  }

  async list(filter: ApprovalFilter, page: PageRequest): Promise<Page<ApprovalRecord>> {
    const limit = clampLimit(page.limit);
    const cursor = readCursor(page, ID_PREFIX.approval);
    let q = this.db.selectFrom('approvals').selectAll();
    if (filter.status !== undefined) q = q.where('status', '=', filter.status);
    if (filter.requesterId !== undefined) q = q.where('requester_id', '=', filter.requesterId);
    if (filter.taskId !== undefined) q = q.where('task_id', '=', filter.taskId);
    if (filter.approverId !== undefined) {
      const pattern = `%${likeEscape(JSON.stringify(filter.approverId))}%`;
      q = q.where(sql<boolean>`approver_ids like ${pattern} escape '\\'`);
    }
    if (cursor !== undefined) q = q.where('id', '>', cursor);
    const rows = await q
      .orderBy('id')
      .limit(limit + 1)
      .execute();
    return toPage(rows, limit, fromRow);
  }

  async findByBinding(b: ApprovalBinding, status: ApprovalStatus, now: string): Promise<ApprovalRecord[]> {
    const rows = await this.db
      .selectFrom('approvals')
      .selectAll()
      .where('principal', '=', b.principal)
      .where('action', '=', b.action)
      .where('resource', '=', b.resource)
      .where('arguments_hash', '=', b.argumentsHash)
      .where('status', '=', status)
      .where('expires_at', '>', now)
      .orderBy('id', 'desc')
      .limit(10)
      .execute();
    return rows.map(fromRow);
  }

  async decide(id: string, d: ApprovalDecision): Promise<boolean> {
    const result = await this.db
      .updateTable('approvals')
      .set({
        status: d.status,
        decided_by: d.decidedBy,
        decided_at: d.decidedAt,
        comment: d.comment,
        expires_at: d.expiresAt,
      })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async expire(id: string, at: string): Promise<boolean> {
    const result = await this.db
      .updateTable('approvals')
      .set({ status: 'expired', decided_at: at })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where('expires_at', '<=', at)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async listExpired(now: string, limit: number): Promise<ApprovalRecord[]> {
    const rows = await this.db
      .selectFrom('approvals')
      .selectAll()
      .where('status', '=', 'pending')
      .where('expires_at', '<=', now)
      .orderBy('expires_at')
      .limit(clampLimit(limit))
      .execute();
    return rows.map(fromRow);
  }

  async countPending(now: string): Promise<number> {
    const row = await this.db
      .selectFrom('approvals')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('status', '=', 'pending')
      .where('expires_at', '>', now)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
