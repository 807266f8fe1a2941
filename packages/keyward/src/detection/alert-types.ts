/**
 * Behavioural alerts: the record and wire types shared by the detection engine, the alert store,
 * the HTTP routes and the CLI.
 */

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

export const ALERT_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

export interface Alert {
  id: string;
  /** The identity whose behaviour broke its baseline. */
  identityId: string;
  kind: AlertKind;
  severity: AlertSeverity;
  status: AlertStatus;
  /** One line, e.g. "new source 203.0.113.0/24 for ci-deployer". */
  title: string;
  /** Plain-language explanation: what was seen, against what normal looks like. */
  explanation: string;
  /** The part of the baseline that was broken (e.g. the known sources), as it was at the time. */
  baseline: Record<string, unknown>;
  /** What was observed (e.g. the new source, the rate, the bytes). */
  observed: Record<string, unknown>;
  /** Audit event ids that raised or later joined this alert (the first 50). */
  eventIds: string[];
  /** How many events joined this alert (dedupe: one incident, one alert). */
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

export interface AlertFilter {
  status?: AlertStatus | undefined;
  kind?: AlertKind | undefined;
  severity?: AlertSeverity | undefined;
  identityId?: string | undefined;
}

/** A stored audit checkpoint signing key; the private half is sealed under the master key. */
export interface CheckpointKeyRecord {
  kid: string;
  status: 'active' | 'retired';
  publicJwk: Record<string, unknown>;
  privateKeySealed: string;
  createdAt: string;
  retiredAt: string | null;
}

/** One identity's persisted baseline (the engine's compact JSON form). */
export interface StoredBaseline {
  identityId: string;
  baseline: string;
  updatedAt: string;
}
