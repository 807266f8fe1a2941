/**
 * Storage roles of the lifecycle workflows (src/lifecycle): the scheduler's per-job leases, the
 * offboarding cases and the expiry notices already sent. Contracts follow storage-types.ts.
 */

/**
 * One lease row per scheduled job, so that when several replicas share a database only one runs a
 * given job at a time.
 *
 * Contract:
 * - `acquire(job, holder, now, expiresAt)` takes the lease when nobody holds it, when its holder's
 *   lease has expired (stored expires_at <= now), or renews it when `holder` already holds it; it is
 *   one conditional upsert (atomic on both backends: two callers racing for a free or expired lease
 *   cannot both win). Returns true when `holder` holds the lease afterwards (until `expiresAt`).
 * - `release(job, holder)` deletes the lease only if `holder` holds it; returns whether it did.
 * - `get(job)` returns the current row (expired or not), or undefined.
 * Times are ISO-8601 strings compared as text (all written by the same `toISOString`).
 */
export interface SchedulerLeaseStore {
  acquire(job: string, holder: string, now: string, expiresAt: string): Promise<boolean>;
  release(job: string, holder: string): Promise<boolean>;
  get(job: string): Promise<SchedulerLease | undefined>;
}

export interface SchedulerLease {
  job: string;
  holder: string;
  expiresAt: string;
}

export type OffboardingState = 'orphaning' | 'awaiting_reassignment' | 'closed';

export interface OffboardingDetails {
  /** The leaver's email and name when the case opened (the human record may change later). */
  email: string;
  /** Tasks ended by the sponsor revocation that opened the case. */
  revokedTasks: string[];
  /** Identities the leaver owned that this case marked orphaned (or found orphaned). */
  orphaned: string[];
  /** Filled when the case closes: disabled past the grace period, and taken by a new owner or otherwise kept. */
  disabled: string[];
  kept: string[];
  closedAt: string | null;
}

export interface OffboardingCase {
  id: string;
  humanId: string;
  startedAt: string;
  graceUntil: string;
  state: OffboardingState;
  details: OffboardingDetails;
}

/**
 * Offboarding cases.
 *
 * Contract:
 * - At most one case per human is not `closed`: `create` throws StorageError('conflict') when the
 *   human already has an open case (two replicas starting the same offboarding at once).
 * - `update` replaces state and details of a stored case (by id; startedAt, humanId are immutable);
 *   it is a plain write, the caller serializes through its transaction and state checks.
 * - `list` orders by id (creation order), keyset-paged like every list; `state` filters.
 * - `getForUpdate` inside a transaction reads the latest committed case and holds it until commit.
 * - `openFor(humanId)` is the human's case that is not closed, if any; `latestFor` the newest case.
 */
export interface OffboardingCaseStore {
  create(c: OffboardingCase): Promise<void>;
  /**
   * Inside a transaction: locks the case's row until commit (PostgreSQL `FOR UPDATE`), so two
   * replicas advancing one case read and write it one after the other; on SQLite, whose writers
   * are serialized anyway, a plain read. Returns the case as stored, or undefined.
   */
  getForUpdate(id: string): Promise<OffboardingCase | undefined>;
  get(id: string): Promise<OffboardingCase | undefined>;
  openFor(humanId: string): Promise<OffboardingCase | undefined>;
  latestFor(humanId: string): Promise<OffboardingCase | undefined>;
  update(c: OffboardingCase): Promise<void>;
  list(
    filter: { state?: OffboardingState | undefined; humanId?: string | undefined },
    page: { cursor?: string | undefined; limit?: number | undefined },
  ): Promise<{ items: OffboardingCase[]; nextCursor: string | null }>;
}

/**
 * Expiry notices sent, one per (identity, end date): `record` inserts the marker and returns true,
 * or returns false (writing nothing) when that identity was already noticed for that end. A new end
 * date (the credential was renewed) is a new key, so it gets its own notice.
 */
export interface ExpiryNoticeStore {
  record(identityId: string, endsAt: string, sentAt: string): Promise<boolean>;
  has(identityId: string, endsAt: string): Promise<boolean>;
}
