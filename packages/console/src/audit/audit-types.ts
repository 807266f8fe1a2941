/**
 * Wire shapes of the audit API (GET /v1/audit/events, POST /v1/audit/verify, GET /v1/audit/checkpoints).
 * The SDK does not carry them yet, so they mirror packages/keyward/src/audit/audit-types.ts here.
 */

export type AuditOutcome = 'success' | 'failure' | 'denied';

export interface AuditEvent {
  id: string;
  seq: number;
  time: string;
  actor: string;
  delegationChain: string[];
  type: string;
  action: string | null;
  targetId: string | null;
  taskId: string | null;
  outcome: AuditOutcome;
  policyIds: string[];
  source: { ip?: string; userAgent?: string; workload?: string } | null;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export interface AuditEventPage {
  items: AuditEvent[];
  nextCursor: string | null;
}

export type VerifyResult =
  | {
      ok: true;
      events: number;
      checkpoints: number;
      signaturesChecked: number;
      firstSeq: number | null;
      lastSeq: number | null;
    }
  | { ok: false; firstBadSeq: number; reason: string; detail: string };

export interface AuditCheckpoint {
  id: number;
  seq: number;
  hash: string;
  time: string;
  kind: string;
  kid: string;
  jws: string;
}

export interface CheckpointList {
  items: AuditCheckpoint[];
  kid: string;
}

/** The search filters the events route accepts, as kept in the URL. */
export interface AuditFilterValues {
  type: string;
  identityId: string;
  taskId: string;
  outcome: string;
  from: string;
  to: string;
}
