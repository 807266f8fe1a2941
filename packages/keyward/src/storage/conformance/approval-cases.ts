/**
 * Conformance cases for step-up approvals: round trip, binding-exact lookup (a different argument
 * hash is another request), filters (approver inside the JSON list), one-shot decide/expire.
 */
import { describe, expect, it } from 'vitest';
import type { ApprovalRecord } from '../../approvals/approval-types.js';
import { newId } from '../../ids.js';
import { allPages, type StoreRef } from './conformance-fixtures.js';

const T0 = '2025-01-02T03:04:05.678Z';
const T1 = '2025-01-02T04:00:00.000Z';
const T2 = '2025-01-02T05:00:00.000Z';

export function anApproval(over: Partial<ApprovalRecord> = {}): ApprovalRecord {
  return {
    id: newId('approval'),
    status: 'pending',
    binding: {
      principal: 'Keyward::Agent::"nhi_1"',
      action: 'Keyward::Action::"call_tool"',
      resource: 'Keyward::Tool::"fs/write_file"',
      argumentsHash: 'a'.repeat(64),
    },
    requesterId: newId('identity'),
    taskId: newId('task'),
    approverIds: [newId('human')],
    policyIds: ['prod-writes-need-approval'],
    reason: 'agent wants to write a file in prod',
    delegationChain: [newId('human'), newId('identity')],
    createdAt: T0,
    expiresAt: T1,
    decidedBy: null,
    decidedAt: null,
    comment: null,
    ...over,
  };
}

export function approvalCases(store: StoreRef): void {
  describe('approvals', () => {
    it('round-trips every field; ids are unique', async () => {
      const s = store();
      const a = anApproval({ taskId: null });
      await s.approvals.create(a);
      expect(await s.approvals.get(a.id)).toEqual(a);
      expect(await s.approvals.get(newId('approval'))).toBeUndefined();
      await expect(s.approvals.create(anApproval({ id: a.id }))).rejects.toMatchObject({ code: 'conflict' });
    });

    it('finds by the exact binding only, unexpired, newest first', async () => {
      const s = store();
      const a = anApproval();
      const newer = anApproval({ expiresAt: T2 });
      const otherArgs = anApproval({ binding: { ...a.binding, argumentsHash: 'b'.repeat(64) } });
      const noArgs = anApproval({ binding: { ...a.binding, argumentsHash: '' } });
      for (const x of [a, newer, otherArgs, noArgs]) await s.approvals.create(x);
      const ids = async (b: ApprovalRecord['binding'], now: string) =>
        (await s.approvals.findByBinding(b, 'pending', now)).map((x) => x.id);
      expect(await ids(a.binding, T0)).toEqual([newer.id, a.id]);
      expect(await ids(a.binding, T1)).toEqual([newer.id]);
      expect(await ids(noArgs.binding, T0)).toEqual([noArgs.id]);
      expect(await ids({ ...a.binding, resource: 'Keyward::Tool::"fs/read_file"' }, T0)).toEqual([]);
      expect(await s.approvals.findByBinding(a.binding, 'approved', T0)).toEqual([]);
    });

    it('filters by status, approver, requester and task, in id order', async () => {
      const s = store();
      const approver = newId('human');
      const a = anApproval({ approverIds: [newId('human'), approver] });
      const b = anApproval({ approverIds: [approver], requesterId: a.requesterId, status: 'denied' });
      const c = anApproval();
      for (const x of [a, b, c]) await s.approvals.create(x);
      const ids = async (f: Parameters<typeof s.approvals.list>[0]) =>
        (await allPages((cursor) => s.approvals.list(f, { cursor, limit: 1 }))).map((x) => x.id);
      expect(await ids({ approverId: approver })).toEqual([a.id, b.id]);
      expect(await ids({ approverId: approver, status: 'pending' })).toEqual([a.id]);
      // `_` in an id is not a LIKE wildcard here.
      expect(await ids({ approverId: approver.replace('hum_', 'hum%') })).toEqual([]);
      expect(await ids({ requesterId: a.requesterId })).toEqual([a.id, b.id]);
      expect(await ids({ taskId: c.taskId! })).toEqual([c.id]);
    });

    it('decides a pending approval exactly once', async () => {
      const s = store();
      const a = anApproval();
      await s.approvals.create(a);
      const decision = {
        status: 'approved' as const,
        decidedBy: a.approverIds[0]!,
        decidedAt: T0,
        comment: 'ok',
        expiresAt: T2,
      };
      expect(await s.approvals.decide(a.id, decision)).toBe(true);
      expect(await s.approvals.decide(a.id, { ...decision, status: 'denied' })).toBe(false);
      expect(await s.approvals.decide(newId('approval'), decision)).toBe(false);
      expect(await s.approvals.get(a.id)).toEqual({ ...a, ...decision });
      expect(await s.approvals.expire(a.id, T2)).toBe(false);
    });

    it('expires only pending approvals that are due; lists them oldest first', async () => {
      const s = store();
      const due = anApproval({ expiresAt: T0 });
      const later = anApproval({ expiresAt: T2 });
      await s.approvals.create(later);
      await s.approvals.create(due);
      expect((await s.approvals.listExpired(T1, 10)).map((x) => x.id)).toEqual([due.id]);
      expect(await s.approvals.expire(later.id, T1)).toBe(false);
      expect(await s.approvals.expire(due.id, T1)).toBe(true);
      expect(await s.approvals.expire(due.id, T1)).toBe(false);
      expect(await s.approvals.get(due.id)).toMatchObject({ status: 'expired', decidedAt: T1 });
      expect((await s.approvals.listExpired(T2, 10)).map((x) => x.id)).toEqual([later.id]);
    });
  });
}
