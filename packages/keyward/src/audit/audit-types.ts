/**
 * The audit trail's record and wire types. They live here (not in @keyward/sdk) until the audit API
 * is merged into the SDK; the HTTP routes and the CLI use exactly these shapes.
 */

/** Where a request came from, when known. */
export interface AuditSource {
  ip?: string;
  userAgent?: string;
  /** A workload identity (e.g. SPIFFE id) when the caller is a workload. */
  workload?: string;
}

export type AuditOutcome = 'success' | 'failure' | 'denied';

export interface AuditEvent {
  id: string;
  /** Position in the log and in the hash chain: 1, 2, 3 … with no gaps, assigned by the store. */
  seq: number;
  time: string;
  /** Who did it: an API token id, `system`, or an identity id. */
  actor: string;
  /** The chain of principals the actor acts for, outermost first (e.g. [human, agent]); [] when direct. */
  delegationChain: string[];
  /** e.g. identity.created, edge.deleted, api_token.created, decision.evaluated */
  type: string;
  /** The verb that was attempted (e.g. `s3:GetObject`), when the type alone does not say it. */
  action: string | null;
  targetId: string | null;
  taskId: string | null;
  outcome: AuditOutcome;
  /** Ids of the policies that decided the outcome; [] when none did. */
  policyIds: string[];
  source: AuditSource | null;
  details: Record<string, unknown>;
  /** Hash of the previous event (64 zeros for the first one) and of this one; see audit-hash.ts. */
  prevHash: string;
  hash: string;
}

/** What a caller hands to the store: seq and hashes are assigned on append; the rest may be left out. */
export type AuditEventInput = Pick<
  AuditEvent,
  'id' | 'time' | 'actor' | 'type' | 'targetId' | 'outcome' | 'details'
> &
  Partial<Pick<AuditEvent, 'delegationChain' | 'action' | 'taskId' | 'policyIds' | 'source'>>;

export type CheckpointKind = 'periodic' | 'manual' | 'retention';

/** A signed statement "the log up to `seq` has head hash `hash`" (see audit-checkpointer.ts). */
export interface AuditCheckpoint {
  id: number;
  seq: number;
  hash: string;
  time: string;
  kind: CheckpointKind;
  kid: string;
  /** Compact JWS over the canonical checkpoint payload. */
  jws: string;
}

export type TamperReason = 'edited' | 'deleted' | 'inserted' | 'reordered' | 'bad_checkpoint';

export type VerifyResult =
  | {
      ok: true;
      /** Events whose hashes and links were checked. */
      events: number;
      checkpoints: number;
      /** Checkpoints whose signature was checked (those signed by a key the verifier holds). */
      signaturesChecked: number;
      firstSeq: number | null;
      lastSeq: number | null;
    }
  | { ok: false; firstBadSeq: number; reason: TamperReason; detail: string };

export interface AuditFilter {
  /** Matches the actor or the target. */
  identityId?: string | undefined;
  targetId?: string | undefined;
  taskId?: string | undefined;
  outcome?: AuditOutcome | undefined;
  type?: string | undefined;
  /** ISO times, inclusive from, exclusive to. */
  from?: string | undefined;
  to?: string | undefined;
  afterSeq?: number | undefined;
  /** Only events before this seq (the cursor of a newest-first listing). */
  beforeSeq?: number | undefined;
  /** Newest first (seq descending) instead of the log's order. */
  newestFirst?: boolean | undefined;
}

/** A page of events; nextCursor is the last seq (as a string) when more may follow. */
export interface AuditEventPage {
  items: AuditEvent[];
  nextCursor: string | null;
}
