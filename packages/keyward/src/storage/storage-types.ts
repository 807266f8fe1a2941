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
 * - Timestamps are stored as ISO-8601 UTC text (Date.toISOString) on both backends, so comparing
 *   them as text compares instants, and their first ten characters are their UTC calendar day.
 *   Per-day counts (`…PerDay(since)`) bucket on that: `DayCount`s of rows at or after `since`,
 *   days without rows absent, oldest day first. They are SQL aggregates, never row scans in JS.
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
import type { ApprovalBinding, ApprovalRecord, ApprovalStatus } from '../approvals/approval-types.js';
import type { ChainFields } from '../audit/audit-hash.js';
import type {
  AuditCheckpoint,
  AuditEvent,
  AuditEventInput,
  AuditFilter,
  CheckpointKind,
} from '../audit/audit-types.js';
import type {
  Alert,
  AlertFilter,
  AlertSeverity,
  CheckpointKeyRecord,
  StoredBaseline,
} from '../detection/alert-types.js';
import type {
  CredentialStore,
  DiscoveryRefStore,
  DiscoveryRunStore,
  FindingStore,
} from './discovery-stores.js';
import type { ExpiryNoticeStore, OffboardingCaseStore, SchedulerLeaseStore } from './lifecycle-stores.js';
import type { ReviewCampaignStore, ReviewItemStore } from './review-stores.js';
import type { RotationScheduleStore, RotationStore } from './rotation-stores.js';

/** How many rows fell on one UTC day (`YYYY-MM-DD`); see the per-day contract above. */
export interface DayCount {
  day: string;
  count: number;
}

export interface IdentityStore {
  create(identity: Identity): Promise<void>;
  /** Bulk insert for importers; all-or-nothing within the transaction; conflicts as for create. */
  createMany(identities: Identity[]): Promise<void>;
  get(id: string): Promise<Identity | undefined>;
  /** Returns the found identities in the order of `ids`, skipping unknown ones. */
  getMany(ids: readonly string[]): Promise<Identity[]>;
  getByName(name: string): Promise<Identity | undefined>;
  /** Which of `names` are taken: name → id of the identity holding it (absent names are free). */
  findNames(names: readonly string[]): Promise<Map<string, string>>;
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
  /** How many identities are in each status (every status present, zero if none). */
  countByStatus(): Promise<Record<IdentityStatus, number>>;
  /** Identities created per UTC day (createdAt) since `since`. */
  createdPerDay(since: string): Promise<DayCount[]>;
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
  /** Which of `names` are taken: name → id of the resource holding it (absent names are free). */
  findNames(names: readonly string[]): Promise<Map<string, string>>;
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
  /** The stored edges with these (kind, fromId, toId) triples, in id order; unknown triples are skipped. */
  findByTriples(triples: ReadonlyArray<Pick<Edge, 'kind' | 'fromId' | 'toId'>>): Promise<Edge[]>;
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

export type { AuditEvent, AuditEventInput } from '../audit/audit-types.js';

/** An event's chain fields exactly as stored (JSON columns as their canonical text), for verification. */
export interface AuditChainRow extends ChainFields {
  seq: number;
  prevHash: string;
  hash: string;
}

/**
 * An event as verification reads it fast: its canonical hash input (audit-hash.ts) built by the
 * database from the stored columns, next to its seq, id and links.
 */
export interface AuditChainTextRow {
  seq: number;
  id: string;
  prevHash: string;
  hash: string;
  text: string;
}

/** The chain head: the last appended seq and hash (0 and GENESIS_HASH for an empty, never-cut log). */
export interface AuditHead {
  seq: number;
  hash: string;
}

/**
 * The append-only, hash-chained audit log. Events are never updated through this interface; only
 * retention deletes a prefix (deleteThrough), after a retention checkpoint pins the cut.
 *
 * Chain contract: append/appendMany assign seq = head.seq + 1, + 2 … and link each event to the
 * previous hash, under a chain lock held until the caller's transaction commits (PostgreSQL: the
 * audit_chain_head row is locked FOR UPDATE; SQLite: writes are already serialized), so seq order is
 * chain order is commit order even with concurrent transactions. Outside a transaction each call runs
 * in its own.
 */
export interface AuditStore {
  append(event: AuditEventInput): Promise<AuditEvent>;
  /** Appends in array order; returns the stored events. */
  appendMany(events: AuditEventInput[]): Promise<AuditEvent[]>;
  /**
   * Events matching every given filter, between `afterSeq` and `beforeSeq` (both exclusive), in seq
   * order, or newest first when `newestFirst`.
   */
  list(filter: AuditFilter, limit: number): Promise<AuditEvent[]>;
  head(): Promise<AuditHead>;
  /** Lowest stored seq, or undefined when the log holds no events. */
  firstSeq(): Promise<number | undefined>;
  /** Stored chain rows with seq >= fromSeq, in seq order, `batchSize` per keyset query. */
  scanChain(fromSeq: number, batchSize?: number): AsyncIterable<AuditChainRow[]>;
  /**
   * Like scanChain, with each event's hash input concatenated by the database (one string per row
   * instead of fifteen values). The database's JSON string quoting may differ from JSON.stringify on
   * exotic text, so a row whose `text` does not hash to `hash` must be re-checked from its fields.
   */
  scanChainText(fromSeq: number, batchSize?: number): AsyncIterable<AuditChainTextRow[]>;
  /** Seq of an event whose stored hash is `hash` (classifies tampering). */
  findSeqByHash(hash: string): Promise<number | undefined>;
  /** The last seq of the longest prefix of the log whose events are all older than `time` (0 if none). */
  lastSeqBefore(time: string): Promise<number>;
  /** Retention: deletes every event with seq <= `seq`; returns how many. */
  deleteThrough(seq: number): Promise<number>;
  /** Events of any of `types` per UTC day (time) since `since`; no types: no days. */
  countPerDay(types: readonly string[], since: string): Promise<DayCount[]>;
}

export interface AuditCheckpointStore {
  create(checkpoint: Omit<AuditCheckpoint, 'id'>): Promise<AuditCheckpoint>;
  /** Every checkpoint in seq order (there are few: one per N events or T seconds). */
  list(): Promise<AuditCheckpoint[]>;
  /** The most recent checkpoint (of `kind`, when given). */
  latest(kind?: CheckpointKind): Promise<AuditCheckpoint | undefined>;
}

export interface AuditDeadLetter {
  id: number;
  sink: string;
  fromSeq: number;
  toSeq: number;
  attempts: number;
  error: string;
  time: string;
}

/** Per-sink delivery cursors and the dead letters of deliveries that kept failing. */
export interface AuditSinkStore {
  /** The last seq delivered to `sink` (0 when it never delivered). */
  cursor(sink: string): Promise<number>;
  setCursor(sink: string, seq: number, at: string): Promise<void>;
  /** The lowest cursor over all sinks (retention never cuts past it), or undefined without sinks. */
  minCursor(): Promise<number | undefined>;
  deadLetter(letter: Omit<AuditDeadLetter, 'id'>): Promise<void>;
  deadLetters(sink: string): Promise<AuditDeadLetter[]>;
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

/** The JSON form of a public key (RFC 7517), as stored and served: never holds private members. */
export type PublicJwk = { kty: string; kid?: string; alg?: string; use?: string } & Record<string, unknown>;

export type SigningAlg = 'ES256' | 'EdDSA';

/** One of Keyward's own token-signing keys. The private key is sealed under the master key. */
export interface SigningKeyRecord {
  /** RFC 7638 thumbprint of the public key (base64url SHA-256). */
  kid: string;
  alg: SigningAlg;
  status: 'active' | 'retired';
  /** Public JWK with kid, alg and use set; safe to publish. */
  publicJwk: PublicJwk;
  /** The PKCS#8 private key sealed by keys/secret-envelope.ts (AAD names the kid). */
  privateKeySealed: string;
  createdAt: string;
  retiredAt: string | null;
}

/**
 * Keyward's signing keys. At most one key is active at any time, enforced by the database (a
 * unique partial index), so replicas racing to create the first key or to rotate cannot both win:
 * the loser gets StorageError('conflict') and re-reads.
 */
export interface SigningKeyStore {
  /** Inserts a key; conflict when the kid is taken or when it is active while another key is. */
  create(key: SigningKeyRecord): Promise<void>;
  get(kid: string): Promise<SigningKeyRecord | undefined>;
  getActive(): Promise<SigningKeyRecord | undefined>;
  /** Every stored key, oldest first (createdAt, then kid). */
  list(): Promise<SigningKeyRecord[]>;
  /** Retires `kid` at `at` if it is active; true when it changed, false when unknown or already retired. */
  retire(kid: string, at: string): Promise<boolean>;
  /** Deletes retired keys retired strictly before `cutoff`; returns their kids. Never the active key. */
  deleteRetiredBefore(cutoff: string): Promise<string[]>;
}

/** A public key registered for an identity, used to verify its private_key_jwt client assertions. */
export interface IdentityKeyRecord {
  identityId: string;
  /** The JWK's own `kid` when it had one, else its RFC 7638 thumbprint. */
  kid: string;
  /** RFC 7638 thumbprint: the same key cannot be registered twice for one identity. */
  thumbprint: string;
  publicJwk: PublicJwk;
  createdAt: string;
}

/** Identity public keys. (identityId, kid) and (identityId, thumbprint) are unique: conflict otherwise. */
export interface IdentityKeyStore {
  create(key: IdentityKeyRecord): Promise<void>;
  get(identityId: string, kid: string): Promise<IdentityKeyRecord | undefined>;
  /** The identity's keys, oldest first (createdAt, then kid); empty for unknown identities. */
  listFor(identityId: string): Promise<IdentityKeyRecord[]>;
  /** Deletes and returns the key, or undefined if it did not exist. */
  delete(identityId: string, kid: string): Promise<IdentityKeyRecord | undefined>;
}

/**
 * Single-use token ids (`jti`) of client assertions. The database is the arbiter, so a replay is
 * caught even when the two presentations reach different replicas.
 */
export interface UsedJtiStore {
  /** Records (issuer, jti) as used until `expiresAt`; StorageError('conflict') when already recorded. */
  record(issuer: string, jti: string, expiresAt: string): Promise<void>;
  /**
   * Records every entry not recorded yet, in one statement. Returns, per entry and in order, true
   * when this call recorded it and false when it was already used (before, or by an earlier entry
   * of the same call). Never throws conflict.
   */
  recordMany(entries: ReadonlyArray<{ issuer: string; jti: string; expiresAt: string }>): Promise<boolean[]>;
  /** Deletes entries whose expiresAt is strictly before `cutoff`; returns how many. */
  deleteExpired(cutoff: string): Promise<number>;
}

/**
 * A mapping rule of a trusted issuer: a token whose `sub` matches (glob `subject` or anchored
 * regular expression `subjectRegex`; exactly one) and whose claims equal every `requiredClaims`
 * entry maps to exactly one target: an identity (`identityId`), a human (`humanId`), or the human
 * whose email is the value of claim `humanEmailClaim`.
 */
export interface FederationRule {
  subject?: string | undefined;
  subjectRegex?: string | undefined;
  requiredClaims?: Record<string, string | number | boolean> | undefined;
  identityId?: string | undefined;
  humanId?: string | undefined;
  humanEmailClaim?: string | undefined;
}

/** A trusted external OIDC issuer (Kubernetes, CI, SPIFFE …) whose tokens may authenticate. */
export interface FederationIssuer {
  id: string;
  /** Exact `iss` value the tokens carry. Unique. */
  issuer: string;
  /** Where its keys are fetched; null with `jwks` set, or both null to discover via openid-configuration. */
  jwksUri: string | null;
  /** A static key set instead of fetching. */
  jwks: { keys: PublicJwk[] } | null;
  /** A token's `aud` must contain at least one of these. */
  audiences: string[];
  algorithms: string[];
  /** Tried in order; the first match wins. */
  rules: FederationRule[];
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** Trusted issuers. `issuer` is unique (conflict); update/version contracts as for other records. */
export interface FederationIssuerStore {
  create(issuer: FederationIssuer): Promise<void>;
  get(id: string): Promise<FederationIssuer | undefined>;
  getByIssuer(issuer: string): Promise<FederationIssuer | undefined>;
  list(page: PageRequest): Promise<Page<FederationIssuer>>;
  update(issuer: FederationIssuer, expectedVersion: number): Promise<void>;
  /** Deletes and returns the issuer, or undefined if it did not exist. */
  delete(id: string): Promise<FederationIssuer | undefined>;
}

/** One permission a task asks for: an action on a resource (exact id/name, `prefix*`, or `postgres:<db>`). */
export interface TaskScope {
  action: string;
  resource: string;
}

export type TaskStatus = 'active' | 'completed' | 'cancelled' | 'expired';
export const TASK_STATUSES: readonly TaskStatus[] = ['active', 'completed', 'cancelled', 'expired'];

/** A task: an agent acting for a human sponsor, with a declared intent, scopes, environment and end. */
export interface Task {
  id: string;
  agentId: string;
  sponsorId: string;
  intent: string;
  scopes: TaskScope[];
  environment: string;
  parentTaskId: string | null;
  status: TaskStatus;
  createdAt: string;
  expiresAt: string;
  endedAt: string | null;
  /** Why it ended (free text, e.g. `sponsor deactivated`); null while active. */
  endReason: string | null;
}

export interface TaskFilter {
  agentId?: string | undefined;
  sponsorId?: string | undefined;
  status?: TaskStatus | undefined;
  parentTaskId?: string | undefined;
  environment?: string | undefined;
}

/**
 * Tasks. Status moves active → completed | cancelled | expired once; `end` is a conditional
 * update, so two replicas ending one task cannot both win.
 */
export interface TaskStore {
  create(task: Task): Promise<void>;
  get(id: string): Promise<Task | undefined>;
  list(filter: TaskFilter, page: PageRequest): Promise<Page<Task>>;
  /** active → `status` (endedAt, endReason set); true when this call changed it, false otherwise. */
  end(id: string, status: Exclude<TaskStatus, 'active'>, at: string, reason: string): Promise<boolean>;
  /** Active tasks past expiresAt at `now`, oldest first, at most `limit`. */
  listExpired(now: string, limit: number): Promise<Task[]>;
  /** Active tasks not yet expired at `now` (expiresAt after it): the ones still in force. */
  countActive(now: string): Promise<number>;
}

/** An access token Keyward issued: what introspection and revocation need, never the token. */
export interface IssuedToken {
  jti: string;
  taskId: string;
  /** The token's `sub` (an identity or, for exchanged tokens, possibly a human). */
  subject: string;
  clientId: string;
  issuedAt: string;
  expiresAt: string;
  revokedAt: string | null;
}

/** Issued access tokens, keyed by jti. */
export interface IssuedTokenStore {
  /** Bulk insert; a jti already stored (e.g. revoked before this batch landed) is left as it is. */
  recordMany(tokens: IssuedToken[]): Promise<void>;
  get(jti: string): Promise<IssuedToken | undefined>;
  /** Inserts the token as revoked, or sets revokedAt on the stored one if not yet set. */
  revoke(token: IssuedToken & { revokedAt: string }): Promise<void>;
  /** Deletes tokens that expired strictly before `cutoff`; returns how many. */
  deleteExpired(cutoff: string): Promise<number>;
  /** Tokens live at `now`: not revoked, expiresAt after `now` (served by the expires_at index). */
  countLive(now: string): Promise<number>;
}

export type RevocationKind = 'token' | 'task' | 'identity' | 'sponsor';

/** One revocation as published on the feed: a signed Security Event Token (RFC 8417). */
export interface RevocationEvent {
  /** Monotonic, assigned by the store; on PostgreSQL also in commit order (appends are serialized). */
  seq: number;
  id: string;
  /** `alert`: a behavioural alert published on the feed (detection/alert-set.ts), not a revocation. */
  kind: RevocationKind | 'alert';
  subjectId: string;
  reason: string;
  /** The compact SET. */
  set: string;
  createdAt: string;
}

/**
 * Append-only revocation events. On PostgreSQL `append` takes a transaction-scoped advisory lock,
 * so seq order is commit order (a reader paging by seq never skips a late-committing lower seq),
 * and sends NOTIFY keyward_revocations (delivered at commit) so other replicas read at once.
 */
export interface RevocationEventStore {
  append(event: Omit<RevocationEvent, 'seq'>): Promise<RevocationEvent>;
  /** Events with seq > `afterSeq`, in seq order, at most `limit` (clamped to 1..1000). */
  listAfter(afterSeq: number, limit: number): Promise<RevocationEvent[]>;
  /** The highest seq, or 0 when empty. */
  lastSeq(): Promise<number>;
}

/** One version of the Cedar policy set: the full files, who made it, when and why. Immutable. */
export interface PolicyVersion {
  /** 1, 2, 3 … in creation order. */
  version: number;
  /** SHA-256 of the files (names and texts), as the engine computes it. */
  hash: string;
  files: Array<{ name: string; text: string }>;
  /** `apply` (new files) or `rollback` (the files of `restoredFrom` again). */
  kind: 'apply' | 'rollback';
  restoredFrom: number | null;
  /** The version that was active when this one was made (what a plain rollback returns to). */
  replaces: number | null;
  createdAt: string;
  createdBy: string;
  reason: string;
}

/**
 * Policy versions and the active pointer. `append` adds version = highest + 1 and makes it active
 * only if the active version is still `expectedActive` (null: none yet); otherwise it throws
 * StorageError('conflict') and writes nothing, so two concurrent applies cannot both win.
 */
export interface PolicyStore {
  append(version: Omit<PolicyVersion, 'version'>, expectedActive: number | null): Promise<PolicyVersion>;
  get(version: number): Promise<PolicyVersion | undefined>;
  /** The active version, or undefined before the first apply. */
  active(): Promise<PolicyVersion | undefined>;
  /** Versions newest first, at most `limit` (clamped to 1..1000), older than `before` when given. */
  list(limit: number, before?: number): Promise<PolicyVersion[]>;
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
  signingKeys: SigningKeyStore;
  identityKeys: IdentityKeyStore;
  usedJtis: UsedJtiStore;
  federationIssuers: FederationIssuerStore;
  auditCheckpoints: AuditCheckpointStore;
  auditSinks: AuditSinkStore;
  tasks: TaskStore;
  issuedTokens: IssuedTokenStore;
  revocationEvents: RevocationEventStore;
  approvals: ApprovalStore;
  policies: PolicyStore;
  alerts: AlertStore;
  checkpointKeys: CheckpointKeyStore;
  baselines: BaselineStore;
  discoveryRefs: DiscoveryRefStore;
  credentials: CredentialStore;
  findings: FindingStore;
  discoveryRuns: DiscoveryRunStore;
  schedulerLeases: SchedulerLeaseStore;
  offboardingCases: OffboardingCaseStore;
  expiryNotices: ExpiryNoticeStore;
  reviewCampaigns: ReviewCampaignStore;
  reviewItems: ReviewItemStore;
  rotationSchedules: RotationScheduleStore;
  rotations: RotationStore;
}

export type StoreBackend = 'sqlite' | 'postgres';

/**
 * Where a store's data lives, so that other threads can open connections of their own (parallel
 * audit verification). Absent for an in-memory database, which no other connection can see.
 */
export type StoreLocation =
  | { backend: 'sqlite'; file: string }
  | { backend: 'postgres'; url: string; schema?: string | undefined };

export interface Store extends StoreTx {
  readonly backend: StoreBackend;
  readonly location?: StoreLocation | undefined;
  /** Runs fn in one transaction: all its writes commit together or none do. */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  /**
   * Like transaction, tuned for loading many rows with createMany (imports, the demo estate): the
   * backend may defer secondary-index maintenance to the end of the load. Unique keys are still
   * enforced (conflict, nothing written); the result is indistinguishable from `transaction`.
   * Other writers wait for the whole load.
   */
  bulkLoad<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  /** Applies pending migrations; idempotent. Returns the versions applied now. */
  migrate(): Promise<number[]>;
  /** Cheap round-trip for readiness checks; throws StorageError('unavailable') when down. */
  ping(): Promise<void>;
  close(): Promise<void>;
  /**
   * Calls `listener` after every commit that appended audit events (with those events), whether the
   * append ran in a transaction or alone. In-process only: other processes' appends are not seen.
   */
  onAuditCommit(listener: (events: AuditEvent[]) => void): () => void;
}

/**
 * Where a consumer of committed audit events hears of them: the Store itself (this process's
 * commits), or in a cluster a source that also covers other processes' (cluster/audit-tail.ts).
 */
export type CommitSource = Pick<Store, 'onAuditCommit'>;

export interface ApprovalFilter {
  status?: ApprovalStatus | undefined;
  /** Approvals this human may decide. */
  approverId?: string | undefined;
  requesterId?: string | undefined;
  taskId?: string | undefined;
}

/** How an approval was decided: approved or denied by `decidedBy`, with the time it stops applying. */
export interface ApprovalDecision {
  status: 'approved' | 'denied';
  decidedBy: string;
  decidedAt: string;
  comment: string | null;
  expiresAt: string;
}

/**
 * Step-up approvals. Status moves pending → approved | denied | expired exactly once: `decide` and
 * `expire` are conditional updates (where status = 'pending'), so of two deciders racing on one
 * approval exactly one wins.
 */
export interface ApprovalStore {
  create(approval: ApprovalRecord): Promise<void>;
  get(id: string): Promise<ApprovalRecord | undefined>;
  list(filter: ApprovalFilter, page: PageRequest): Promise<Page<ApprovalRecord>>;
  /**
   * Approvals bound to exactly `binding` in `status` whose expiresAt is after `now`, newest first,
   * at most 10.
   */
  findByBinding(binding: ApprovalBinding, status: ApprovalStatus, now: string): Promise<ApprovalRecord[]>;
  /** pending → approved | denied; true when this call changed it. */
  decide(id: string, decision: ApprovalDecision): Promise<boolean>;
  /** pending (expiresAt <= at) → expired, decidedAt = at; true when this call changed it. */
  expire(id: string, at: string): Promise<boolean>;
  /** Pending approvals with expiresAt <= now, oldest first, at most `limit`. */
  listExpired(now: string, limit: number): Promise<ApprovalRecord[]>;
  /** Pending approvals still decidable at `now` (expiresAt after it). */
  countPending(now: string): Promise<number>;
}

export type {
  Alert,
  AlertFilter,
  CheckpointKeyRecord,
  StoredBaseline,
} from '../detection/alert-types.js';

/** Behavioural alerts (detection/). Updates are optimistic: `version` must match. */
export interface AlertStore {
  create(alert: Alert): Promise<void>;
  get(id: string): Promise<Alert | undefined>;
  /** Writes `alert` (version + 1) if the stored version is `alert.version`; version_conflict otherwise. */
  update(alert: Alert): Promise<Alert>;
  /** Newest first (id descending), keyset pages. */
  list(filter: AlertFilter, page: PageRequest): Promise<Page<Alert>>;
  /** The newest alert of this identity and kind that is not resolved, if any (dedupe). */
  findUnresolved(identityId: string, kind: string): Promise<Alert | undefined>;
  /** Alerts in status open, per severity (every severity present, zero if none). */
  countOpenBySeverity(): Promise<Record<AlertSeverity, number>>;
  /** Alerts raised per UTC day (createdAt) since `since`. */
  raisedPerDay(since: string): Promise<DayCount[]>;
}

/** Audit checkpoint signing keys; at most one active (a second active create is a conflict). */
export interface CheckpointKeyStore {
  create(key: CheckpointKeyRecord): Promise<void>;
  /** Every key, oldest first. */
  list(): Promise<CheckpointKeyRecord[]>;
  retire(kid: string, at: string): Promise<void>;
}

/** Persisted behavioural baselines, one row per identity. */
export interface BaselineStore {
  /** Inserts or replaces each baseline. */
  upsertMany(baselines: StoredBaseline[]): Promise<void>;
  /** Every stored baseline, in identity id order, `batchSize` per query. */
  scan(batchSize?: number): AsyncIterable<StoredBaseline[]>;
  /** One identity's stored baseline, or undefined when it has none. */
  get(identityId: string): Promise<StoredBaseline | undefined>;
}
