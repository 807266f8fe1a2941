/** End-to-end: `keyward keys list|rotate` in-process against a real server. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../src/cli/cli-io.js';
import { runCli } from '../src/cli/program.js';
import { startTestServer, type TestServer } from './test-server.js';

describe('keyward keys', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ maintenanceIntervalMs: 0 });
  });
  afterAll(async () => {
    await server?.close();
  });
  const run = async (args: string[], token: string | null = server.adminToken) => {
    const cap = captureIo({ KEYWARD_URL: server.url, KEYWARD_TOKEN: token ?? undefined });
    const code = await runCli(args, cap.io);
    return { code, out: cap.out(), err: cap.err() };
  };

  it('lists, rotates (table and --json) and reports errors in one line', async () => {
    const listed = await run(['keys', 'list']);
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(/KID\s.*ALG\s.*STATUS/);
    expect(listed.out).toMatch(/ES256.*active/);
    const rotated = await run(['keys', 'rotate', '--reason', 'drill', '--json']);
    expect(rotated.code).toBe(0);
    const key = JSON.parse(rotated.out) as { kid: string; status: string };
    expect(key.status).toBe('active');
    const json = JSON.parse((await run(['keys', 'list', '--json'])).out) as {
      items: Array<{ status: string }>;
    };
    expect(json.items.map((k) => k.status)).toEqual(['retired', 'active']);
    const denied = await run(['keys', 'list'], null);
    expect(denied.code).toBe(1);
    expect(denied.err).toMatch(/^error: .*\(unauthenticated\)\n$/);
  });
});
