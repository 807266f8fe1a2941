/**
 * Builds audit events for the core services. Services append the event in the same transaction
 * as the change it records, so a change and its audit record commit together or not at all.
 */
import { newId } from '../ids.js';
import type { AuditEventInput } from '../storage/storage-types.js';

export interface AuditRecorder {
  event(
    actor: string,
    type: string,
    targetId: string | null,
    details?: Record<string, unknown>,
    outcome?: AuditEventInput['outcome'],
  ): AuditEventInput;
}

export function createAuditRecorder(now: () => Date): AuditRecorder {
  return {
    event(actor, type, targetId, details = {}, outcome = 'success') {
      return { id: newId('auditEvent'), time: now().toISOString(), actor, type, targetId, outcome, details };
    },
  };
}
