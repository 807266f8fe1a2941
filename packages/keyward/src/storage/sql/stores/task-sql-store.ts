/**
 * TaskStore over Kysely. Ending a task is one conditional UPDATE (where status = 'active'), so it
 * is atomic on both backends: of two replicas ending the same task, exactly one sees `true`.
 */
import type { Page, PageRequest } from '@keyward/sdk';
import type { Kysely } from 'kysely';
import { ID_PREFIX } from '../../../ids.js';
import type { Task, TaskFilter, TaskScope, TaskStatus, TaskStore } from '../../storage-types.js';
import type { Database, TaskRow } from '../sql-database.js';
import { clampLimit, readCursor, toPage } from '../sql-paging.js';
import { fromJson, toJson } from '../sql-writes.js';

const fromRow = (r: TaskRow): Task => ({
  id: r.id,
  agentId: r.agent_id,
  sponsorId: r.sponsor_id,
  intent: r.intent,
  scopes: fromJson<TaskScope[]>(r.scopes),
  environment: r.environment,
  parentTaskId: r.parent_task_id,
  status: r.status as TaskStatus,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  endedAt: r.ended_at,
  endReason: r.end_reason,
});

export class TaskSqlStore implements TaskStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(task: Task): Promise<void> {
    await this.db
      .insertInto('tasks')
      .values({
        id: task.id,
        agent_id: task.agentId,
        sponsor_id: task.sponsorId,
        intent: task.intent,
        scopes: toJson(task.scopes),
        environment: task.environment,
        parent_task_id: task.parentTaskId,
        status: task.status,
        created_at: task.createdAt,
        expires_at: task.expiresAt,
        ended_at: task.endedAt,
        end_reason: task.endReason,
      })
      .execute();
  }

  async get(id: string): Promise<Task | undefined> {
    const row = await this.db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst();
    return row && fromRow(row);
  }

  async list(filter: TaskFilter, page: PageRequest): Promise<Page<Task>> {
    const limit = clampLimit(page.limit);
    const cursor = readCursor(page, ID_PREFIX.task);
    let q = this.db.selectFrom('tasks').selectAll();
    if (filter.agentId !== undefined) q = q.where('agent_id', '=', filter.agentId);
    if (filter.sponsorId !== undefined) q = q.where('sponsor_id', '=', filter.sponsorId);
    if (filter.status !== undefined) q = q.where('status', '=', filter.status);
    if (filter.parentTaskId !== undefined) q = q.where('parent_task_id', '=', filter.parentTaskId);
    if (filter.environment !== undefined) q = q.where('environment', '=', filter.environment);
    if (cursor !== undefined) q = q.where('id', '>', cursor);
    const rows = await q
      .orderBy('id')
      .limit(limit + 1)
      .execute();
    return toPage(rows, limit, fromRow);
  }

  async end(id: string, status: Exclude<TaskStatus, 'active'>, at: string, reason: string): Promise<boolean> {
    const result = await this.db
      .updateTable('tasks')
      .set({ status, ended_at: at, end_reason: reason })
      .where('id', '=', id)
      .where('status', '=', 'active')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async listExpired(now: string, limit: number): Promise<Task[]> {
    const rows = await this.db
      .selectFrom('tasks')
      .selectAll()
      .where('status', '=', 'active')
      .where('expires_at', '<=', now)
      .orderBy('expires_at')
      .limit(clampLimit(limit))
      .execute();
    return rows.map(fromRow);
  }

  async countActive(now: string): Promise<number> {
    const row = await this.db
      .selectFrom('tasks')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('status', '=', 'active')
      .where('expires_at', '>', now)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
