/**
 * Refusing a workload authentication: every refusal is a KeywardError('invalid_client') carrying a
 * stable `reason`, and is recorded as a `workload_auth.refused` audit event (outcome denied) with
 * that reason. The presented token is never echoed, neither in the message nor in the event.
 * Refusals change no state, so the event is appended on its own, not inside a transaction; if the
 * audit store is down the refusal still stands (the append failure is not allowed to mask it).
 */
import type { AuditRecorder } from '../audit/audit-recorder.js';
import { KeywardError } from '../errors.js';
import { isWellFormedId } from '../ids.js';
import type { Store } from '../storage/storage-types.js';

export type RefusalReason =
  | 'malformed'
  | 'alg_not_allowed'
  | 'unknown_client'
  | 'iss_sub_mismatch'
  | 'unknown_key'
  | 'bad_signature'
  | 'missing_exp'
  | 'expired'
  | 'exp_too_far'
  | 'not_yet_valid'
  | 'iat_in_future'
  | 'wrong_audience'
  | 'missing_jti'
  | 'replayed'
  | 'identity_inactive'
  | 'unknown_issuer'
  | 'wrong_issuer'
  | 'invalid_claims'
  | 'jwks_unavailable'
  | 'no_matching_rule'
  | 'unknown_target'
  | 'human_inactive';

export class WorkloadAuthError extends KeywardError {
  readonly reason: RefusalReason;
  constructor(reason: RefusalReason, message: string) {
    super('invalid_client', message);
    this.reason = reason;
  }
}

export type AuthMethod = 'private_key_jwt' | 'federated_token';

export interface RefusalContext {
  /** The client or issuer the token claimed to come from (unverified). */
  claimed?: string | undefined;
  details?: Record<string, unknown>;
}

export function createRefuser(store: Store, audit: AuditRecorder, method: AuthMethod) {
  const label = method === 'private_key_jwt' ? 'client assertion' : 'federated token';
  return async function refuse(
    reason: RefusalReason,
    detail: string,
    context: RefusalContext = {},
  ): Promise<never> {
    const claimed = context.claimed?.slice(0, 300);
    const target = claimed && isWellFormedId(claimed) ? claimed : null;
    await store.audit
      .append(
        audit.event(
          'unauthenticated',
          'workload_auth.refused',
          target,
          { method, reason, detail, ...(claimed ? { claimed } : {}), ...context.details },
          'denied',
        ),
      )
      .catch(() => {});
    throw new WorkloadAuthError(reason, `${label} refused (${reason}): ${detail}`);
  };
}
