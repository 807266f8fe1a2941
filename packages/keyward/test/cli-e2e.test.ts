/** End-to-end: the CLI run in-process against a real server (startTestServer). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../src/cli/cli-io.js';
import { runCli } from '../src/cli/program.js';
import { startTestServer, type TestServer } from './test-server.js';

describe('keyward CLI end to end', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  async function cli(args: string[], token: string | null = server.adminToken) {
    const cap = captureIo({ KEYWARD_URL: server.url, KEYWARD_TOKEN: token ?? undefined });
    const code = await runCli(args, cap.io);
    return { code, out: cap.out(), err: cap.err() };
  }
  async function cliJson<T>(args: string[]): Promise<T> {
    const r = await cli([...args, '--json']);
    expect(r.err, r.err).toBe('');
    expect(r.code).toBe(0);
    return JSON.parse(r.out) as T;
  }

  it('builds a small estate and queries lineage, blast radius and paths', async () => {
    const human = await cliJson<{ id: string }>([
      'human',
      'add',
      '--email',
      'ana@example.com',
      '--name',
      'Ana Ruiz',
    ]);
    expect(human.id).toMatch(/^hum_/);
    const identity = await cliJson<{ id: string; ownerId: string; labels: Record<string, string> }>([
      'identity',
      'add',
      '--name',
      'payments-api-prod',
      '--kind',
      'service_account',
      '--env',
      'prod',
      '--owner',
      'ana@example.com',
      '--purpose',
      'charges cards',
      '--expires',
      '+90d',
      '--label',
      'team=payments',
      '--secret-location',
      'vault:kv/prod/payments',
    ]);
    expect(identity.ownerId).toBe(human.id);
    expect(identity.labels).toEqual({ team: 'payments' });
    await cliJson(['system', 'add', '--name', 'payments', '--sensitivity', 'critical']);
    const db = await cliJson<{ id: string }>([
      'resource',
      'add',
      '--name',
      'payments-db-prod',
      '--kind',
      'database',
      '--sensitivity',
      'critical',
      '--system',
      'payments',
      '--env',
      'prod',
    ]);
    const edge = await cliJson<{ id: string; fromId: string; toId: string }>([
      'edge',
      'add',
      '--kind',
      'has_permission',
      '--from',
      'payments-api-prod',
      '--to',
      'resource:payments-db-prod',
      '--action',
      'read',
      '--action',
      'write',
    ]);
    expect(edge).toMatchObject({ fromId: identity.id, toId: db.id });
    await cliJson([
      'edge',
      'add',
      '--kind',
      'owns',
      '--from',
      'human:ana@example.com',
      '--to',
      'payments-api-prod',
    ]);

    const lineage = await cli(['lineage', 'payments-api-prod']);
    expect(lineage.code).toBe(0);
    expect(lineage.out).toContain('Ancestors of');
    expect(lineage.out).toMatch(/Ana Ruiz|ana@example.com/);
    const radius = await cli(['blast-radius', 'payments-api-prod']);
    expect(radius.code).toBe(0);
    expect(radius.out).toMatch(/1\. payments-db-prod .*critical/);
    const radiusJson = await cliJson<{ totals: { reachable: number } }>([
      'blast-radius',
      'payments-api-prod',
    ]);
    expect(radiusJson.totals.reachable).toBeGreaterThanOrEqual(1);
    const path = await cli(['path', 'payments-api-prod', 'resource:payments-db-prod']);
    expect(path.code).toBe(0);
    expect(path.out).toContain('Path from payments-api-prod to payments-db-prod (1 hops)');
    const summary = await cliJson<{ identities: { total: number } }>(['summary']);
    expect(summary.identities.total).toBe(1);
  });

  it('lists with filters and follows cursors with --all', async () => {
    for (let i = 0; i < 5; i++) {
      await cliJson(['identity', 'add', '--name', `dev-bot-${i}`, '--kind', 'bot', '--env', 'dev']);
    }
    const page = await cliJson<{ items: unknown[]; nextCursor: string | null }>([
      'identity',
      'list',
      '--env',
      'dev',
      '--limit',
      '2',
    ]);
    expect(page.items).toHaveLength(2);
    expect(page.nextCursor).not.toBeNull();
    const all = await cliJson<{ items: Array<{ environment: string }> }>([
      'identity',
      'list',
      '--env',
      'dev',
      '--limit',
      '2',
      '--all',
    ]);
    expect(all.items).toHaveLength(5);
    expect(all.items.every((i) => i.environment === 'dev')).toBe(true);
    const table = await cli(['identity', 'list', '--kind', 'bot', '--all']);
    expect(table.out).toContain('dev-bot-4');
  });

  it('update with a stale version fails with version_conflict', async () => {
    await cliJson(['identity', 'add', '--name', 'etl-key', '--kind', 'api_key', '--env', 'dev']);
    const ok = await cliJson<{ version: number }>([
      'identity',
      'update',
      'etl-key',
      '--purpose',
      'nightly ETL',
    ]);
    expect(ok.version).toBe(2);
    const stale = await cli(['identity', 'update', 'etl-key', '--purpose', 'other', '--expect-version', '1']);
    expect(stale.code).toBe(1);
    expect(stale.err).toMatch(/^error: .*\(version_conflict\)\n$/);
  });

  it('without a token gives one line and exit 1, never the token', async () => {
    const r = await cli(['identity', 'list'], null);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^error: .*\(unauthenticated\)\n$/);
    const bad = await cli(['identity', 'list'], 'kw_not_a_real_token_123');
    expect(bad.code).toBe(1);
    expect(bad.err).not.toContain('kw_not_a_real_token_123');
  });

  it('show of an unknown id exits 1 with not_found; a bad option is a usage error', async () => {
    const r = await cli(['identity', 'show', 'nhi_0190f0c2a1b27c3d8e9f0a1b2c3d4e5f']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/\(not_found\)\n$/);
    const byName = await cli(['identity', 'show', 'no-such-identity']);
    expect(byName.code).toBe(1);
    expect(byName.err).toMatch(/no identity named "no-such-identity" \(not_found\)/);
    const usage = await cli(['identity', 'list', '--kind', 'nope']);
    expect(usage.code).toBe(2);
  });

  it('manages API tokens', async () => {
    const created = await cliJson<{ token: { id: string }; secret: string }>([
      'token',
      'create',
      '--name',
      'ci',
      '--role',
      'auditor',
    ]);
    expect(created.secret.length).toBeGreaterThan(10);
    const list = await cliJson<{ items: Array<{ id: string }> }>(['token', 'list']);
    expect(list.items.map((t) => t.id)).toContain(created.token.id);
    const revoked = await cliJson<{ revokedAt: string | null }>(['token', 'revoke', created.token.id]);
    expect(revoked.revokedAt).not.toBeNull();
  });
});
