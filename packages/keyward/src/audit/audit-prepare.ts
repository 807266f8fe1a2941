/**
 * Prepares an event for the chain ahead of time: its stored (canonical JSON) fields and the hash
 * prefix, everything but the link to its predecessor. The AuditWriter prepares each event when it is
 * appended, so that work happens while the previous batch is committing (on PostgreSQL the writer
 * waits on the network then) instead of inside the chain lock. Prepared data is kept per input object
 * (a WeakMap), so the store interface stays `AuditEventInput[]`.
 */
import { type ChainFields, canonicalJson, chainPrefix } from './audit-hash.js';
import type { AuditEventInput } from './audit-types.js';

export interface PreparedEvent {
  fields: ChainFields;
  prefix: string;
}

const prepared = new WeakMap<AuditEventInput, PreparedEvent>();

function compute(e: AuditEventInput): PreparedEvent {
  const delegationChain = e.delegationChain ?? [];
  const policyIds = e.policyIds ?? [];
  const source = e.source ?? null;
  const fields: ChainFields = {
    id: e.id,
    time: e.time,
    actor: e.actor,
    delegationChain: delegationChain.length === 0 ? '[]' : canonicalJson(delegationChain),
    type: e.type,
    action: e.action ?? null,
    targetId: e.targetId,
    taskId: e.taskId ?? null,
    outcome: e.outcome,
    policyIds: policyIds.length === 0 ? '[]' : canonicalJson(policyIds),
    source: source === null ? null : canonicalJson(source),
    details: canonicalJson(e.details),
  };
  return { fields, prefix: chainPrefix(fields) };
}

/** Prepares `e` now (idempotent). The event must not be mutated afterwards. */
export function prepareAuditEvent(e: AuditEventInput): void {
  if (!prepared.has(e)) prepared.set(e, compute(e));
}

/** The prepared form of `e`: the one made earlier, or computed now. */
export function preparedOf(e: AuditEventInput): PreparedEvent {
  return prepared.get(e) ?? compute(e);
}
