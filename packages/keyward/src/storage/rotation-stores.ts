/**
 * Storage roles of credential rotation (src/lifecycle/rotation.ts): the schedules (a period per
 * subject) and the rotation records with their persisted state. Contracts follow storage-types.ts.
 */

/**
 * What a schedule applies to: `identity:<id>`, `kind:<identity kind>`, `api-key:<token name>` or
 * `signing-key`.
 */
export interface RotationSchedule {
  subject: string;
  periodDays: number;
  setBy: string;
  setAt: string;
}

/**
 * waiting: a proposal awaits a decision (nothing rotates); pending: ready to run;
 * applying: a new PostgreSQL password is chosen (sealed in the record) and being set;
 * overlapping: the new credential exists, the old one stays valid until overlapUntil; done.
 */
export type RotationState = 'waiting' | 'pending' | 'applying' | 'overlapping' | 'done';
export type ProposalState = 'pending' | 'accepted' | 'dismissed';

export interface Rotation {
  id: string;
  /** `api-key:<name>`, `signing-key` or `pg-role:<brokered database>`. */
  target: string;
  state: RotationState;
  /** The credential replaced (API token id, signing key kid); null until known. */
  oldRef: string | null;
  newRef: string | null;
  overlapSeconds: number;
  overlapUntil: string | null;
  /** A proposed right-sized grant to apply before rotating (opaque JSON); null: none. */
  proposal: unknown;
  proposalState: ProposalState | null;
  requestedBy: string;
  createdAt: string;
  updatedAt: string;
}

/**
 * Rotation schedules, one per subject.
 *
 * Contract: `set` inserts or replaces the subject's period; `remove` returns whether a row went;
 * `list` orders by subject.
 */
export interface RotationScheduleStore {
  set(s: RotationSchedule): Promise<void>;
  get(subject: string): Promise<RotationSchedule | undefined>;
  remove(subject: string): Promise<boolean>;
  list(): Promise<RotationSchedule[]>;
}

/**
 * Rotation records.
 *
 * Contract:
 * - `create` inserts; a duplicate id throws StorageError('conflict').
 * - `advance(id, from, patch)` applies the patch (and the new state) only while the record is in
 *   state `from`; returns whether it wrote, so two runners cannot both take a step.
 * - `open(target)` is the target's record not yet done (at most one by the workflow), or undefined.
 * - `setCandidate(id, sealed)` stores a sealed new password on a pending record and moves it to
 *   applying (false if not pending); `candidate(id)` reads it; reaching done clears it. The
 *   candidate is never part of a Rotation (nothing returns it).
 * - `inState(state)` lists records in that state by id; `list` lists all, newest first, up to limit.
 */
export interface RotationStore {
  create(r: Rotation): Promise<void>;
  get(id: string): Promise<Rotation | undefined>;
  advance(
    id: string,
    from: RotationState,
    patch: Partial<
      Pick<Rotation, 'state' | 'oldRef' | 'newRef' | 'overlapUntil' | 'proposalState' | 'updatedAt'>
    >,
  ): Promise<boolean>;
  open(target: string): Promise<Rotation | undefined>;
  setCandidate(id: string, sealed: string, at: string): Promise<boolean>;
  candidate(id: string): Promise<string | null>;
  inState(state: RotationState): Promise<Rotation[]>;
  list(limit: number): Promise<Rotation[]>;
}
