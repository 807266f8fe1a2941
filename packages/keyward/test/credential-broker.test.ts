/**
 * The credential broker against a real PostgreSQL target (scratch database, cleaned up with every
 * role it created): issued credentials log in and can only read, VALID UNTIL and the SCRAM verifier
 * are right, no secret reaches Keyward's store, revocation kills sessions and drops the role,
 * failures are recorded and retried, and injection-looking input is refused or quoted.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAuditRecorder } from '../src/audit/audit-recorder.js';
import { createBrokeredDatabaseService } from '../src/brokers/brokered-database-service.js';
import { createCredentialBroker, type IssuedCredential } from '../src/brokers/credential-broker.js';
import { createRevocationRetrier } from '../src/brokers/revocation-retrier.js';
import { scramVerifierMatches } from '../src/brokers/scram-verifier.js';
import { createAesGcmSecretBox } from '../src/brokers/secret-box.js';
import { KeywardError } from '../src/errors.js';
import { openStore } from '../src/storage/open-store.js';
import type { Store } from '../src/storage/storage-types.js';
import { type BrokerTarget, createBrokerTarget } from './broker-target.js';
import { TEST_DATABASE_URL } from './test-server.js';

const GRANT = 'GRANT SELECT ON ALL TABLES IN SCHEMA public TO {{role}}';

describe.skipIf(!TEST_DATABASE_URL)('credential broker on a real PostgreSQL', () => {
  let target: BrokerTarget;
  let store: Store;
  let dir: string;
  let offsetMs = 0;
  const now = () => new Date(Date.now() + offsetMs);
  const audit = createAuditRecorder(now);
  const secrets = createAesGcmSecretBox(randomBytes(32));
  let databases: ReturnType<typeof createBrokeredDatabaseService>;
  let broker: ReturnType<typeof createCredentialBroker>;
  const config = () => ({
    adminUrl: target.adminUrl,
    rolePrefix: target.rolePrefix,
    grants: [GRANT],
    maxTtlSeconds: 3600,
  });

  beforeAll(async () => {
    target = await createBrokerTarget(TEST_DATABASE_URL!);
    dir = mkdtempSync(path.join(os.tmpdir(), 'keyward-broker-'));
    store = await openStore({ backend: 'sqlite', file: path.join(dir, 'keyward.db') });
    await store.migrate();
    databases = createBrokeredDatabaseService({ store, secrets, audit, now });
    broker = createCredentialBroker({ store, databases, audit, now });
    await databases.create('admin', { name: 'analytics', ...config() });
  });
  afterAll(async () => {
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    await target?.cleanup();
  });
  beforeEach(async () => {
    offsetMs = 0;
    await databases.update('admin', 'analytics', config());
  });

  const login = async (c: IssuedCredential) => {
    const client = new pg.Client({
      host: target.host,
      port: target.port,
      database: target.database,
      user: c.username,
      password: c.password,
    });
    client.on('error', () => {});
    await client.connect();
    return client;
  };
  const issue = (ownerRef = 'task-1', ttlSeconds = 600) =>
    broker.issue({ database: 'analytics', ownerRef, ttlSeconds, actor: 'tok_test' });

  it('issues a login that can read the granted table but not write it', async () => {
    const c = await issue();
    expect(c.username).toMatch(new RegExp(`^${target.rolePrefix}_[0-9a-f]{16}$`));
    expect(c.password.length).toBeGreaterThanOrEqual(40);
    expect(c.connectionUrl).toBe(`postgres://${c.username}@${target.host}:${target.port}/${target.database}`);
    const client = await login(c);
    try {
      expect((await client.query('select label from items')).rows).toEqual([{ label: 'one' }]);
      const err = await client.query(`insert into items values (2, 'two')`).catch((e: unknown) => e);
      expect((err as { code?: string }).code).toBe('42501'); // insufficient_privilege
    } finally {
      await client.end();
    }
    const role = await target.query(
      'select rolvaliduntil, rolcanlogin, rolpassword from pg_authid where rolname = $1',
      [c.username],
    );
    expect((role.rows[0].rolvaliduntil as Date).toISOString()).toBe(c.validUntil);
    expect(role.rows[0].rolcanlogin).toBe(true);
    // The server holds a SCRAM verifier for exactly this password (the test server trusts local
    // logins, so this is what proves the password), and never saw the plaintext.
    expect(scramVerifierMatches(role.rows[0].rolpassword, c.password)).toBe(true);
    expect(scramVerifierMatches(role.rows[0].rolpassword, `${c.password}x`)).toBe(false);
    expect(c.lease).toMatchObject({ status: 'active', ownerRef: 'task-1', roleName: c.username });
    expect(new Date(c.validUntil).getTime() - new Date(c.lease.createdAt).getTime()).toBe(600_000);
  });

  it('stores neither the issued password nor the admin password', async () => {
    const c = await issue();
    const events = await store.audit.list({ targetId: c.leaseId }, 10);
    expect(events.map((e) => e.type)).toEqual(['broker.lease.issued']);
    const everything = readdirSync(dir)
      .map((f) => readFileSync(path.join(dir, f)).toString('latin1'))
      .join('\n');
    expect(everything).toContain(c.username); // the scan does see the data
    expect(everything).not.toContain(c.password);
    expect(everything).not.toContain(target.adminPassword);
    const view = await databases.get('analytics');
    expect(view.adminUrl).toContain(':****@');
    expect(JSON.stringify(await databases.list())).not.toContain(target.adminPassword);
  });

  it('revoke terminates open sessions and drops the role; revoking again changes nothing', async () => {
    const c = await issue();
    const client = await login(c);
    const lease = await broker.revokeLease(c.leaseId, 'tok_test');
    expect(lease).toMatchObject({ status: 'revoked', attempts: 1, lastError: null });
    const err = await client.query('select 1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    await client.end().catch(() => {});
    expect(await target.rolesWithPrefix()).not.toContain(c.username);
    expect(await broker.revokeLease(c.leaseId, 'tok_test')).toEqual(lease);
    const events = await store.audit.list({ targetId: c.leaseId }, 10);
    expect(events.map((e) => e.type)).toEqual(['broker.lease.issued', 'broker.lease.revoked']);
  });

  it('a role already gone counts as revoked', async () => {
    const c = await issue();
    await target.query(`drop owned by "${c.username}"`);
    await target.query(`drop role "${c.username}"`);
    expect(await broker.revokeLease(c.leaseId)).toMatchObject({ status: 'revoked' });
    const [, revoked] = await store.audit.list({ targetId: c.leaseId }, 10);
    expect(revoked?.details).toMatchObject({ roleWasPresent: false });
  });

  it('a failed revocation is recorded as revoke_failed and succeeds on retry once fixed', async () => {
    const c = await issue();
    const broken = new URL(target.adminUrl);
    broken.port = '1';
    await databases.update('admin', 'analytics', { ...config(), adminUrl: broken.toString() });
    const failed = await broker.revokeLease(c.leaseId, 'tok_test');
    expect(failed).toMatchObject({ status: 'revoke_failed', attempts: 1 });
    expect(failed.lastError).toMatch(/ECONNREFUSED/);
    expect(failed.lastError).not.toContain(target.adminPassword);
    expect(new Date(failed.nextAttemptAt!).getTime()).toBeGreaterThan(now().getTime());
    expect(await target.rolesWithPrefix()).toContain(c.username);
    expect((await store.leases.countByStatus()).revoke_failed).toBe(1);

    const retrier = createRevocationRetrier({ sweep: () => broker.processDue() });
    expect(await retrier.runOnce()).toEqual({ revoked: 0, failed: 0 }); // back-off not yet over
    offsetMs = 6_000;
    expect(await retrier.runOnce()).toEqual({ revoked: 0, failed: 1 }); // still broken: attempt 2
    const again = await broker.getLease(c.leaseId);
    expect(again).toMatchObject({ status: 'revoke_failed', attempts: 2 });
    // exponential: the second failure waits twice as long as the first
    const wait = new Date(again.nextAttemptAt!).getTime() - now().getTime();
    expect(wait).toBeGreaterThan(9_000);
    expect(wait).toBeLessThanOrEqual(10_000);

    await databases.update('admin', 'analytics', config());
    offsetMs = 20_000;
    expect(await retrier.runOnce()).toEqual({ revoked: 1, failed: 0 });
    expect(await broker.getLease(c.leaseId)).toMatchObject({
      status: 'revoked',
      attempts: 3,
      lastError: null,
    });
    expect(await target.rolesWithPrefix()).not.toContain(c.username);
    const events = await store.audit.list({ targetId: c.leaseId }, 10);
    expect(events.map((e) => [e.type, e.outcome])).toEqual([
      ['broker.lease.issued', 'success'],
      ['broker.lease.revoke_failed', 'failure'],
      ['broker.lease.revoke_failed', 'failure'],
      ['broker.lease.revoked', 'success'],
    ]);
    await retrier.stop();
  });

  it('revokeByOwner revokes every lease of that owner and no other', async () => {
    const a = await issue('task-owner-a');
    const b = await issue('task-owner-a');
    const other = await issue('task-owner-b');
    const leases = await broker.revokeByOwner('task-owner-a', 'system');
    expect(leases.map((l) => [l.id, l.status])).toEqual([
      [a.leaseId, 'revoked'],
      [b.leaseId, 'revoked'],
    ]);
    const roles = await target.rolesWithPrefix();
    expect(roles).not.toContain(a.username);
    expect(roles).not.toContain(b.username);
    expect(roles).toContain(other.username);
    expect(await broker.revokeByOwner('task-owner-a')).toHaveLength(2);
    await broker.revokeLease(other.leaseId);
  });

  it('the expiry sweep revokes leases past validUntil', async () => {
    const c = await issue('task-expiring', 1);
    const retrier = createRevocationRetrier({ sweep: () => broker.processDue() });
    offsetMs = 2_000;
    expect(await retrier.runOnce()).toEqual({ revoked: 1, failed: 0 });
    const [, revoked] = await store.audit.list({ targetId: c.leaseId }, 10);
    expect(revoked).toMatchObject({ type: 'broker.lease.revoked', actor: 'system' });
    expect(revoked?.details).toMatchObject({ reason: 'expired' });
    expect(await target.rolesWithPrefix()).not.toContain(c.username);
  });

  it('refuses a TTL above the database max, creating nothing', async () => {
    const before = await target.rolesWithPrefix();
    const err = await issue('task-long', 3601).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeywardError);
    expect(err).toMatchObject({ code: 'validation_failed' });
    expect((err as Error).message).toMatch(/ttlSeconds must be an integer from 1 to 3600/);
    expect(await target.rolesWithPrefix()).toEqual(before);
    await expect(issue('task-x', 0)).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(
      broker.issue({ database: 'nope', ownerRef: 't', ttlSeconds: 60, actor: 'a' }),
    ).rejects.toMatchObject({ code: 'not_found' });
  });

  it('drops the role again when the lease cannot be recorded', async () => {
    const failing: Store = Object.assign(Object.create(store) as Store, {
      transaction: async () => {
        throw new Error('store is down');
      },
    });
    const b = createCredentialBroker({ store: failing, databases, audit, now });
    const before = await target.rolesWithPrefix();
    await expect(
      b.issue({ database: 'analytics', ownerRef: 'task-c', ttlSeconds: 60, actor: 'a' }),
    ).rejects.toThrow('store is down');
    expect(await target.rolesWithPrefix()).toEqual(before);
  });

  it('rejects injection-looking configuration and quotes everything it accepts', async () => {
    const bad = [
      { name: "x'; drop table items; --" },
      { rolePrefix: 'kw"; drop role postgres; --' },
      { rolePrefix: 'KW' },
      { grants: ['GRANT SELECT ON items TO {{role}}; DROP TABLE items'] },
      { grants: ['GRANT SELECT ON items TO {{role}} -- trailing'] },
      { grants: ['DROP TABLE items'] },
      { grants: ['GRANT SELECT ON items TO public'] },
      { grants: ['GRANT SELECT ON items TO {{role}}, {{other}}'] },
      { adminUrl: 'mysql://root@h/db' },
      { adminUrl: 'postgres://root@h/db?password=unsealed' },
      { maxTtlSeconds: 0 },
    ];
    for (const over of bad) {
      await expect(
        databases.create('admin', { name: 'evil', ...config(), ...over }),
        JSON.stringify(over),
      ).rejects.toMatchObject({ code: 'validation_failed' });
    }
    expect((await databases.list()).map((d) => d.name)).toEqual(['analytics']);
    // An owner reference is data, never SQL: quotes and semicolons are stored and audited as is.
    const ownerRef = `t'); DROP ROLE postgres; --"`;
    const c = await issue(ownerRef);
    expect((await broker.getLease(c.leaseId)).ownerRef).toBe(ownerRef);
    expect((await target.query('select count(*)::int as n from items')).rows[0].n).toBe(1);
    expect(await broker.revokeByOwner(ownerRef)).toMatchObject([{ status: 'revoked' }]);
  });
});

describe('SecretBox (AES-256-GCM)', () => {
  const box = createAesGcmSecretBox(randomBytes(32));
  it('round-trips, and refuses another aad, another key or a tampered value', () => {
    const sealed = box.seal('s3cret', 'db:a');
    expect(sealed).not.toContain('s3cret');
    expect(box.seal('s3cret', 'db:a')).not.toBe(sealed); // fresh IV each time
    expect(box.open(sealed, 'db:a')).toBe('s3cret');
    expect(() => box.open(sealed, 'db:b')).toThrow();
    expect(() => createAesGcmSecretBox(randomBytes(32)).open(sealed, 'db:a')).toThrow();
    const parts = sealed.split('.');
    parts[3] = Buffer.from('x').toString('base64url');
    expect(() => box.open(parts.join('.'), 'db:a')).toThrow();
    expect(() => createAesGcmSecretBox(randomBytes(16))).toThrow(TypeError);
  });
});
