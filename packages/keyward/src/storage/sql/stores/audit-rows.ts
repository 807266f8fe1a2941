/**
 * Mapping between audit events and audit_events rows, and the chaining of new rows: the JSON
 * columns are written as canonical JSON text, which is what the hash covers (audit/audit-hash.ts).
 */
import { chainHashOfPrefix } from '../../../audit/audit-hash.js';
import { preparedOf } from '../../../audit/audit-prepare.js';
import type { AuditEvent, AuditEventInput } from '../../../audit/audit-types.js';
import type { AuditHead } from '../../storage-types.js';
import type { AuditEventRow } from '../sql-database.js';

export const AUDIT_COLUMNS = [
  'seq',
  'id',
  'time',
  'actor',
  'type',
  'target_id',
  'outcome',
  'details',
  'delegation_chain',
  'action',
  'task_id',
  'policy_ids',
  'source',
  'prev_hash',
  'hash',
] as const;

export function fromAuditRow(r: AuditEventRow): AuditEvent {
  return {
    id: r.id,
    seq: Number(r.seq),
    time: r.time,
    actor: r.actor,
    delegationChain: JSON.parse(r.delegation_chain) as string[],
    type: r.type,
    action: r.action,
    targetId: r.target_id,
    taskId: r.task_id,
    outcome: r.outcome as AuditEvent['outcome'],
    policyIds: JSON.parse(r.policy_ids) as string[],
    source: r.source === null ? null : (JSON.parse(r.source) as AuditEvent['source']),
    details: JSON.parse(r.details) as Record<string, unknown>,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/**
 * Chains `inputs` after `head`: hands each row to `onRow` (in AUDIT_COLUMNS order) as soon as it is
 * made, and returns the stored events (normalized, with seq and hashes) and the new head. Row by
 * row rather than as a list, so a SQLite insert consumes each row while it is young: holding a
 * group of 16k row arrays made every young-generation GC copy them.
 */
export function chainEvents(
  head: AuditHead,
  inputs: readonly AuditEventInput[],
  onRow: (row: unknown[]) => void,
): { events: AuditEvent[]; head: AuditHead } {
  let prev = head.hash;
  let seq = head.seq;
  const events: AuditEvent[] = new Array(inputs.length);
  for (let i = 0; i < inputs.length; i++) {
    const e = inputs[i]!;
    seq++;
    const { fields: f, prefix } = preparedOf(e);
    const hash = chainHashOfPrefix(prefix, prev);
    onRow([
      seq,
      f.id,
      f.time,
      f.actor,
      f.type,
      f.targetId,
      f.outcome,
      f.details,
      f.delegationChain,
      f.action,
      f.taskId,
      f.policyIds,
      f.source,
      prev,
      hash,
    ]);
    // The caller's values (not re-parsed from the canonical text): equal as JSON, and cheaper.
    events[i] = {
      id: e.id,
      seq,
      time: e.time,
      actor: e.actor,
      delegationChain: e.delegationChain ?? [],
      type: e.type,
      action: f.action,
      targetId: e.targetId,
      taskId: f.taskId,
      outcome: e.outcome,
      policyIds: e.policyIds ?? [],
      source: e.source ?? null,
      details: e.details,
      prevHash: prev,
      hash,
    };
    prev = hash;
  }
  return { events, head: { seq, hash: prev } };
}
