/**
 * Discovery's records: what an import remembers of each source record (refs), the credentials it
 * found (access keys, tokens, deploy keys: never their secrets), the findings a scan or an import
 * raises (leaked secrets, NHI2), and the runs themselves. Shared by the stores, services, routes and CLI.
 */
import type { DiscoveredCredentialKind, ImportProblem, ImportSource } from './import-batch.js';

export type RefNodeType = 'identity' | 'resource' | 'edge' | 'credential';

/**
 * What one import of (scope, feed) knows of one source record: the Keyward record it became.
 * An edge whose endpoint is not known yet has nodeId null (pending) and its spec in `details.edge`.
 */
export interface DiscoveryRef {
  scope: string;
  feed: string;
  externalId: string;
  nodeType: RefNodeType;
  nodeId: string | null;
  /** SHA-256 of the discovered record as last imported: an unchanged record is not rewritten. */
  contentHash: string;
  /** Where it was found and the source's own details (trust conditions, statements …). */
  details: Record<string, unknown>;
  firstImportedAt: string;
  lastImportedAt: string;
  lastRunId: string;
  /** Set when an import of its feed no longer held it; cleared when it comes back. */
  missingSince: string | null;
}

export type CredentialStatus = 'active' | 'inactive' | 'revoked';

/** A credential the inventory knows of, found by an importer. Never holds the secret. */
export interface CredentialRecord {
  id: string;
  identityId: string;
  scope: string;
  externalId: string;
  kind: DiscoveredCredentialKind;
  status: CredentialStatus;
  hint: string | null;
  secretSha256: string | null;
  createdAt: string | null;
  lastRotatedAt: string | null;
  lastUsedAt: string | null;
  expiresAt: string | null;
  /** When Keyward saw it revoked or gone from its source. */
  revokedAt: string | null;
  details: Record<string, unknown>;
  firstSeen: string;
  updatedAt: string;
  version: number;
}

export interface CredentialFilter {
  identityId?: string | undefined;
  kind?: string | undefined;
  status?: CredentialStatus | undefined;
  scope?: string | undefined;
  /** Exact match on the hint (a key id, a token's last eight characters). */
  hint?: string | undefined;
  secretSha256?: string | undefined;
  externalId?: string | undefined;
}

export const FINDING_STATUSES = ['open', 'accepted', 'resolved'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];
export const FINDING_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type FindingSeverity = (typeof FINDING_SEVERITIES)[number];

/** One place a leaked secret was seen. */
export interface LeakLocation {
  /** The scanned repository or directory, as the scan named it. */
  repo: string;
  path: string;
  line: number;
  commit: string | null;
  author: string | null;
  date: string | null;
  historyOnly: boolean;
}

/**
 * A posture finding mapped to an OWASP Non-Human Identities Top 10 (2025) code. `dedupKey` makes a
 * repeated observation (the same secret seen by another scan) join the finding instead of adding one.
 */
export interface Finding {
  id: string;
  /** `NHI2` … */
  code: string;
  /** `leaked-secret` … */
  rule: string;
  severity: FindingSeverity;
  status: FindingStatus;
  dedupKey: string;
  title: string;
  identityId: string | null;
  credentialId: string | null;
  /** Rule-specific evidence; leaked-secret: {ruleId, provider, redacted, fingerprint, locations, identifiers}. */
  evidence: Record<string, unknown>;
  remedy: string;
  firstSeenAt: string;
  lastSeenAt: string;
  resolvedAt: string | null;
  /** Why it was resolved: `credential revoked`, `credential rotated`, `api token revoked`, or a person's reason. */
  resolution: string | null;
  acceptedUntil: string | null;
  note: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface FindingFilter {
  code?: string | undefined;
  rule?: string | undefined;
  status?: FindingStatus | undefined;
  severity?: FindingSeverity | undefined;
  identityId?: string | undefined;
  credentialId?: string | undefined;
}

export interface RunSummary {
  created: Record<RefNodeType, number>;
  updated: Record<RefNodeType, number>;
  unchanged: number;
  /** Records of the feed this run no longer held: identities and resources marked, edges removed, credentials revoked. */
  missing: Record<RefNodeType, number>;
  /** Identities of this run that are unmanaged (no owner, purpose or end; agents never approved). */
  unmanaged: number;
  /** Edges whose endpoint is still unknown. */
  pendingEdges: number;
  findings: { opened: number; updated: number; resolved: number; linked: number };
  counts: Record<string, number>;
  problems: ImportProblem[];
  /** Problems beyond the first 200 are counted, not kept. */
  problemCount: number;
}

export interface DiscoveryRun {
  id: string;
  type: 'import' | 'scan';
  source: ImportSource | 'scan';
  scope: string;
  feed: string;
  actor: string;
  startedAt: string;
  finishedAt: string;
  summary: RunSummary;
}
