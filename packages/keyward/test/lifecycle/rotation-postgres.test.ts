/**
 * PostgreSQL role password rotation against a real target (when KEYWARD_TEST_DATABASE_URL is set):
 * the brokered database's admin role gets a new random password, pg_authid's SCRAM verifier accepts
 * it and not the old one (the test server trusts local logins, so the verifier is the evidence),
 * Keyward stores it sealed and audits the rotation; a rotation interrupted after ALTER ROLE is
 * finished by the job with the password already set.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setOwnPassword } from '../../src/brokers/postgres-admin.js';
import { scramVerifierMatches } from '../../src/brokers/scram-verifier.js';
import { createAesGcmSecretBox } from '../../src/brokers/secret-box.js';
import { newId } from '../../src/ids.js';
import { candidateAad } from '../../src/lifecycle/rotation-postgres.js';
import { type BrokerTarget, createBrokerTarget } from '../broker-target.js';
import { startTestServer, TEST_DATABASE_URL, type TestServer } from '../test-server.js';
import { events, movableClock } from './lifecycle-fixtures.js';

describe.skipIf(!TEST_DATABASE_URL)('PostgreSQL role rotation', () => {
  const clock = movableClock();
  const secrets = createAesGcmSecretBox(randomBytes(32));
  let target: BrokerTarget;
  let srv: TestServer;
  let role: string;
  const oldPassword = `Old-${randomBytes(6).toString('hex')}`;

  const verifier = async () =>
    (await target.query('select rolpassword from pg_authid where rolname = $1', [role])).rows[0]
      .rolpassword as string;
  const storedPassword = async () => {
    const db = srv.keyward.services.brokeredDatabases;
    return db.adminConnection(await db.getRecord('target')).password;
  };

  beforeEach(async () => {
    target = await createBrokerTarget(TEST_DATABASE_URL!);
    role = `${target.rolePrefix}_admin`;
    await target.query(`create role ${role} login createrole password '${oldPassword}'`);
    srv = await startTestServer({
      now: clock.now,
      maintenanceIntervalMs: 0,
      lifecycleIntervalMs: 0,
      revocationIntervalMs: 60_000,
      secretBox: secrets,
    });
    const url = new URL(target.adminUrl);
    url.username = role;
    url.password = oldPassword;
    await srv.keyward.services.brokeredDatabases.create('test', {
      name: 'target',
      adminUrl: url.toString(),
      rolePrefix: target.rolePrefix,
      grants: [],
      maxTtlSeconds: 3600,
    });
  });
  afterEach(async () => {
    await srv.close();
    await target.cleanup();
  });

  it('sets a new verified password, stores it sealed and audits the rotation', async () => {
    expect(scramVerifierMatches(await verifier(), oldPassword)).toBe(true);
    const { rotation: r, secret } = await srv.keyward.services.lifecycle.rotation.run(
      'test',
      'pg-role:target',
    );
    expect(secret).toBeUndefined();
    expect(r).toMatchObject({ state: 'done', target: 'pg-role:target', oldRef: role });
    const now = await storedPassword();
    expect(now).not.toBe(oldPassword);
    expect(scramVerifierMatches(await verifier(), now as string)).toBe(true);
    expect(scramVerifierMatches(await verifier(), oldPassword)).toBe(false);
    expect(await srv.keyward.store.rotations.candidate(r.id)).toBeNull();
    expect(await events(srv, 'rotation.completed', r.id)).toHaveLength(1);
  });

  it('finishes a rotation interrupted after ALTER ROLE with the password already set', async () => {
    const id = newId('rotation');
    const at = clock.now().toISOString();
    await srv.keyward.store.rotations.create({
      id,
      target: 'pg-role:target',
      state: 'pending',
      oldRef: role,
      newRef: null,
      overlapSeconds: 0,
      overlapUntil: null,
      proposal: null,
      proposalState: null,
      requestedBy: 'test',
      createdAt: at,
      updatedAt: at,
    });
    const chosen = `New-${randomBytes(6).toString('hex')}`;
    expect(
      await srv.keyward.store.rotations.setCandidate(id, secrets.seal(chosen, candidateAad(id)), at),
    ).toBe(true);
    // The process died here: the role already has the new password, Keyward still holds the old one.
    await setOwnPassword(
      { url: target.adminUrl.replace(/\/\/[^@]*@/, `//${role}@`), password: oldPassword },
      chosen,
    );
    const run = await srv.keyward.services.lifecycle.rotation.runJob();
    expect(run.completed).toEqual([id]);
    expect(await storedPassword()).toBe(chosen);
    expect(scramVerifierMatches(await verifier(), chosen)).toBe(true);
    expect((await srv.keyward.services.lifecycle.rotation.runJob()).completed).toEqual([]);
  });
});
