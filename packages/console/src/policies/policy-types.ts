/**
 * Wire shapes of the policy API (packages/keyward/src/http/routes/policy-routes.ts); the SDK does not
 * carry them, so they are declared here.
 */

export interface PolicyFile {
  name: string;
  text: string;
}

export interface PolicyVersionMeta {
  version: number;
  hash: string;
  /** e.g. builtin, applied, rollback */
  kind: string;
  restoredFrom: number | null;
  createdAt: string | null;
  createdBy: string | null;
  reason: string;
}

export interface PolicySetView extends PolicyVersionMeta {
  policyIds: string[];
  approvalPolicyIds: string[];
  files: PolicyFile[];
}

export interface PolicyHistoryItem extends PolicyVersionMeta {
  replaces: number | null;
}

export interface DecisionChange {
  decisionId: string;
  time: string;
  count: number;
  principal: string;
  action: string;
  resource: string;
  recorded: string;
  current: string;
  candidate: string;
  candidatePolicyIds: string[];
  candidateReason: string;
}

export interface PolicyDiffResult {
  replayed: number;
  distinct: number;
  skipped: number;
  changed: number;
  changes: DecisionChange[];
}
