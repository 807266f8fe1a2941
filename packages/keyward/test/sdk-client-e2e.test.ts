/** End-to-end: the SDK's KeywardClient against a real server (startTestServer). */
import { collect, KeywardApiError, KeywardClient } from '@keyward/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './test-server.js';

describe('KeywardClient end to end', () => {
  let server: TestServer;
  let client: KeywardClient;
  beforeAll(async () => {
    server = await startTestServer();
    client = new KeywardClient({ url: server.url, token: server.adminToken });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('creates, reads, updates, lists and disables identities', async () => {
    const owner = await client.humans.create({ email: 'bo@example.com', name: 'Bo' });
    const created = await client.identities.create({
      name: 'ci-deployer',
      kind: 'oauth_app',
      environment: 'prod',
      ownerId: owner.id,
      purpose: 'deploys',
      reviewDate: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    });
    expect(created.version).toBe(1);
    expect(await client.identities.get(created.id)).toEqual(created);
    const updated = await client.identities.update(created.id, {
      version: created.version,
      purpose: 'deploys all',
    });
    expect(updated.version).toBe(2);
    await expect(client.identities.update(created.id, { version: 1, purpose: 'x' })).rejects.toMatchObject({
      status: 412,
      code: 'version_conflict',
    });
    for (let i = 0; i < 3; i++)
      await client.identities.create({ name: `svc ${i}/x?`, kind: 'bot', environment: 'dev' });
    const all = await collect(client.identities.listAll({ environment: 'dev', limit: 1 }));
    expect(all.map((i) => i.name).sort()).toEqual(['svc 0/x?', 'svc 1/x?', 'svc 2/x?']);
    const disabled = await client.identities.disable(created.id, { reason: 'test' });
    expect(disabled.status).toBe('disabled');
  });

  it('queries the graph and the summary', async () => {
    const a = await client.identities.create({ name: 'role-a', kind: 'service_account', environment: 'dev' });
    const b = await client.identities.create({ name: 'role-b', kind: 'service_account', environment: 'dev' });
    const edge = await client.edges.create({ kind: 'can_assume', fromId: a.id, toId: b.id });
    expect((await client.edges.get(edge.id)).kind).toBe('can_assume');
    const path = await client.graph.path(a.id, b.id);
    expect(path.reachable).toBe(true);
    expect((await client.identities.blastRadius(a.id)).totals.reachable).toBeGreaterThanOrEqual(1);
    expect((await client.identities.lineage(b.id)).subject.id).toBe(b.id);
    await client.edges.delete(edge.id);
    expect((await client.graph.path(a.id, b.id)).reachable).toBe(false);
    expect((await client.summary()).identities.total).toBeGreaterThanOrEqual(2);
    expect((await client.health()).status).toBeTruthy();
  });

  it('reports problems as KeywardApiError without leaking the token', async () => {
    const anonymous = new KeywardClient({ url: server.url });
    const error = await anonymous.identities.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeywardApiError);
    expect(error).toMatchObject({ status: 401, code: 'unauthenticated' });
    await expect(client.identities.get('nhi_0190f0c2a1b27c3d8e9f0a1b2c3d4e5f')).rejects.toMatchObject({
      code: 'not_found',
    });
    const secretClient = new KeywardClient({ url: 'http://127.0.0.1:1', token: 'kw_very_secret' });
    const network = (await secretClient.summary().catch((e: unknown) => e)) as KeywardApiError;
    expect(network.code).toBe('network_error');
    expect(network.message).toContain('127.0.0.1:1');
    expect(network.message).not.toContain('kw_very_secret');
  });
});
