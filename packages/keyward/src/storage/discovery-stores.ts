/**
 * Storage roles of discovery (see discovery/discovery-types.ts): import refs, found credentials,
 * findings and runs. Contracts follow storage-types.ts (lists by id, keyset pages, conflicts).
 */
import type { Page, PageRequest } from '@keyward/sdk';
import type {
  CredentialFilter,
  CredentialRecord,
  DiscoveryRef,
  DiscoveryRun,
  Finding,
  FindingFilter,
  FindingSeverity,
} from '../discovery/discovery-types.js';
import type { DayCount } from './storage-types.js';

/** Import refs, keyed by (scope, feed, externalId). */
export interface DiscoveryRefStore {
  /** Every ref of the scope (all feeds), in (feed, externalId) order; empty for an unknown scope. */
  listScope(scope: string): Promise<DiscoveryRef[]>;
  /** Inserts or replaces each ref by its key. */
  upsertMany(refs: DiscoveryRef[]): Promise<void>;
  /** Deletes the refs with these keys; unknown keys are ignored. */
  deleteMany(keys: ReadonlyArray<Pick<DiscoveryRef, 'scope' | 'feed' | 'externalId'>>): Promise<void>;
  /** Refs of these external ids in `scope` (every feed, no order), for resolving edges across feeds and scopes. */
  findByExternalIds(scope: string, externalIds: readonly string[]): Promise<DiscoveryRef[]>;
  /**
   * Pending edges (nodeType edge, nodeId null, not missing) of every scope, oldest first
   * (firstImportedAt), at most `limit`.
   */
  listPendingEdges(limit: number): Promise<DiscoveryRef[]>;
  /** The refs of a Keyward record (which sources hold it), in (scope, feed) order. */
  listForNode(nodeId: string): Promise<DiscoveryRef[]>;
  /** Every scope with its source refs count, by scope. */
  scopes(): Promise<Array<{ scope: string; refs: number; lastImportedAt: string }>>;
}

/** Found credentials. (scope, externalId) is unique: create throws conflict. */
export interface CredentialStore {
  createMany(credentials: CredentialRecord[]): Promise<void>;
  get(id: string): Promise<CredentialRecord | undefined>;
  getMany(ids: readonly string[]): Promise<CredentialRecord[]>;
  /** Id order, keyset pages. */
  list(filter: CredentialFilter, page: PageRequest): Promise<Page<CredentialRecord>>;
  /** Writes the record (version + 1) if the stored version is `credential.version`; version_conflict otherwise. */
  update(credential: CredentialRecord): Promise<CredentialRecord>;
  /** How many per status. */
  countByStatus(): Promise<Record<string, number>>;
}

/** Findings. dedupKey is unique: create throws conflict. Lists newest first (id descending). */
export interface FindingStore {
  create(finding: Finding): Promise<void>;
  get(id: string): Promise<Finding | undefined>;
  getByDedupKey(dedupKey: string): Promise<Finding | undefined>;
  list(filter: FindingFilter, page: PageRequest): Promise<Page<Finding>>;
  /** Writes `finding` (version + 1) if the stored version is `finding.version`; version_conflict otherwise. */
  update(finding: Finding): Promise<Finding>;
  /** Findings not resolved of `rule` (open or accepted), oldest first, at most `limit` after `afterId`. */
  listUnresolved(rule: string, limit: number, afterId?: string): Promise<Finding[]>;
  /**
   * Open findings (status open) of each of `identityIds` per severity, one row per (identity,
   * severity) that has any, in no particular order; identities without open findings are absent.
   */
  countOpenByIdentity(
    identityIds: readonly string[],
  ): Promise<Array<{ identityId: string; severity: FindingSeverity; count: number }>>;
  /** Findings opened per UTC day (createdAt: when Keyward raised it, not the evidence's date) since `since`. */
  openedPerDay(since: string): Promise<DayCount[]>;
  /** Findings resolved per UTC day (resolvedAt, of findings resolved now) since `since`. */
  resolvedPerDay(since: string): Promise<DayCount[]>;
  /** Counts by code, severity and status. */
  countBy(): Promise<Array<{ code: string; severity: string; status: string; count: number }>>;
  /** Resolved findings of `rule` with a resolution matching one of `resolutions`: their first-seen and resolved times. */
  resolvedTimes(
    rule: string,
    resolutions: readonly string[],
  ): Promise<Array<{ firstSeenAt: string; resolvedAt: string }>>;
}

/** Import and scan runs, newest first. */
export interface DiscoveryRunStore {
  create(run: DiscoveryRun): Promise<void>;
  get(id: string): Promise<DiscoveryRun | undefined>;
  list(
    filter: { type?: 'import' | 'scan' | undefined; scope?: string | undefined },
    page: PageRequest,
  ): Promise<Page<DiscoveryRun>>;
}
