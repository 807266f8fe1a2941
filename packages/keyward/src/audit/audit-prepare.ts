/**
 * Prepares an event for the chain ahead of time: its stored (canonical JSON) fields and the hash
 * prefix, everything but the link to its predecessor. On PostgreSQL the AuditWriter prepares each
 * event when it is appended, so that work happens while the previous batch is committing (the writer
 * waits on the network then) instead of inside the chain lock; on SQLite events are prepared as they
 * are chained (see audit-writer.ts for why). Prepared data rides on the input object
 * under a private symbol, so the store interface stays `AuditEventInput[]`. (Not a WeakMap: with
 * tens of thousands of events queued under load, its ephemeron entries made every young-generation
 * GC markedly slower.)
 */
import { type ChainFields, canonicalJson, chainPrefix } from './audit-hash.js';
import type { AuditEventInput } from './audit-types.js';

export interface PreparedEvent {
  fields: ChainFields;
  prefix: string;
}

const PREPARED: unique symbol = Symbol('keyward.preparedAuditEvent');
type Carrier = AuditEventInput & { [PREPARED]?: PreparedEvent };

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
  const c = e as Carrier;
  if (c[PREPARED] === undefined) {
    Object.defineProperty(c, PREPARED, { value: compute(e), enumerable: false, configurable: true });
  }
}

/** The prepared form of `e`: the one made earlier, or computed now. */
export function preparedOf(e: AuditEventInput): PreparedEvent {
  return (e as Carrier)[PREPARED] ?? compute(e);
}
