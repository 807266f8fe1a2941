/**
 * A behavioural alert as a Security Event Token (RFC 8417) on the revocation/SET feed, so resource
 * servers already subscribed to the feed can react (step up, slow down, block). The event type is
 * Keyward's own, https://keyward.dev/secevent/alert, in the CAEP style (subject, event_timestamp,
 * reason_admin). It carries no `keyward_revocation` marker: verifiers that only act on revocations
 * (the SDK) ignore it; `keyward_alert` names the alert for those that act on alerts.
 */
import type { Alert } from './alert-types.js';

export const ALERT_EVENT = 'https://keyward.dev/secevent/alert';

export function alertSetClaims(issuer: string, jti: string, alert: Alert): Record<string, unknown> {
  return {
    iss: issuer,
    jti,
    events: {
      [ALERT_EVENT]: {
        subject: { format: 'opaque', id: alert.identityId },
        event_timestamp: Math.floor(Date.parse(alert.firstSeenAt) / 1000),
        alert_id: alert.id,
        kind: alert.kind,
        severity: alert.severity,
        reason_admin: { en: alert.title },
      },
    },
    keyward_alert: { id: alert.id, kind: alert.kind, severity: alert.severity, identity: alert.identityId },
  };
}
