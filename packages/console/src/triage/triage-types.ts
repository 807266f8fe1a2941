/**
 * Wire shapes of posture findings and behavioural alerts as the server sends them
 * (discovery/discovery-types.ts and detection/alert-types.ts); the SDK does not export these yet.
 */

export const FINDING_STATUSES = ['open', 'accepted', 'resolved'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Rule ids the server's posture rules and secret scan raise (a hint list; the filter takes any). */
export const FINDING_RULES = [
  'broad-oidc-trust',
  'ci-static-cloud-key',
  'cross-environment',
  'human-use',
  'leaked-secret',
  'non-expiring-credential',
  'over-privileged',
  'owner-gone',
  'password-auth',
  'rotation-overdue',
  'secret-without-expiry',
  'shared-by-workloads',
  'static-key-federable',
  'third-party-broad-grant',
  'unused-grants',
  'unused-identity',
] as const;

export interface Finding {
  id: string;
  /** `NHI1` … `NHI10` */
  code: string;
  rule: string;
  severity: Severity;
  status: FindingStatus;
  dedupKey: string;
  title: string;
  identityId: string | null;
  credentialId: string | null;
  evidence: Record<string, unknown>;
  remedy: string;
  firstSeenAt: string;
  lastSeenAt: string;
  resolvedAt: string | null;
  resolution: string | null;
  acceptedUntil: string | null;
  note: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

export const ALERT_KINDS = [
  'scope_drift',
  'new_source',
  'off_hours',
  'rate_spike',
  'volume_spike',
  'dormant_reactivated',
  'repeated_denials',
  'escalation_attempt',
  'orphaned_owner',
  'human_use',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export interface Alert {
  id: string;
  identityId: string;
  kind: AlertKind;
  severity: Severity;
  status: AlertStatus;
  title: string;
  explanation: string;
  baseline: Record<string, unknown>;
  observed: Record<string, unknown>;
  eventIds: string[];
  eventCount: number;
  firstSeenAt: string;
  lastSeenAt: string;
  createdAt: string;
  updatedAt: string;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
  note: string | null;
  version: number;
}
