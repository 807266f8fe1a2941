/** Row shapes of migration 11's tables (the lifecycle workflows), as Kysely sees them. */

export interface SchedulerLeaseRow {
  job: string;
  holder: string;
  expires_at: string;
}

export interface OffboardingCaseRow {
  id: string;
  human_id: string;
  started_at: string;
  grace_until: string;
  state: string;
  details: string;
}

export interface ExpiryNoticeRow {
  identity_id: string;
  ends_at: string;
  sent_at: string;
}

/** Row shapes of migration 12's tables (access reviews). */
export interface ReviewCampaignRow {
  id: string;
  name: string;
  deadline: string;
  scope: string;
  state: string;
  created_at: string;
  closed_at: string | null;
  summary: string | null;
}

export interface ReviewItemRow {
  campaign_id: string;
  identity_id: string;
  owner_id: string | null;
  decision: string | null;
  note: string | null;
  decided_by: string | null;
  decided_at: string | null;
  outcome: string | null;
}

/** Row shapes of migration 13's tables (rotation). */
export interface RotationScheduleRow {
  subject: string;
  period_days: number;
  set_by: string;
  set_at: string;
}

export interface RotationRow {
  id: string;
  target: string;
  state: string;
  old_ref: string | null;
  new_ref: string | null;
  overlap_seconds: number;
  overlap_until: string | null;
  candidate_sealed: string | null;
  proposal: string | null;
  proposal_state: string | null;
  requested_by: string;
  created_at: string;
  updated_at: string;
}
