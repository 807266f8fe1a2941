/**
 * Storage interfaces, one per role. Every backend (SQLite, PostgreSQL) implements all of them and
 * must pass the shared conformance suite (storage/store-conformance.ts, run by store-conformance.test.ts).
 *
 * Shared contracts:
 * - Lists are ordered by id ascending (ids are UUIDv7, so this is creation order) and paginated by
 *   keyset: `cursor` is the last id of the previous page; an empty result is `{items: [], nextCursor: null}`.
 *   `limit` is clamped to 1..1000 (default 100).
 * - `create` throws StorageError('conflict') when a unique key (name, email, edge triple, token hash)
 *   is taken, and never writes a partial record.
 * - `update` writes only when the stored version equals `expectedVersion` and stores version + 1;
 *   otherwise it throws StorageError('version_conflict'), or StorageError('not_found') if the id is unknown.
 * - Getters return undefined for unknown ids; they never throw not_found.
 * - Every method of a StoreTx runs inside the caller's transaction. Inside `transaction(fn)` use only
 *   the `tx` handed to fn: on SQLite the store's single connection is held by the transaction, so a
 *   call on the Store itself from inside fn would wait forever.
 * - `cursor` values are ids of the listed record type; anything else throws
 *   KeywardError('validation_failed', 'invalid cursor') (it is client input, not a storage failure).
 * - Driver failures surface as StorageError: unique violations as 'conflict', lost or refused
 *   connections, busy/locked databases and serialization failures as 'unavailable'. Errors that
 *   would be bugs in the SQL itself (syntax, missing table) are not translated.
 */
import type {
  ApiToken,
  Edge,
  EdgeFilter,
  Human,
  HumanFilter,
  Identity,
  IdentityFilter,
  IdentityStatus,
  Page,
  PageRequest,
  Resource,
  ResourceFilter,
  Sensitivity,
  System,
} from '@keyward/sdk';

export interface IdentityStore {
  create(identity: Identity): Promise<void>;
  /** Bulk insert for importers; all-or-nothing within the transaction; conflicts as for create. */
  createMany(identities: Identity[]): Promise<void>;
  get(id: string): Promise<Identity | undefined>;
  /** Returns the found identities in the order of `ids`, skipping unknown ones. */
  getMany(ids: readonly string[]): Promise<Identity[]>;
  getByName(name: string): Promise<Identity | undefined>;
  list(filter: IdentityFilter, page: PageRequest): Promise<Page<Identity>>;
  /**
   * Stores `identity` (whose version must already be expectedVersion + 1; anything else is a
   * programmer error and throws TypeError). createdAt is immutable and is not rewritten.
   */
  update(identity: Identity, expectedVersion: number): Promise<void>;
  /** Every identity's id, status and environment, in id order, for building the graph index. */
  scanNodes(
    batchSize?: number,
  ): AsyncIterable<Array<{ id: string; status: IdentityStatus; environment: string }>>;
  count(): Promise<number>;
}

export interface HumanStore {
  create(human: Human): Promise<void>;
  createMany(humans: Human[]): Promise<void>;
  get(id: string): Promise<Human | undefined>;
  getMany(ids: readonly string[]): Promise<Human[]>;
  getByEmail(email: string): Promise<Human | undefined>;
  list(filter: HumanFilter, page: PageRequest): Promise<Page<Human>>;
  update(human: Human, expectedVersion: number): Promise<void>;
  scanNodes(batchSize?: number): AsyncIterable<Array<{ id: string; active: boolean }>>;
}

export interface SystemStore {
  create(system: System): Promise<void>;
  createMany(systems: System[]): Promise<void>;
  get(id: string): Promise<System | undefined>;
  getMany(ids: readonly string[]): Promise<System[]>;
  getByName(name: string): Promise<System | undefined>;
  list(filter: { q?: string | undefined }, page: PageRequest): Promise<Page<System>>;
  update(system: System, expectedVersion: number): Promise<void>;
  scanNodes(batchSize?: number): AsyncIterable<Array<{ id: string; sensitivity: Sensitivity }>>;
}

export interface ResourceStore {
  create(resource: Resource): Promise<void>;
  createMany(resources: Resource[]): Promise<void>;
  get(id: string): Promise<Resource | undefined>;
  getMany(ids: readonly string[]): Promise<Resource[]>;
  getByName(name: string): Promise<Resource | undefined>;
  list(filter: ResourceFilter, page: PageRequest): Promise<Page<Resource>>;
  update(resource: Resource, expectedVersion: number): Promise<void>;
  scanNodes(batchSize?: number): AsyncIterable<Array<{ id: string; sensitivity: Sensitivity }>>;
}

/**
 * Lineage edges. (kind, fromId, toId) is unique: creating a duplicate throws conflict. Endpoints are
 * not foreign keys (an edge may name any node type); the service checks they exist.
 */
export interface EdgeStore {
  create(edge: Edge): Promise<void>;
  createMany(edges: Edge[]): Promise<void>;
  get(id: string): Promise<Edge | undefined>;
  list(filter: EdgeFilter, page: PageRequest): Promise<Page<Edge>>;
  /** Deletes and returns the edge, or undefined if it did not exist. */
  delete(id: string): Promise<Edge | undefined>;
  /** Every edge, in id order, for building the graph index. */
  scan(batchSize?: number): AsyncIterable<Edge[]>;
  count(): Promise<number>;
}

/** API tokens: only the SHA-256 hash of the secret is stored. */
export interface ApiTokenStore {
  create(token: ApiToken, secretHash: string): Promise<void>;
  /** The token whose secret hashes to `secretHash`, revoked or not. */
  getByHash(secretHash: string): Promise<ApiToken | undefined>;
  get(id: string): Promise<ApiToken | undefined>;
  list(page: PageRequest): Promise<Page<ApiToken>>;
  /** Sets revokedAt if not yet set; returns the stored token, or undefined for an unknown id. */
  revoke(id: string, at: string): Promise<ApiToken | undefined>;
  touch(id: string, at: string): Promise<void>;
  count(): Promise<number>;
}

export interface AuditEvent {
  id: string;
  /** Monotonic position in the log, assigned by the store. */
  seq: number;
  time: string;
  /** Who did it: an API token id, `system`, or an identity id. */
  actor: string;
  /** e.g. identity.created, edge.deleted, api_token.created */
  type: string;
  targetId: string | null;
  outcome: 'success' | 'failure' | 'denied';
  details: Record<string, unknown>;
}
export type AuditEventInput = Omit<AuditEvent, 'seq'>;

/** Append-only audit log. Events are never updated or deleted through this interface. */
export interface AuditStore {
  append(event: AuditEventInput): Promise<AuditEvent>;
  appendMany(events: AuditEventInput[]): Promise<void>;
  /** Events in seq order after `afterSeq` (exclusive). */
  list(filter: { targetId?: string; type?: string; afterSeq?: number }, limit: number): Promise<AuditEvent[]>;
}

export type LeaseStatus = 'active' | 'revoking' | 'revoked' | 'revoke_failed';
export const LEASE_STATUSES: readonly LeaseStatus[] = ['active', 'revoking', 'revoked', 'revoke_failed'];

/** A brokered credential's lease. The credential's password is never part of it. */
export interface CredentialLease {
  id: string;
  /** Name of the BrokeredDatabase the credential was issued on. */
  database: string;
  /** The role created on the target database. */
  roleName: string;
  /** Opaque reference to whatever the credential was issued for (e.g. a task id). */
  ownerRef: string;
  createdAt: string;
  validUntil: string;
  status: LeaseStatus;
  /** Revocation attempts made so far (successful or not). */
  attempts: number;
  /** The last revocation failure, without secrets; null once revoked. */
  lastError: string | null;
  revokedAt: string | null;
  /** When a failed revocation is due for its next attempt; null unless status is revoke_failed. */
  nextAttemptAt: string | null;
  /** When the current revocation attempt claimed the lease; null unless status is revoking. */
  claimedAt: string | null;
}

export interface LeaseFilter {
  status?: LeaseStatus | undefined;
  ownerRef?: string | undefined;
  database?: string | undefined;
}

/**
 * Credential leases. Status moves active → revoking → revoked | revoke_failed, and
 * revoke_failed → revoking → …; revoked is final. `claim` is the only way into revoking and is
 * atomic, so two revokers (the API and the background retrier) never work on one lease at once.
 */
export interface CredentialLeaseStore {
  /** Throws StorageError('conflict') if the id or the (database, roleName) pair is taken. */
  create(lease: CredentialLease): Promise<void>;
  get(id: string): Promise<CredentialLease | undefined>;
  list(filter: LeaseFilter, page: PageRequest): Promise<Page<CredentialLease>>;
  /**
   * Atomically moves the lease to revoking (claimedAt = at) if it is active or revoke_failed, or
   * revoking with claimedAt before `staleBefore` (a revoker that died mid-way). Returns the claimed
   * lease, or undefined if it is unknown or not claimable (revoked, or being revoked right now).
   */
  claim(id: string, at: string, staleBefore: string): Promise<CredentialLease | undefined>;
  /** revoking → revoked: attempts + 1, revokedAt = at, lastError and nextAttemptAt cleared. */
  markRevoked(id: string, at: string): Promise<CredentialLease | undefined>;
  /** revoking → revoke_failed: attempts + 1, lastError and nextAttemptAt set. */
  markFailed(id: string, lastError: string, nextAttemptAt: string): Promise<CredentialLease | undefined>;
  /**
   * Leases needing revocation work at `now`, oldest first, at most `limit`: active ones past
   * validUntil, revoke_failed ones whose nextAttemptAt has come, revoking ones claimed before staleBefore.
   */
  listDue(now: string, staleBefore: string, limit: number): Promise<CredentialLease[]>;
  /** How many leases are in each status (every status present, zero if none). */
  countByStatus(): Promise<Record<LeaseStatus, number>>;
}

/** A PostgreSQL database Keyward issues credentials on. The admin password is stored sealed only. */
export interface BrokeredDatabase {
  name: string;
  /** Admin connection URL with the password removed. */
  adminUrl: string;
  /** The admin password sealed by the SecretBox (AAD = the database name), or null if none. */
  sealedPassword: string | null;
  rolePrefix: string;
  /** SQL statements run after CREATE ROLE; `{{role}}` is replaced by the quoted role name. */
  grants: string[];
  maxTtlSeconds: number;
  createdAt: string;
  updatedAt: string;
}

/** Brokered database configurations, keyed by name; listed by name. */
export interface BrokeredDatabaseStore {
  /** Throws StorageError('conflict') if the name is taken. */
  create(db: BrokeredDatabase): Promise<void>;
  get(name: string): Promise<BrokeredDatabase | undefined>;
  list(): Promise<BrokeredDatabase[]>;
  /** Replaces every field but name and createdAt; throws StorageError('not_found') for an unknown name. */
  update(db: BrokeredDatabase): Promise<void>;
  /** Returns whether a record was deleted. */
  delete(name: string): Promise<boolean>;
}

export interface StoreTx {
  identities: IdentityStore;
  humans: HumanStore;
  systems: SystemStore;
  resources: ResourceStore;
  edges: EdgeStore;
  apiTokens: ApiTokenStore;
  audit: AuditStore;
  leases: CredentialLeaseStore;
  brokeredDatabases: BrokeredDatabaseStore;
}

export type StoreBackend = 'sqlite' | 'postgres';

export interface Store extends StoreTx {
  readonly backend: StoreBackend;
  /** Runs fn in one transaction: all its writes commit together or none do. */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  /** Applies pending migrations; idempotent. Returns the versions applied now. */
  migrate(): Promise<number[]>;
  /** Cheap round-trip for readiness checks; throws StorageError('unavailable') when down. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
