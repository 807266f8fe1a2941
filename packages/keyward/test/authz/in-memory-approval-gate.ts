/**
 * A small real ApprovalGate for the authz tests until the approval service (branch `mcp`) is merged:
 * approvals bound to the exact request, one pending approval per binding, decided by an approver
 * who is not the requester, expiring after `ttlMs`.
 */
import { randomUUID } from 'node:crypto';
import type {
  ApprovalBinding,
  ApprovalGate,
  ApprovalRecord,
  ApprovalRequestInfo,
} from '../../src/approvals/approval-types.js';

const sameBinding = (a: ApprovalBinding, b: ApprovalBinding): boolean =>
  a.principal === b.principal &&
  a.action === b.action &&
  a.resource === b.resource &&
  a.argumentsHash === b.argumentsHash;

export function createInMemoryApprovalGate(ttlMs = 600_000) {
  const records: ApprovalRecord[] = [];
  const gate: ApprovalGate = {
    async findGranted(binding, now) {
      return records.find(
        (r) =>
          r.status === 'approved' &&
          sameBinding(r.binding, binding) &&
          Date.parse(r.expiresAt) > now.getTime(),
      );
    },
    async open(binding: ApprovalBinding, info: ApprovalRequestInfo) {
      const pending = records.find((r) => r.status === 'pending' && sameBinding(r.binding, binding));
      if (pending) return pending;
      const now = new Date();
      const record: ApprovalRecord = {
        id: `apr_${randomUUID().replaceAll('-', '')}`,
        status: 'pending',
        binding,
        ...info,
        createdAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + ttlMs).toISOString(),
        decidedBy: null,
        decidedAt: null,
        comment: null,
      };
      records.push(record);
      return record;
    },
  };
  return {
    gate,
    records,
    decide(id: string, approver: string, status: 'approved' | 'denied'): ApprovalRecord {
      const r = records.find((x) => x.id === id);
      if (r?.status !== 'pending') throw new Error(`no pending approval ${id}`);
      if (approver === r.requesterId || !r.approverIds.includes(approver)) {
        throw new Error(`${approver} may not decide approval ${id}`);
      }
      Object.assign(r, { status, decidedBy: approver, decidedAt: new Date().toISOString() });
      return r;
    },
  };
}
