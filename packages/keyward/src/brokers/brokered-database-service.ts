/**
 * Brokered database configurations: an admin registers the PostgreSQL databases Keyward may issue
 * credentials on. The admin password is sealed by the SecretBox before it is stored and is never
 * returned: views carry the URL with `****` for the password. Every change commits with its audit
 * event (which never holds the URL's password either).
 */
import type { AuditRecorder } from '../audit/audit-recorder.js';
import { KeywardError, notFound } from '../errors.js';
import { isStorageError } from '../storage/storage-errors.js';
import type { BrokeredDatabase, LeaseStatus, Store } from '../storage/storage-types.js';
import {
  type BrokeredDatabaseInput,
  checkBrokeredDatabase,
  maskedUrl,
  splitAdminUrl,
} from './brokered-database-rules.js';
import type { AdminConnection } from './postgres-admin.js';
import type { SecretBox } from './secret-box.js';

export interface BrokeredDatabaseView {
  name: string;
  /** The admin URL with its password masked as `****`. */
  adminUrl: string;
  rolePrefix: string;
  grants: string[];
  maxTtlSeconds: number;
  createdAt: string;
  updatedAt: string;
}

export interface BrokeredDatabaseServiceDeps {
  store: Store;
  secrets: SecretBox;
  audit: AuditRecorder;
  now: () => Date;
}

export const toView = (d: BrokeredDatabase): BrokeredDatabaseView => ({
  name: d.name,
  adminUrl: maskedUrl(d.adminUrl, d.sealedPassword !== null),
  rolePrefix: d.rolePrefix,
  grants: d.grants,
  maxTtlSeconds: d.maxTtlSeconds,
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
});

/** The AAD binding a sealed admin password to its database. */
export const passwordAad = (name: string): string => `keyward:brokered-database:${name}`;

const LIVE: readonly LeaseStatus[] = ['active', 'revoking', 'revoke_failed'];

export function createBrokeredDatabaseService({ store, secrets, audit, now }: BrokeredDatabaseServiceDeps) {
  function build(input: BrokeredDatabaseInput, createdAt: string): BrokeredDatabase {
    const checked = checkBrokeredDatabase(input);
    const { url, password } = splitAdminUrl(checked.adminUrl);
    return {
      name: checked.name,
      adminUrl: url,
      sealedPassword: password === null ? null : secrets.seal(password, passwordAad(checked.name)),
      rolePrefix: checked.rolePrefix,
      grants: checked.grants,
      maxTtlSeconds: checked.maxTtlSeconds,
      createdAt,
      updatedAt: now().toISOString(),
    };
  }

  const details = (d: BrokeredDatabase) => ({
    adminUrl: toView(d).adminUrl,
    rolePrefix: d.rolePrefix,
    grants: d.grants,
    maxTtlSeconds: d.maxTtlSeconds,
  });

  async function create(actor: string, input: BrokeredDatabaseInput): Promise<BrokeredDatabaseView> {
    const record = build(input, now().toISOString());
    try {
      await store.transaction(async (tx) => {
        await tx.brokeredDatabases.create(record);
        await tx.audit.append(audit.event(actor, 'broker.database.configured', null, details(record)));
      });
    } catch (err) {
      if (isStorageError(err, 'conflict')) {
        throw new KeywardError('already_exists', `brokered database ${JSON.stringify(input.name)} exists`);
      }
      throw err;
    }
    return toView(record);
  }

  /** Replaces the configuration of `name` (the URL's password included: send it again). */
  async function update(
    actor: string,
    name: string,
    input: Omit<BrokeredDatabaseInput, 'name'>,
  ): Promise<BrokeredDatabaseView> {
    return store.transaction(async (tx) => {
      const current = await tx.brokeredDatabases.get(name);
      if (!current) throw notFound('brokered database', name);
      const record = build({ ...input, name }, current.createdAt);
      await tx.brokeredDatabases.update(record);
      await tx.audit.append(
        audit.event(actor, 'broker.database.updated', null, { name, ...details(record) }),
      );
      return toView(record);
    });
  }

  async function getRecord(name: string): Promise<BrokeredDatabase> {
    const record = await store.brokeredDatabases.get(name);
    if (!record) throw notFound('brokered database', name);
    return record;
  }

  const get = async (name: string): Promise<BrokeredDatabaseView> => toView(await getRecord(name));
  const list = async (): Promise<BrokeredDatabaseView[]> =>
    (await store.brokeredDatabases.list()).map(toView);

  /** Refused while any lease on the database is not yet revoked: revocation needs the configuration. */
  async function remove(actor: string, name: string): Promise<void> {
    await store.transaction(async (tx) => {
      if (!(await tx.brokeredDatabases.get(name))) throw notFound('brokered database', name);
      for (const status of LIVE) {
        const page = await tx.leases.list({ database: name, status }, { limit: 1 });
        if (page.items.length > 0) {
          throw new KeywardError(
            'policy_violation',
            `brokered database ${JSON.stringify(name)} still has ${status} leases; revoke them first`,
          );
        }
      }
      await tx.brokeredDatabases.delete(name);
      await tx.audit.append(audit.event(actor, 'broker.database.deleted', null, { name }));
    });
  }

  /** The admin connection of a stored configuration, its password opened. */
  function adminConnection(record: BrokeredDatabase): AdminConnection {
    return {
      url: record.adminUrl,
      password:
        record.sealedPassword === null ? null : secrets.open(record.sealedPassword, passwordAad(record.name)),
    };
  }

  return { create, update, get, getRecord, list, remove, adminConnection };
}

export type BrokeredDatabaseService = ReturnType<typeof createBrokeredDatabaseService>;
