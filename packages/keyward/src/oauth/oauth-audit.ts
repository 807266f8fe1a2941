/**
 * The one function through which token issuance, exchange and refusals reach the audit log, so a
 * batched audit writer can replace the direct append without touching the grants. Issuance
 * changes no stored state besides the issued-token row, so the event is appended on its own; a
 * failing audit store must not turn a refusal into an acceptance, nor crash the request.
 */
import type { AuditRecorder } from '../audit/audit-recorder.js';
import type { AuditStore } from '../storage/storage-types.js';

export interface OAuthAuditEvent {
  /** The authenticated client (identity id), or `unauthenticated`. */
  actor: string;
  type: 'oauth.token.issued' | 'oauth.token.exchanged' | 'oauth.token.refused' | 'oauth.token.revoked';
  taskId: string | null;
  outcome: 'success' | 'denied';
  details: Record<string, unknown>;
}

export type OAuthAuditSink = (event: OAuthAuditEvent) => void;

export function createOAuthAuditSink(
  audit: AuditRecorder,
  store: Pick<AuditStore, 'append'>,
  onError: (err: unknown) => void,
): OAuthAuditSink {
  return (e) => {
    store.append(audit.event(e.actor, e.type, e.taskId, e.details, e.outcome)).catch(onError);
  };
}
