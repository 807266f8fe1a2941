/**
 * The one function through which token issuance, exchange and refusals reach the audit log. Events
 * go through the audit trail's group-commit writer (one transaction per batch of concurrent
 * requests) and are awaited: a token is handed out only once its issuance is durably recorded, and
 * if that record cannot be written the issuance fails (fail closed). A refusal stays a refusal
 * even when its record fails; the failure is reported.
 */
import type { AuditRecorder } from '../audit/audit-recorder.js';
import type { AuditEvent, AuditEventInput } from '../storage/storage-types.js';

export interface OAuthAuditEvent {
  /** The authenticated client (identity id), or `unauthenticated`. */
  actor: string;
  type: 'oauth.token.issued' | 'oauth.token.exchanged' | 'oauth.token.refused' | 'oauth.token.revoked';
  taskId: string | null;
  outcome: 'success' | 'denied';
  details: Record<string, unknown>;
}

export type OAuthAuditSink = (event: OAuthAuditEvent) => Promise<void>;

/** The stored form of an OAuth audit event: targetId and taskId are the task. */
export function oauthAuditEvent(audit: AuditRecorder, e: OAuthAuditEvent): AuditEventInput {
  return { ...audit.event(e.actor, e.type, e.taskId, e.details, e.outcome), taskId: e.taskId };
}

export function createOAuthAuditSink(
  audit: AuditRecorder,
  writer: { append(event: AuditEventInput): Promise<AuditEvent> },
  onError: (err: unknown) => void,
): OAuthAuditSink {
  return async (e) => {
    try {
      await writer.append(oauthAuditEvent(audit, e));
    } catch (err) {
      onError(err);
      if (e.outcome === 'success') throw err;
    }
  };
}
