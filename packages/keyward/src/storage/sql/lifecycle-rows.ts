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
