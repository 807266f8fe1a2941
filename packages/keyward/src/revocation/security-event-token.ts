/**
 * The claims of a revocation Security Event Token (RFC 8417) with OpenID CAEP events. Token, task
 * and sponsor revocations are `session-revoked`; an identity-level revocation is
 * `credential-change` with change_type `revoke`. `keyward_revocation` tells a verifier what to
 * match: a token's `jti`, its `task_id`, its `sub` or any `act.sub` (identity), or its `sponsor`.
 */
import type { RevocationKind } from '../storage/storage-types.js';

export const SESSION_REVOKED = 'https://schemas.openid.net/secevent/caep/event-type/session-revoked';
export const CREDENTIAL_CHANGE = 'https://schemas.openid.net/secevent/caep/event-type/credential-change';

export interface RevocationSetInput {
  issuer: string;
  /** The SET's jti: the revocation event id. */
  jti: string;
  kind: RevocationKind;
  id: string;
  reason: string;
  at: Date;
}

export function revocationSetClaims(input: RevocationSetInput): Record<string, unknown> {
  const subject = { format: 'opaque', id: input.id };
  const common = {
    subject,
    event_timestamp: Math.floor(input.at.getTime() / 1000),
    reason_admin: { en: input.reason },
  };
  const events =
    input.kind === 'identity'
      ? { [CREDENTIAL_CHANGE]: { ...common, credential_type: 'app', change_type: 'revoke' } }
      : { [SESSION_REVOKED]: common };
  return {
    iss: input.issuer,
    jti: input.jti,
    events,
    keyward_revocation: { kind: input.kind, id: input.id },
  };
}
