/**
 * The persistent checkpoint key through a real server (both backends): checkpoints signed before a
 * key rotation and before a restart are all verified by the restarted server; `keyward audit keys`
 * and `rotate-key` work; rotation is audited and admin-only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyward, type Keyward } from '../../src/app.js';
import { captureIo } from '../../src/cli/cli-io.js';
import { runCli } from '../../src/cli/program.js';
import { startTestServer, TEST_BACKENDS, type TestServer } from '../test-server.js';

describe.each(TEST_BACKENDS)('checkpoint key across restarts [%s]', (backend) => {
  let srv: TestServer;
  let restarted: Keyward | undefined;
  beforeAll(async () => {
    srv = await startTestServer({ backend });
  });
  afterAll(async () => {
    await restarted?.close();
    await srv?.close();
  });

  const cli = async (url: string, args: string[]) => {
    const cap = captureIo({ KEYWARD_URL: url, KEYWARD_TOKEN: srv.adminToken });
    const code = await runCli(args, cap.io);
    return { code, out: cap.out(), err: cap.err() };
  };

  it('verifies every signature after a rotation and a restart', async () => {
    const auth = { authorization: `Bearer ${srv.adminToken}` };
    const checkpoint = () => fetch(`${srv.url}/v1/audit/checkpoints`, { method: 'POST', headers: auth });
    expect((await checkpoint()).status).toBe(201);
    const rotated = await cli(srv.url, ['audit', 'rotate-key', '--reason', 'yearly']);
    expect(rotated.code, rotated.err).toBe(0);
    expect(rotated.out).toMatch(/checkpoint key rotated: /);
    expect((await checkpoint()).status).toBe(201);
    const keys = JSON.parse((await cli(srv.url, ['audit', 'keys', '--json'])).out) as {
      items: Array<{ status: string; publicJwk: { d?: string } }>;
    };
    expect(keys.items.map((k) => k.status)).toEqual(['retired', 'active']);
    expect(keys.items.every((k) => k.publicJwk.d === undefined)).toBe(true);
    const events = (await (
      await fetch(`${srv.url}/v1/audit/events?type=audit.checkpoint_key.rotated`, { headers: auth })
    ).json()) as {
      items: Array<{ details: { reason: string } }>;
    };
    expect(events.items.map((e) => e.details.reason)).toEqual(['yearly']);

    // Restart: a new process state on the same store, same master key.
    const config = srv.keyward.config;
    await srv.keyward.close();
    srv.keyward.close = async () => {};
    restarted = await createKeyward(config, {
      warn: () => {},
      ...(srv.pgSchema ? { pgSchema: srv.pgSchema } : {}),
    });
    const url = await restarted.http.listen({ host: '127.0.0.1', port: 0 });
    await restarted.services.auditTrail.checkpointer.checkpoint('manual');
    const verified = await cli(url, ['audit', 'verify', '--json']);
    expect(verified.code, verified.err).toBe(0);
    expect(JSON.parse(verified.out)).toMatchObject({ ok: true, checkpoints: 3, signaturesChecked: 3 });
  });

  it('rotation is admin-only', async () => {
    const target = restarted ?? srv.keyward;
    const url = `http://127.0.0.1:${(target.http.server.address() as { port: number }).port}`;
    const auditor = await fetch(`${url}/v1/api-tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${srv.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'aud', role: 'auditor' }),
    });
    const { secret } = (await auditor.json()) as { secret: string };
    const res = await fetch(`${url}/v1/audit/checkpoint-keys/rotate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(res.status).toBe(403);
  });
});
