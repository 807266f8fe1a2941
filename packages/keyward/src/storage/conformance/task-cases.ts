/**
 * Conformance cases for tasks (round trip, filters, the one-shot `end`, expiry sweep), issued
 * tokens (batched upsert that never un-revokes) and revocation events (monotonic seq, paging).
 */
import { describe, expect, it } from 'vitest';
import { newId } from '../../ids.js';
import type { IssuedToken, Task } from '../storage-types.js';
import { allPages, rejectsWith, type StoreRef } from './conformance-fixtures.js';

const T0 = '2025-01-02T03:04:05.678Z';
const T1 = '2025-01-02T04:00:00.000Z';
const T2 = '2025-01-02T05:00:00.000Z';

export function aTask(over: Partial<Task> = {}): Task {
  return {
    id: newId('task'),
    agentId: newId('identity'),
    sponsorId: newId('human'),
    intent: 'reconcile payments',
    scopes: [
      { action: 'read', resource: 'payments-db' },
      { action: 'write', resource: 'res:ledger-*' },
    ],
    environment: 'prod',
    parentTaskId: null,
    status: 'active',
    createdAt: T0,
    expiresAt: T1,
    endedAt: null,
    endReason: null,
    ...over,
  };
}

const aToken = (over: Partial<IssuedToken> = {}): IssuedToken => ({
  jti: crypto.randomUUID(),
  taskId: newId('task'),
  subject: newId('identity'),
  clientId: newId('identity'),
  issuedAt: T0,
  expiresAt: T1,
  revokedAt: null,
  ...over,
});

export function taskCases(store: StoreRef): void {
  describe('tasks', () => {
    it('round-trips every field; ids are unique', async () => {
      const s = store();
      const task = aTask({ parentTaskId: newId('task') });
      await s.tasks.create(task);
      expect(await s.tasks.get(task.id)).toEqual(task);
      expect(await s.tasks.get(newId('task'))).toBeUndefined();
      await rejectsWith(s.tasks.create(aTask({ id: task.id })), 'conflict');
    });

    it('filters by agent, sponsor, status, parent and environment, in id order', async () => {
      const s = store();
      const parent = aTask();
      const child = aTask({ parentTaskId: parent.id, agentId: parent.agentId, environment: 'dev' });
      const other = aTask({ sponsorId: parent.sponsorId, status: 'completed' });
      for (const t of [parent, child, other]) await s.tasks.create(t);
      const ids = async (f: Parameters<typeof s.tasks.list>[0]) =>
        (await allPages((cursor) => s.tasks.list(f, { cursor, limit: 1 }))).map((t) => t.id);
      expect(await ids({ agentId: parent.agentId })).toEqual([parent.id, child.id]);
      expect(await ids({ sponsorId: parent.sponsorId, status: 'active' })).toEqual([parent.id]);
      expect(await ids({ parentTaskId: parent.id })).toEqual([child.id]);
      expect(await ids({ environment: 'dev' })).toEqual([child.id]);
    });

    it('ends an active task exactly once; lists expired active tasks', async () => {
      const s = store();
      const due = aTask({ expiresAt: T1 });
      const later = aTask({ expiresAt: T2 });
      await s.tasks.create(due);
      await s.tasks.create(later);
      expect((await s.tasks.listExpired(T1, 10)).map((t) => t.id)).toEqual([due.id]);
      expect(await s.tasks.end(due.id, 'expired', T1, 'ttl')).toBe(true);
      expect(await s.tasks.end(due.id, 'completed', T2, 'again')).toBe(false);
      expect(await s.tasks.end(newId('task'), 'completed', T2, 'unknown')).toBe(false);
      expect(await s.tasks.get(due.id)).toMatchObject({ status: 'expired', endedAt: T1, endReason: 'ttl' });
      expect(await s.tasks.listExpired(T2, 10)).toEqual([later]);
    });
  });

  describe('issued tokens', () => {
    it('records in bulk, keeps an earlier revocation, revokes once, prunes expired', async () => {
      const s = store();
      const revokedFirst = aToken();
      await s.issuedTokens.revoke({ ...revokedFirst, revokedAt: T0 });
      const tokens = [aToken(), aToken({ expiresAt: T2 }), revokedFirst];
      await s.issuedTokens.recordMany(tokens);
      expect(await s.issuedTokens.get(revokedFirst.jti)).toEqual({ ...revokedFirst, revokedAt: T0 });
      expect(await s.issuedTokens.get(tokens[0]!.jti)).toEqual(tokens[0]);
      await s.issuedTokens.revoke({ ...tokens[0]!, revokedAt: T1 });
      await s.issuedTokens.revoke({ ...tokens[0]!, revokedAt: T2 });
      expect((await s.issuedTokens.get(tokens[0]!.jti))?.revokedAt).toBe(T1);
      expect(await s.issuedTokens.deleteExpired(T2)).toBe(2);
      expect(await s.issuedTokens.get(tokens[1]!.jti)).toEqual(tokens[1]);
      await s.issuedTokens.recordMany(Array.from({ length: 1200 }, () => aToken()));
    });

    it('records in bulk inside a transaction (the issuance commit) the same way, keeping an earlier revocation', async () => {
      const s = store();
      const revokedFirst = aToken();
      await s.issuedTokens.revoke({ ...revokedFirst, revokedAt: T0 });
      const fresh = aToken();
      await s.transaction((tx) => tx.issuedTokens.recordMany([fresh, revokedFirst, fresh]));
      expect(await s.issuedTokens.get(fresh.jti)).toEqual(fresh);
      expect(await s.issuedTokens.get(revokedFirst.jti)).toEqual({ ...revokedFirst, revokedAt: T0 });
      const lost = aToken();
      const rolledBack = s.transaction(async (tx) => {
        await tx.issuedTokens.recordMany([lost]);
        throw new Error('roll back');
      });
      await expect(rolledBack).rejects.toThrow('roll back');
      expect(await s.issuedTokens.get(lost.jti)).toBeUndefined();
    });
  });

  describe('revocation events', () => {
    it('assigns increasing seqs and pages after a seq', async () => {
      const s = store();
      expect(await s.revocationEvents.lastSeq()).toBe(0);
      const appended = [];
      for (const kind of ['task', 'token', 'identity', 'sponsor'] as const) {
        appended.push(
          await s.transaction((tx) =>
            tx.revocationEvents.append({
              id: newId('revocationEvent'),
              kind,
              subjectId: `${kind}-1`,
              reason: 'r',
              set: 'a.b.c',
              createdAt: T0,
            }),
          ),
        );
      }
      const seqs = appended.map((e) => e.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(new Set(seqs).size).toBe(4);
      expect(await s.revocationEvents.lastSeq()).toBe(seqs[3]);
      expect(await s.revocationEvents.listAfter(seqs[1]!, 1)).toEqual([appended[2]]);
      expect(await s.revocationEvents.listAfter(0, 10)).toEqual(appended);
    });
  });
}
