/**
 * The Store over one Kysely instance, whichever the backend: binds the role stores to the pool or
 * to a transaction, and owns migrate/ping/close.
 */
import { type Kysely, sql } from 'kysely';
import type { AuditEvent } from '../../audit/audit-types.js';
import { runMigrations } from '../migrations/migration-runner.js';
import type {
  ApiTokenStore,
  ApprovalStore,
  AuditCheckpointStore,
  AuditSinkStore,
  AuditStore,
  BrokeredDatabaseStore,
  CredentialLeaseStore,
  EdgeStore,
  FederationIssuerStore,
  HumanStore,
  IdentityKeyStore,
  IdentityStore,
  IssuedTokenStore,
  PolicyStore,
  ResourceStore,
  RevocationEventStore,
  SigningKeyStore,
  Store,
  StoreBackend,
  StoreLocation,
  StoreTx,
  SystemStore,
  TaskStore,
  UsedJtiStore,
} from '../storage-types.js';
import type { Database } from './sql-database.js';
import type { SqlDialect } from './sql-dialect.js';
import { AlertSqlStore } from './stores/alert-sql-store.js';
import { ApiTokenSqlStore } from './stores/api-token-sql-store.js';
import { ApprovalSqlStore } from './stores/approval-sql-store.js';
import { AuditCheckpointSqlStore } from './stores/audit-checkpoint-sql-store.js';
import { AuditSinkSqlStore } from './stores/audit-sink-sql-store.js';
import { type AuditCommitSink, AuditSqlStore } from './stores/audit-sql-store.js';
import { BaselineSqlStore } from './stores/baseline-sql-store.js';
import { BrokeredDatabaseSqlStore } from './stores/brokered-database-sql-store.js';
import { CheckpointKeySqlStore } from './stores/checkpoint-key-sql-store.js';
import { CredentialLeaseSqlStore } from './stores/credential-lease-sql-store.js';
import { CredentialSqlStore } from './stores/credential-sql-store.js';
import { DiscoveryRefSqlStore } from './stores/discovery-ref-sql-store.js';
import { DiscoveryRunSqlStore } from './stores/discovery-run-sql-store.js';
import { EdgeSqlStore } from './stores/edge-sql-store.js';
import { FederationIssuerSqlStore } from './stores/federation-issuer-sql-store.js';
import { FindingSqlStore } from './stores/finding-sql-store.js';
import { HumanSqlStore } from './stores/human-sql-store.js';
import { IdentityKeySqlStore } from './stores/identity-key-sql-store.js';
import { IdentitySqlStore } from './stores/identity-sql-store.js';
import { IssuedTokenSqlStore } from './stores/issued-token-sql-store.js';
import {
  ExpiryNoticeSqlStore,
  OffboardingCaseSqlStore,
  SchedulerLeaseSqlStore,
} from './stores/lifecycle-sql-stores.js';
import { PolicySqlStore } from './stores/policy-sql-store.js';
import { ResourceSqlStore } from './stores/resource-sql-store.js';
import { ReviewCampaignSqlStore, ReviewItemSqlStore } from './stores/review-sql-stores.js';
import { RevocationEventSqlStore } from './stores/revocation-event-sql-store.js';
import { RotationScheduleSqlStore, RotationSqlStore } from './stores/rotation-sql-stores.js';
import { SigningKeySqlStore } from './stores/signing-key-sql-store.js';
import { SystemSqlStore } from './stores/system-sql-store.js';
import { TaskSqlStore } from './stores/task-sql-store.js';
import { UsedJtiSqlStore } from './stores/used-jti-sql-store.js';

/** Role stores bound to `db`: the pool for a Store, the Kysely Transaction for a StoreTx. */
function bindRoles(db: Kysely<Database>, dialect: SqlDialect, committed: AuditCommitSink): StoreTx {
  return {
    identities: new IdentitySqlStore(db, dialect),
    humans: new HumanSqlStore(db, dialect),
    systems: new SystemSqlStore(db, dialect),
    resources: new ResourceSqlStore(db, dialect),
    edges: new EdgeSqlStore(db, dialect),
    apiTokens: new ApiTokenSqlStore(db),
    audit: new AuditSqlStore(db, dialect, committed),
    auditCheckpoints: new AuditCheckpointSqlStore(db),
    auditSinks: new AuditSinkSqlStore(db),
    leases: new CredentialLeaseSqlStore(db),
    brokeredDatabases: new BrokeredDatabaseSqlStore(db),
    signingKeys: new SigningKeySqlStore(db),
    identityKeys: new IdentityKeySqlStore(db),
    usedJtis: new UsedJtiSqlStore(db, dialect),
    federationIssuers: new FederationIssuerSqlStore(db),
    tasks: new TaskSqlStore(db),
    issuedTokens: new IssuedTokenSqlStore(db, dialect),
    revocationEvents: new RevocationEventSqlStore(db, dialect),
    approvals: new ApprovalSqlStore(db),
    policies: new PolicySqlStore(db),
    alerts: new AlertSqlStore(db),
    checkpointKeys: new CheckpointKeySqlStore(db),
    baselines: new BaselineSqlStore(db),
    discoveryRefs: new DiscoveryRefSqlStore(db, dialect),
    credentials: new CredentialSqlStore(db, dialect),
    findings: new FindingSqlStore(db),
    discoveryRuns: new DiscoveryRunSqlStore(db),
    schedulerLeases: new SchedulerLeaseSqlStore(db),
    offboardingCases: new OffboardingCaseSqlStore(db, dialect),
    expiryNotices: new ExpiryNoticeSqlStore(db),
    reviewCampaigns: new ReviewCampaignSqlStore(db),
    reviewItems: new ReviewItemSqlStore(db),
    rotationSchedules: new RotationScheduleSqlStore(db),
    rotations: new RotationSqlStore(db),
  };
}

/** Page cache during a bulk load: 512 MiB (negative: KiB). */
const BULK_CACHE_KIB = -524_288;

export class SqlStore implements Store {
  readonly identities: IdentityStore;
  readonly humans: HumanStore;
  readonly systems: SystemStore;
  readonly resources: ResourceStore;
  readonly edges: EdgeStore;
  readonly apiTokens: ApiTokenStore;
  readonly audit: AuditStore;
  readonly leases: CredentialLeaseStore;
  readonly brokeredDatabases: BrokeredDatabaseStore;
  readonly signingKeys: SigningKeyStore;
  readonly identityKeys: IdentityKeyStore;
  readonly usedJtis: UsedJtiStore;
  readonly federationIssuers: FederationIssuerStore;
  readonly auditCheckpoints: AuditCheckpointStore;
  readonly auditSinks: AuditSinkStore;
  readonly tasks: TaskStore;
  readonly issuedTokens: IssuedTokenStore;
  readonly revocationEvents: RevocationEventStore;
  readonly approvals: ApprovalStore;
  readonly policies: PolicyStore;
  readonly alerts: StoreTx['alerts'];
  readonly checkpointKeys: StoreTx['checkpointKeys'];
  readonly baselines: StoreTx['baselines'];
  readonly discoveryRefs: StoreTx['discoveryRefs'];
  readonly credentials: StoreTx['credentials'];
  readonly findings: StoreTx['findings'];
  readonly discoveryRuns: StoreTx['discoveryRuns'];
  readonly schedulerLeases: StoreTx['schedulerLeases'];
  readonly offboardingCases: StoreTx['offboardingCases'];
  readonly expiryNotices: StoreTx['expiryNotices'];
  readonly reviewCampaigns: StoreTx['reviewCampaigns'];
  readonly reviewItems: StoreTx['reviewItems'];
  readonly rotationSchedules: StoreTx['rotationSchedules'];
  readonly rotations: StoreTx['rotations'];
  private closed = false;
  private readonly auditListeners = new Set<(events: AuditEvent[]) => void>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: SqlDialect,
    readonly location?: StoreLocation,
  ) {
    const roles = bindRoles(db, dialect, (events) => this.emitAudit(events));
    this.identities = roles.identities;
    this.humans = roles.humans;
    this.systems = roles.systems;
    this.resources = roles.resources;
    this.edges = roles.edges;
    this.apiTokens = roles.apiTokens;
    this.audit = roles.audit;
    this.leases = roles.leases;
    this.brokeredDatabases = roles.brokeredDatabases;
    this.signingKeys = roles.signingKeys;
    this.identityKeys = roles.identityKeys;
    this.usedJtis = roles.usedJtis;
    this.federationIssuers = roles.federationIssuers;
    this.auditCheckpoints = roles.auditCheckpoints;
    this.auditSinks = roles.auditSinks;
    this.tasks = roles.tasks;
    this.issuedTokens = roles.issuedTokens;
    this.revocationEvents = roles.revocationEvents;
    this.approvals = roles.approvals;
    this.policies = roles.policies;
    this.alerts = roles.alerts;
    this.checkpointKeys = roles.checkpointKeys;
    this.baselines = roles.baselines;
    this.discoveryRefs = roles.discoveryRefs;
    this.credentials = roles.credentials;
    this.findings = roles.findings;
    this.discoveryRuns = roles.discoveryRuns;
    this.schedulerLeases = roles.schedulerLeases;
    this.offboardingCases = roles.offboardingCases;
    this.expiryNotices = roles.expiryNotices;
    this.reviewCampaigns = roles.reviewCampaigns;
    this.reviewItems = roles.reviewItems;
    this.rotationSchedules = roles.rotationSchedules;
    this.rotations = roles.rotations;
  }

  get backend(): StoreBackend {
    return this.dialect.backend;
  }

  /**
   * On SQLite the single connection is held for the whole of `fn`: calling the Store itself (not
   * `tx`) from inside `fn` would wait for that connection forever. Always use `tx` inside.
   */
  async transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    const appended: AuditEvent[] = [];
    const result = await this.db.transaction().execute((trx) =>
      fn(
        bindRoles(trx, this.dialect, (events) => {
          for (const e of events) appended.push(e);
        }),
      ),
    );
    if (appended.length > 0) this.emitAudit(appended);
    return result;
  }

  onAuditCommit(listener: (events: AuditEvent[]) => void): () => void {
    this.auditListeners.add(listener);
    return () => this.auditListeners.delete(listener);
  }

  private emitAudit(events: AuditEvent[]): void {
    for (const listener of this.auditListeners) {
      try {
        listener(events);
      } catch {
        // A listener's failure must not turn a committed write into an error for its caller.
      }
    }
  }

  /**
   * On SQLite, inserting row by row into several secondary indexes at scattered positions costs
   * more than the rows themselves (measured: the edges.to_id index alone halves edge insert speed).
   * A bulk load therefore drops the non-unique secondary indexes of the inventory tables and
   * rebuilds them (one sort each) before commit. Unique indexes stay, so conflicts are still caught
   * row by row. DDL is transactional in SQLite: a failed load leaves the indexes as they were.
   */
  async bulkLoad<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    if (this.dialect.backend !== 'sqlite') return this.transaction(fn);
    const appended: AuditEvent[] = [];
    // A large load touches more pages than the normal cache holds; spilling them to the WAL
    // mid-transaction writes them twice. The cache grows for the load only (pages, KiB if negative).
    const { rows: cache } = await sql<{ cache_size: number }>`pragma cache_size`.execute(this.db);
    await sql.raw(`pragma cache_size = ${BULK_CACHE_KIB}`).execute(this.db);
    const result = await this.db
      .transaction()
      .execute(async (trx) => {
        const { rows } = await sql<{ name: string; sql: string }>`
        select name, sql from sqlite_master
        where type = 'index' and sql is not null and sql not like 'CREATE UNIQUE%'
          and tbl_name in ('identities', 'humans', 'systems', 'resources', 'edges')`.execute(trx);
        for (const index of rows) await sql.raw(`drop index ${JSON.stringify(index.name)}`).execute(trx);
        const value = await fn(
          bindRoles(trx, this.dialect, (events) => {
            for (const e of events) appended.push(e);
          }),
        );
        for (const index of rows) await sql.raw(index.sql).execute(trx);
        return value;
      })
      .finally(() =>
        sql.raw(`pragma cache_size = ${Number(cache[0]?.cache_size ?? -65536)}`).execute(this.db),
      );
    if (appended.length > 0) this.emitAudit(appended);
    return result;
  }

  migrate(): Promise<number[]> {
    return runMigrations(this.db, this.dialect);
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.db.destroy();
  }
}
