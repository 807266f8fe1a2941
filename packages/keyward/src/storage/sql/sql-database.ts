/**
 * The row shapes of every table, as Kysely sees them. Columns are snake_case; times are ISO-8601
 * TEXT (sortable and byte-identical on both backends); JSON fields are TEXT holding JSON, parsed by
 * the role stores' mappers; booleans are 0/1 integers because better-sqlite3 cannot bind booleans
 * and one representation keeps the SQL identical on both backends.
 */
import type { Generated } from 'kysely';
import type { AlertRow, AuditCheckpointKeyRow, DetectionBaselineRow } from './detection-rows.js';
import type { CredentialRow, DiscoveryRefRow, DiscoveryRunRow, FindingRow } from './discovery-rows.js';
import type {
  ExpiryNoticeRow,
  OffboardingCaseRow,
  ReviewCampaignRow,
  ReviewItemRow,
  RotationRow,
  RotationScheduleRow,
  SchedulerLeaseRow,
} from './lifecycle-rows.js';

export interface IdentityRow {
  id: string;
  name: string;
  kind: string;
  owner_id: string | null;
  purpose: string | null;
  environment: string;
  business_system: string | null;
  origin: string;
  origin_external_id: string | null;
  secret_locations: string;
  credential: string;
  review_date: string | null;
  status: string;
  labels: string;
  first_seen: string;
  last_seen: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface HumanRow {
  id: string;
  email: string;
  name: string;
  active: number;
  title: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface SystemRow {
  id: string;
  name: string;
  sensitivity: string;
  owner_id: string | null;
  description: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface ResourceRow {
  id: string;
  name: string;
  kind: string;
  system_id: string | null;
  environment: string | null;
  sensitivity: string;
  labels: string;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface EdgeRow {
  id: string;
  kind: string;
  from_id: string;
  to_id: string;
  actions: string;
  created_at: string;
}

export interface ApiTokenRow {
  id: string;
  name: string;
  role: string;
  prefix: string;
  secret_hash: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface AuditEventRow {
  /** Assigned by the store as chain head + 1 (gap-free); int8 is parsed to number on PostgreSQL. */
  seq: number;
  id: string;
  time: string;
  actor: string;
  type: string;
  target_id: string | null;
  outcome: string;
  details: string;
  /** JSON columns below hold canonical JSON text (audit/audit-hash.ts), hashed as stored. */
  delegation_chain: string;
  action: string | null;
  task_id: string | null;
  policy_ids: string;
  source: string | null;
  prev_hash: string;
  hash: string;
}

export interface AuditChainHeadRow {
  id: number;
  seq: number;
  hash: string;
}

export interface AuditCheckpointRow {
  id: Generated<number>;
  seq: number;
  hash: string;
  time: string;
  kind: string;
  kid: string;
  jws: string;
}

export interface AuditSinkCursorRow {
  sink: string;
  seq: number;
  updated_at: string;
}

export interface AuditDeadLetterRow {
  id: Generated<number>;
  sink: string;
  from_seq: number;
  to_seq: number;
  attempts: number;
  error: string;
  time: string;
}

export interface CredentialLeaseRow {
  id: string;
  database_name: string;
  role_name: string;
  owner_ref: string;
  created_at: string;
  valid_until: string;
  status: string;
  attempts: number;
  last_error: string | null;
  revoked_at: string | null;
  next_attempt_at: string | null;
  claimed_at: string | null;
}

export interface BrokeredDatabaseRow {
  name: string;
  admin_url: string;
  sealed_password: string | null;
  role_prefix: string;
  grants: string;
  max_ttl_seconds: number;
  created_at: string;
  updated_at: string;
}

export interface SigningKeyRow {
  kid: string;
  alg: string;
  status: string;
  public_jwk: string;
  private_key_sealed: string;
  created_at: string;
  retired_at: string | null;
}

export interface IdentityKeyRow {
  identity_id: string;
  kid: string;
  thumbprint: string;
  public_jwk: string;
  created_at: string;
}

export interface UsedJtiRow {
  issuer: string;
  jti: string;
  expires_at: string;
}

export interface FederationIssuerRow {
  id: string;
  issuer: string;
  jwks_uri: string | null;
  jwks: string | null;
  audiences: string;
  algorithms: string;
  rules: string;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface TaskRow {
  id: string;
  agent_id: string;
  sponsor_id: string;
  intent: string;
  scopes: string;
  environment: string;
  parent_task_id: string | null;
  status: string;
  created_at: string;
  expires_at: string;
  ended_at: string | null;
  end_reason: string | null;
}

export interface IssuedTokenRow {
  jti: string;
  task_id: string;
  subject: string;
  client_id: string;
  issued_at: string;
  expires_at: string;
  revoked_at: string | null;
}

export interface RevocationEventRow {
  seq: Generated<number>;
  id: string;
  kind: string;
  subject_id: string;
  reason: string;
  set_jwt: string;
  created_at: string;
}

export interface ApprovalRow {
  id: string;
  status: string;
  principal: string;
  action: string;
  resource: string;
  arguments_hash: string;
  requester_id: string;
  task_id: string | null;
  approver_ids: string;
  policy_ids: string;
  reason: string;
  delegation_chain: string;
  created_at: string;
  expires_at: string;
  decided_by: string | null;
  decided_at: string | null;
  comment: string | null;
}

export interface PolicyVersionRow {
  version: number;
  hash: string;
  files: string;
  kind: string;
  restored_from: number | null;
  replaces: number | null;
  created_at: string;
  created_by: string;
  reason: string;
}

export interface PolicyStateRow {
  id: number;
  active_version: number;
}

export interface MigrationRow {
  version: number;
  name: string;
  applied_at: string;
}

export interface Database {
  identities: IdentityRow;
  humans: HumanRow;
  systems: SystemRow;
  resources: ResourceRow;
  edges: EdgeRow;
  api_tokens: ApiTokenRow;
  audit_events: AuditEventRow;
  credential_leases: CredentialLeaseRow;
  brokered_databases: BrokeredDatabaseRow;
  signing_keys: SigningKeyRow;
  identity_keys: IdentityKeyRow;
  used_jtis: UsedJtiRow;
  federation_issuers: FederationIssuerRow;
  audit_chain_head: AuditChainHeadRow;
  audit_checkpoints: AuditCheckpointRow;
  audit_sink_cursors: AuditSinkCursorRow;
  audit_dead_letters: AuditDeadLetterRow;
  tasks: TaskRow;
  issued_tokens: IssuedTokenRow;
  revocation_events: RevocationEventRow;
  approvals: ApprovalRow;
  keyward_migrations: MigrationRow;
  policy_versions: PolicyVersionRow;
  policy_state: PolicyStateRow;
  audit_checkpoint_keys: AuditCheckpointKeyRow;
  detection_baselines: DetectionBaselineRow;
  alerts: AlertRow;
  discovery_refs: DiscoveryRefRow;
  credentials: CredentialRow;
  findings: FindingRow;
  discovery_runs: DiscoveryRunRow;
  scheduler_leases: SchedulerLeaseRow;
  offboarding_cases: OffboardingCaseRow;
  expiry_notices: ExpiryNoticeRow;
  access_review_campaigns: ReviewCampaignRow;
  access_review_items: ReviewItemRow;
  rotation_schedules: RotationScheduleRow;
  rotations: RotationRow;
}
