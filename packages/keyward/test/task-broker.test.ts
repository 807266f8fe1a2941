/**
 * A task with a `postgres:<db>` scope gets a brokered credential at creation (returned once), and
 * the role is dropped when the task completes. Needs the test PostgreSQL (the brokered target).
 */
import type { Human } from '@keyward/sdk';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrokerTarget, createBrokerTarget } from './broker-target.js';
import { startTestIssuer, type TestIssuer } from './oidc-test-issuer.js';
import {
  type Agent,
  clientCredentials,
  createAgent,
  createSponsor,
  introspect,
  openTask,
  setUpSponsors,
} from './task-fixtures.js';
import { startTestServer, TEST_DATABASE_URL, type TestServer } from './test-server.js';

describe.skipIf(!TEST_DATABASE_URL)('tasks with brokered PostgreSQL credentials', () => {
  let srv: TestServer;
  let idp: TestIssuer;
  let target: BrokerTarget;
  let agent: Agent;
  let sponsor: Human;

  beforeAll(async () => {
    target = await createBrokerTarget(TEST_DATABASE_URL!);
    srv = await startTestServer({ maintenanceIntervalMs: 0, revocationIntervalMs: 60_000 });
    idp = await startTestIssuer();
    await setUpSponsors(srv, idp);
    sponsor = await createSponsor(srv, 'broker-sponsor');
    agent = await createAgent(srv, 'broker-agent');
    await srv.keyward.services.brokeredDatabases.create('test', {
      name: 'orders',
      adminUrl: target.adminUrl,
      rolePrefix: target.rolePrefix,
      grants: ['GRANT SELECT ON ALL TABLES IN SCHEMA public TO {{role}}'],
      maxTtlSeconds: 300,
    });
  });
  afterAll(async () => {
    await srv?.close();
    await idp?.close();
    await target?.cleanup();
  });

  it('issues the credential with the task and drops the role when the task completes', async () => {
    const res = await openTask(srv, agent, sponsor, idp, {
      scopes: ['connect:postgres:orders'],
      ttlSeconds: 600,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const [cred] = res.body.credentials;
    expect(cred).toMatchObject({
      database: 'orders',
      username: expect.stringMatching(new RegExp(`^${target.rolePrefix}_`)),
    });
    // The TTL is capped by the database's maxTtlSeconds (300), not the task's 600.
    expect(Date.parse(cred.validUntil) - Date.now()).toBeLessThanOrEqual(301_000);
    const url = new URL(cred.connectionUrl);
    url.password = cred.password;
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    expect((await client.query('select label from items')).rows).toEqual([{ label: 'one' }]);
    await client.end();
    expect(await target.rolesWithPrefix()).toEqual([cred.username]);
    // Never stored: a second read of the task does not carry it.
    expect(JSON.stringify(await srv.keyward.services.tasks.get(res.body.task.id))).not.toContain(
      cred.password,
    );

    const token = await clientCredentials(srv, agent, res.body.task.id, {
      scope: 'connect:postgres:orders',
      resource: 'postgres:orders',
    });
    expect(token.status).toBe(200);
    await srv.keyward.services.tasks.complete('test', res.body.task.id);
    expect(await target.rolesWithPrefix()).toEqual([]);
    expect((await introspect(srv, token.body.access_token)).body.active).toBe(false);
    const leases = await srv.keyward.services.broker.listLeases({ ownerRef: res.body.task.id }, {});
    expect(leases.items.map((l) => l.status)).toEqual(['revoked']);
  });

  it('refuses a task naming an unknown brokered database, creating nothing', async () => {
    const res = await openTask(srv, agent, sponsor, idp, { scopes: ['connect:postgres:nope'] });
    expect(res.status).toBe(404);
    expect(
      (await srv.keyward.services.tasks.list({ agentId: agent.identity.id, status: 'active' }, {})).items,
    ).toEqual([]);
  });
});
