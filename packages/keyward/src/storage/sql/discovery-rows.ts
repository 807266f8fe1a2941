/** Row shapes of migration 10's tables (discovery), as Kysely sees them. */

export interface DiscoveryRefRow {
  scope: string;
  feed: string;
  external_id: string;
  node_type: string;
  node_id: string | null;
  content_hash: string;
  details: string;
  first_imported_at: string;
  last_imported_at: string;
  last_run_id: string;
  missing_since: string | null;
}

export interface CredentialRow {
  id: string;
  identity_id: string;
  scope: string;
  external_id: string;
  kind: string;
  status: string;
  hint: string | null;
  secret_sha256: string | null;
  created_at: string | null;
  last_rotated_at: string | null;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
  details: string;
  first_seen: string;
  updated_at: string;
  version: number;
}

export interface FindingRow {
  id: string;
  code: string;
  rule: string;
  severity: string;
  status: string;
  dedup_key: string;
  title: string;
  identity_id: string | null;
  credential_id: string | null;
  evidence: string;
  remedy: string;
  first_seen_at: string;
  last_seen_at: string;
  resolved_at: string | null;
  resolution: string | null;
  accepted_until: string | null;
  note: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface DiscoveryRunRow {
  id: string;
  type: string;
  source: string;
  scope: string;
  feed: string;
  actor: string;
  started_at: string;
  finished_at: string;
  summary: string;
}
