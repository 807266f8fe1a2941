/**
 * The PostgreSQL credential broker, in the spirit of Vault's database secrets engine. It knows
 * leases, not tasks: a lease carries an opaque ownerRef (a task id, say) so its owner can have all
 * its credentials revoked at once.
 *
 * Issue: the role is created on the target first (outside any store transaction: it is network
 * work), then the lease and its audit event are recorded in one store transaction; if recording
 * fails the role is dropped again. The password is returned once and never stored, not even hashed.
 */
import { randomBytes } from 'node:crypto';
import type { Page, PageRequest } from '@keyward/sdk';
import type { AuditRecorder } from '../audit/audit-recorder.js';
import { KeywardError, notFound, validationFailed } from '../errors.js';
import { newId } from '../ids.js';
import type { CredentialLease, LeaseFilter, Store } from '../storage/storage-types.js';
import type { BrokeredDatabaseService } from './brokered-database-service.js';
import {
  createLeaseRevoker,
  describeFailure,
  type LeaseRevoker,
  type RevocationObserver,
  type RevocationPolicy,
} from './lease-revoker.js';
import { createLoginRole, dropLoginRole } from './postgres-admin.js';

export interface IssueRequest {
  /** Name of a configured brokered database. */
  database: string;
  /** Opaque owner reference, e.g. a task id; revokeByOwner(ownerRef) takes all its leases back. */
  ownerRef: string;
  /** At most the database's maxTtlSeconds. */
  ttlSeconds: number;
  /** Audit actor: an API token id, `system`, or an identity id. */
  actor: string;
}

export interface IssuedCredential {
  leaseId: string;
  lease: CredentialLease;
  username: string;
  /** Shown only here: Keyward keeps neither the password nor a hash of it. */
  password: string;
  validUntil: string;
  /** postgres://<username>@host:port/database — without the password. */
  connectionUrl: string;
}

export interface CredentialBrokerDeps {
  store: Store;
  databases: BrokeredDatabaseService;
  audit: AuditRecorder;
  now: () => Date;
  policy?: Partial<RevocationPolicy>;
  observer?: RevocationObserver;
}

const isOwnerRef = (s: string): boolean =>
  s.length >= 1 && s.length <= 200 && [...s].every((c) => c.charCodeAt(0) >= 0x20);

function connectionUrlFor(adminUrl: string, username: string): string {
  const url = new URL(adminUrl);
  url.username = username;
  url.password = '';
  return url.toString();
}

export function createCredentialBroker(deps: CredentialBrokerDeps) {
  const { store, databases, audit, now } = deps;
  const revoker: LeaseRevoker = createLeaseRevoker(deps);

  async function issue(request: IssueRequest): Promise<IssuedCredential> {
    const { database, ownerRef, ttlSeconds, actor } = request;
    if (!isOwnerRef(ownerRef)) {
      throw validationFailed('ownerRef must be 1-200 printable characters', [
        { path: '/ownerRef', message: '1-200 printable characters' },
      ]);
    }
    const db = await databases.getRecord(database);
    if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > db.maxTtlSeconds) {
      throw validationFailed(
        `ttlSeconds must be an integer from 1 to ${db.maxTtlSeconds} (the max TTL of ${database})`,
        [{ path: '/ttlSeconds', message: `at most ${db.maxTtlSeconds}` }],
      );
    }
    const created = now();
    const validUntil = new Date(created.getTime() + ttlSeconds * 1000).toISOString();
    const roleName = `${db.rolePrefix}_${randomBytes(8).toString('hex')}`;
    const password = randomBytes(32).toString('base64url');
    const conn = databases.adminConnection(db);
    try {
      await createLoginRole(conn, { roleName, password, validUntil, grants: db.grants });
    } catch (err) {
      throw new KeywardError(
        'upstream_failed',
        `could not create a role on ${database}: ${describeFailure(err, [conn.password, password])}`,
        { cause: err },
      );
    }
    const lease: CredentialLease = {
      id: newId('lease'),
      database,
      roleName,
      ownerRef,
      createdAt: created.toISOString(),
      validUntil,
      status: 'active',
      attempts: 0,
      lastError: null,
      revokedAt: null,
      nextAttemptAt: null,
      claimedAt: null,
    };
    try {
      await store.transaction(async (tx) => {
        await tx.leases.create(lease);
        await tx.audit.append(
          audit.event(actor, 'broker.lease.issued', lease.id, {
            database,
            role: roleName,
            ownerRef,
            validUntil,
            ttlSeconds,
          }),
        );
      });
    } catch (err) {
      // Compensate: a credential Keyward has no lease for must not outlive this call. If the drop
      // fails too, the role still expires at VALID UNTIL.
      await dropLoginRole(conn, roleName).catch(() => {});
      throw err;
    }
    return {
      leaseId: lease.id,
      lease,
      username: roleName,
      password,
      validUntil,
      connectionUrl: connectionUrlFor(db.adminUrl, roleName),
    };
  }

  async function getLease(id: string): Promise<CredentialLease> {
    const lease = await store.leases.get(id);
    if (!lease) throw notFound('credential lease', id);
    return lease;
  }

  const listLeases = (filter: LeaseFilter, page: PageRequest): Promise<Page<CredentialLease>> =>
    store.leases.list(filter, page);

  return {
    issue,
    getLease,
    listLeases,
    /** Revokes one lease; returns it afterwards (status revoked, or revoke_failed to be retried). */
    revokeLease: (leaseId: string, actor = 'system') => revoker.revokeLease(leaseId, actor, 'requested'),
    /** Revokes every lease of ownerRef not yet revoked; returns them afterwards. */
    revokeByOwner: (ownerRef: string, actor = 'system') => revoker.revokeByOwner(ownerRef, actor),
    /** One sweep of expired and retry-due leases (the RevocationRetrier calls this). */
    processDue: (limit?: number) => revoker.processDue(limit),
    countByStatus: () => store.leases.countByStatus(),
  };
}

export type CredentialBroker = ReturnType<typeof createCredentialBroker>;
