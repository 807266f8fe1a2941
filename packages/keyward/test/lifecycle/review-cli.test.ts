/** `keyward review start|list|show|attest` run in-process against a real server, table and --json. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../../src/cli/cli-io.js';
import { runCli } from '../../src/cli/program.js';
import type { TestServer } from '../test-server.js';
import { lifecycleServer, movableClock, ownedIdentity } from './lifecycle-fixtures.js';

describe('keyward review', () => {
  let srv: TestServer;
  let identityId: string;
  beforeAll(async () => {
    srv = await lifecycleServer(movableClock());
    const owner = await srv.keyward.services.humans.create('test', { email: 'o@example.com', name: 'Owner' });
    identityId = (await ownedIdentity(srv, owner, 'cli-bot')).id;
  });
  afterAll(async () => {
    await srv.close();
  });

  async function cli(args: string[]) {
    const cap = captureIo({ KEYWARD_URL: srv.url, KEYWARD_TOKEN: srv.adminToken });
    const code = await runCli(args, cap.io);
    return { code, out: cap.out(), err: cap.err() };
  }

  it('starts, attests, lists and shows a campaign', async () => {
    const started = await cli([
      'review',
      'start',
      '--name',
      'cli-q1',
      '--deadline',
      '+14d',
      '--env',
      'dev',
      '--json',
    ]);
    expect(started.err).toBe('');
    const id = (JSON.parse(started.out) as { id: string }).id;
    expect(id).toMatch(/^rev_/);
    const bad = await cli(['review', 'attest', id, identityId, '--decision', 'maybe']);
    expect(bad.code).not.toBe(0);
    const attested = await cli([
      'review',
      'attest',
      id,
      identityId,
      '--decision',
      'reduce',
      '--note',
      'drop write',
    ]);
    expect(attested.code).toBe(0);
    expect(attested.out).toMatch(/decision\s+reduce/);
    const list = await cli(['review', 'list']);
    expect(list.out).toContain('cli-q1');
    const shown = await cli(['review', 'show', id]);
    expect(shown.out).toMatch(/progress\s+1\/1 attested/);
    expect(shown.out).toMatch(/reduce 1/);
    const json = JSON.parse((await cli(['review', 'show', id, '--json'])).out) as {
      progress: { reduce: number };
    };
    expect(json.progress.reduce).toBe(1);
  });
});
