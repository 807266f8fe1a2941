/** Row shapes of migration 9's tables (detection and the audit checkpoint keys), as Kysely sees them. */

export interface AuditCheckpointKeyRow {
  kid: string;
  status: string;
  public_jwk: string;
  private_key_sealed: string;
  created_at: string;
  retired_at: string | null;
}

export interface DetectionBaselineRow {
  identity_id: string;
  baseline: string;
  updated_at: string;
}

export interface AlertRow {
  id: string;
  identity_id: string;
  kind: string;
  severity: string;
  status: string;
  title: string;
  explanation: string;
  baseline: string;
  observed: string;
  event_ids: string;
  event_count: number;
  first_seen_at: string;
  last_seen_at: string;
  created_at: string;
  updated_at: string;
  acknowledged_by: string | null;
  acknowledged_at: string | null;
  resolved_by: string | null;
  resolved_at: string | null;
  note: string | null;
  version: number;
}
