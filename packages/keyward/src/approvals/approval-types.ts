/**
 * The contract between the decision engine and step-up approvals. The authorize service (src/authz)
 * asks the ApprovalGate whether a request that only an approval-lifted `forbid` stopped has been
 * approved, and opens an approval when it has not; the approval service (this folder) implements it,
 * along with the approvals API, CLI and webhook.
 */
import type { Approval, ApprovalStatus } from '@keyward/sdk';

/**
 * The exact request an approval is bound to. Entity ids are Cedar entity uid strings
 * (e.g. `Keyward::Agent::"0192…"`); the arguments hash is the lowercase hex SHA-256 of the canonical
 * JSON (keys sorted, no spaces) of `context.arguments`, or '' when the request has none.
 */
export type ApprovalBinding = Approval['binding'];

export type { ApprovalStatus };

/** What the engine knows when it opens an approval. */
export interface ApprovalRequestInfo {
  /** The Keyward identity (or human) id of the principal asking. */
  requesterId: string;
  taskId: string | null;
  /** Humans who may decide: the task's sponsor, else the identity's owner. Never the requester. */
  approverIds: string[];
  /** The approval-lifted policies that stopped the request. */
  policyIds: string[];
  /** Plain words for the approver: who wants to do what, and why it needs approval. */
  reason: string;
  /** The delegation chain of the request, outermost first. */
  delegationChain: string[];
}

/**
 * An approval as stored and as served (the SDK's wire type): a pending approval expires unanswered
 * at `expiresAt`; an approved one stops lifting its request then.
 */
export type ApprovalRecord = Approval;

export interface ApprovalGate {
  /** An approved, unexpired approval bound to exactly this request, if there is one. */
  findGranted(binding: ApprovalBinding, now: Date): Promise<ApprovalRecord | undefined>;
  /**
   * Opens an approval for this request, or returns the pending one already open for the same
   * binding (so a retried call does not flood the approver). Audited as `approval.requested`.
   */
  open(binding: ApprovalBinding, info: ApprovalRequestInfo): Promise<ApprovalRecord>;
}
