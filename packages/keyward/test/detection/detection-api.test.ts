/**
 * Detection over the API and the CLI (real server, real SQLite/PostgreSQL): activity ingestion
 * validation (all-or-nothing, roles), alerts list/show/ack/resolve through `keyward alerts`, and
 * baselines that survive a restart.
 */
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyward } from '../../src/app.js';
import { captureIo } from '../../src/cli/cli-io.js';
import { runCli } from '../../src/cli/program.js';
import { startTestServer, TEST_BACKENDS, TEST_DATABASE_URL, type TestServer } from '../test-server.js';

/** Runs statements directly on the server's database (outside Keyward), like an operator would. */
async function rawSql(srv: TestServer, statements: string[]): Promise<void> {
  if (!srv.pgSchema) {
    const db = new SqliteDatabase(path.join(srv.dataDir, 'keyward.db'));
    for (const s of statements) db.exec(s);
    db.close();
    return;
  }
  const client = new pg.Client({
    connectionString: TEST_DATABASE_URL,
    options: `-c search_path=${srv.pgSchema}`,
  });
  await client.connect();
  for (const s of statements) await client.query(s);
  await client.end();
}

const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const MIN = 60_000;

describe.each(TEST_BACKENDS)('detection API and CLI [%s]', (backend) => {
  let srv: TestServer;
  let identity: string;
  let resource: string;
  const clock = { now: T0 };

  const call = async (method: string, path: string, body?: unknown, token = srv.adminToken) => {
    const res = await fetch(`${srv.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return {
      status: res.status,
      body: (await res.json()) as Record<string, unknown> & { items?: unknown[] },
    };
  };
  const cli = async (args: string[]) => {
    const cap = captureIo({ KEYWARD_URL: srv.url, KEYWARD_TOKEN: srv.adminToken });
    const code = await runCli(args, cap.io);
    return { code, out: cap.out(), err: cap.err() };
  };
  const item = (minute: number, ip = '10.9.0.7', userAgent = 'sync/1.0') => ({
    identityId: identity,
    action: 'read',
    target: resource,
    time: new Date(T0 + minute * MIN).toISOString(),
    source: { ip, userAgent },
    bytes: 1000,
  });

  beforeAll(async () => {
    srv = await startTestServer({
      backend,
      now: () => new Date(clock.now),
      config: { detection: { learningDays: 0, learningEvents: 5 } },
    });
    const sys = await call('POST', '/v1/systems', { name: 'crm', sensitivity: 'medium' });
    resource = (
      await call('POST', '/v1/resources', {
        name: 'contacts',
        kind: 'api',
        sensitivity: 'medium',
        systemId: sys.body['id'],
      })
    ).body['id'] as string;
    identity = (
      await call('POST', '/v1/identities', { name: 'sync-job', kind: 'service_account', environment: 'dev' })
    ).body['id'] as string;
  });
  afterAll(() => srv?.close());

  it('refuses a batch naming an unknown identity or target, recording nothing', async () => {
    const before = (await call('GET', '/v1/audit/events?type=activity.access')).body.items!.length;
    const bad = await call('POST', '/v1/activity', {
      items: [item(0), { ...item(1), identityId: 'nhi_0123456789abcdef0123456789abcdef' }],
    });
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({ code: 'invalid_reference' });
    const badTarget = await call('POST', '/v1/activity', { items: [{ ...item(1), target: 'res_nope' }] });
    expect(badTarget.status).toBe(422);
    const malformed = await call('POST', '/v1/activity', { items: [{ ...item(1), bytes: -1 }] });
    expect(malformed).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
    const empty = await call('POST', '/v1/activity', { items: [] });
    expect(empty.status).toBe(400);
    expect((await call('GET', '/v1/audit/events?type=activity.access')).body.items).toHaveLength(before);
    const auditor = await call('POST', '/v1/api-tokens', { name: 'reader', role: 'auditor' });
    const denied = await call('POST', '/v1/activity', { items: [item(0)] }, auditor.body['secret'] as string);
    expect(denied.status).toBe(403);
  });

  it('records activity as audit events with the volume, and raises alerts listed by the CLI', async () => {
    const ok = await call('POST', '/v1/activity', {
      items: Array.from({ length: 8 }, (_, i) => item(i * 10)),
    });
    expect(ok).toMatchObject({ status: 201, body: { recorded: 8 } });
    const events = (await call('GET', `/v1/audit/events?identityId=${identity}&type=activity.access`)).body
      .items as Array<{ actor: string; action: string; details: { bytes: number; occurredAt: string } }>;
    expect(events[0]).toMatchObject({ actor: identity, action: 'read', details: { bytes: 1000 } });
    clock.now = T0 + 90 * MIN;
    await call('POST', '/v1/activity', { items: [item(90, '198.51.100.20')] });
    await srv.keyward.services.detection.idle();

    const table = await cli(['alerts', 'list']);
    expect(table.code, table.err).toBe(0);
    expect(table.out).toMatch(/new_source/);
    const listed = JSON.parse((await cli(['alerts', 'list', '--kind', 'new_source', '--json'])).out) as {
      items: Array<{ id: string; identityId: string; status: string }>;
    };
    expect(listed.items).toHaveLength(1);
    const id = listed.items[0]!.id;
    expect(listed.items[0]).toMatchObject({ identityId: identity, status: 'open' });
    const shown = await cli(['alerts', 'show', id]);
    expect(shown.out).toMatch(/198\.51\.100\.0\/24/);
    expect(shown.out).toMatch(/10\.9\.0\.0\/24/);
    expect((await cli(['alerts', 'ack', id, '--note', 'on it'])).out).toMatch(/acknowledged/);
    expect((await cli(['alerts', 'resolve', id])).code).toBe(0);
    const again = await cli(['alerts', 'resolve', id]);
    expect(again.code).not.toBe(0);
    expect(again.err).toMatch(/already resolved/);
    const missing = await cli(['alerts', 'show', 'alr_0123456789abcdef0123456789abcdef']);
    expect(missing.code).not.toBe(0);
    expect(missing.err.trim().split('\n')).toHaveLength(1);
    const open = JSON.parse((await cli(['alerts', 'list', '--status', 'open', '--json'])).out);
    expect(open.items).toEqual([]);
  });

  it('on a first start over an existing log, learns baselines from it without alerting on history', async () => {
    const before = await srv.keyward.services.detection.baselineOf(identity);
    const alertsBefore = (await call('GET', '/v1/alerts')).body.items!.length;
    await srv.keyward.services.detection.persist();
    // As after an upgrade: the log is there, no baselines and no detection cursor yet.
    await rawSql(srv, [
      'delete from detection_baselines',
      "delete from audit_sink_cursors where sink = 'detection'",
    ]);
    const config = srv.keyward.config;
    await srv.keyward.close();
    const again = await createKeyward(config, {
      warn: () => {},
      now: () => new Date(clock.now),
      ...(srv.pgSchema ? { pgSchema: srv.pgSchema } : {}),
    });
    try {
      const learned = (await again.services.detection.baselineOf(identity))!;
      expect(learned.events).toBe(before!.events);
      expect(learned.sets).toEqual(before!.sets);
      expect((await again.store.alerts.list({}, {})).items).toHaveLength(alertsBefore);
    } finally {
      await again.close();
    }
    srv.keyward = await createKeyward(config, {
      warn: () => {},
      now: () => new Date(clock.now),
      ...(srv.pgSchema ? { pgSchema: srv.pgSchema } : {}),
    });
  });

  it('keeps baselines across a restart', async () => {
    const before = await srv.keyward.services.detection.baselineOf(identity);
    expect(before?.learned).toBe(true);
    await srv.keyward.close();
    const again = await createKeyward(srv.keyward.config, {
      warn: () => {},
      now: () => new Date(clock.now),
      ...(srv.pgSchema ? { pgSchema: srv.pgSchema } : {}),
    });
    try {
      expect(await again.services.detection.baselineOf(identity)).toEqual(before);
    } finally {
      await again.close();
      // The test server's own close() closes the first instance again (a no-op) and cleans up.
      srv.keyward.close = async () => {};
    }
  });
});
