/**
 * Rotation of a brokered PostgreSQL database's admin role password (target `pg-role:<database>`):
 * the role the broker logs in as sets itself a new random password. Restart-safe in three steps:
 *
 * 1. pending → applying: the new password, sealed by the SecretBox, is stored in the record first,
 *    so a crash after the ALTER ROLE never loses the only copy;
 * 2. outside any transaction: ALTER ROLE over the stored password (after a restart that already
 *    set it, over the candidate), then verify the candidate logs in (failing leaves the record
 *    applying; a rerun or the job repeats the step);
 * 3. one transaction: the brokered database's sealed password replaced, the record done (its
 *    candidate cleared), audit `rotation.completed`.
 */
import { randomBytes } from 'node:crypto';
import type { AuditRecorder } from '../audit/audit-recorder.js';
import type { BrokeredDatabaseService } from '../brokers/brokered-database-service.js';
import { passwordAad } from '../brokers/brokered-database-service.js';
import { logsIn, setOwnPassword } from '../brokers/postgres-admin.js';
import type { SecretBox } from '../brokers/secret-box.js';
import { KeywardError } from '../errors.js';
import type { Rotation } from '../storage/rotation-stores.js';
import type { Store } from '../storage/storage-types.js';

export const PG_ROLE = 'pg-role:';
/** The AAD binding a sealed candidate password to its rotation record. */
export const candidateAad = (id: string): string => `keyward:rotation:${id}`;

export interface PostgresRotationDeps {
  store: Store;
  audit: AuditRecorder;
  now: () => Date;
  databases: Pick<BrokeredDatabaseService, 'getRecord' | 'adminConnection'>;
  secrets: SecretBox;
}

export function createPostgresRotation({ store, audit, now, databases, secrets }: PostgresRotationDeps) {
  /** The role the database's admin URL logs in as (the record's oldRef). */
  async function roleOf(target: string): Promise<string> {
    const record = await databases.getRecord(target.slice(PG_ROLE.length));
    return decodeURIComponent(new URL(record.adminUrl).username);
  }

  async function rotate(actor: string, r: Rotation): Promise<Rotation> {
    const name = r.target.slice(PG_ROLE.length);
    if (r.state === 'pending') {
      const sealed = secrets.seal(randomBytes(24).toString('base64url'), candidateAad(r.id));
      if (!(await store.rotations.setCandidate(r.id, sealed, now().toISOString()))) {
        throw new KeywardError('rotation_in_progress', `rotation ${r.id} already ran`);
      }
    }
    const sealed = await store.rotations.candidate(r.id);
    if (!sealed) throw new KeywardError('rotation_in_progress', `rotation ${r.id} has no password to apply`);
    const password = secrets.open(sealed, candidateAad(r.id));
    const record = await databases.getRecord(name);
    const candidate = { url: record.adminUrl, password };
    try {
      await setOwnPassword(databases.adminConnection(record), password);
    } catch (err) {
      // A restart after the ALTER ROLE: the stored password no longer logs in, the candidate does.
      await setOwnPassword(candidate, password).catch(() => {
        throw new KeywardError(
          'upstream_failed',
          `could not set the password of ${r.oldRef} on ${name}: ${String(err)}`,
        );
      });
    }
    if (!(await logsIn(candidate))) {
      throw new KeywardError('upstream_failed', `the new password of ${r.oldRef} on ${name} does not log in`);
    }
    await store.transaction(async (tx) => {
      const at = now().toISOString();
      if (!(await tx.rotations.advance(r.id, 'applying', { state: 'done', newRef: r.oldRef, updatedAt: at })))
        return;
      await tx.brokeredDatabases.update({
        ...record,
        sealedPassword: secrets.seal(password, passwordAad(record.name)),
        updatedAt: at,
      });
      await tx.audit.append(
        audit.event(actor, 'rotation.completed', r.id, { target: r.target, role: r.oldRef, verified: true }),
      );
    });
    return (await store.rotations.get(r.id)) as Rotation;
  }

  return { roleOf, rotate };
}
