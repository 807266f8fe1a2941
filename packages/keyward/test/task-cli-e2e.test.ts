/**
 * `keyward task …` end to end, in-process against a real server: an agent opens a task with its
 * key file and the sponsor's ID token (from a local OIDC issuer), a sub-agent opens a child task
 * with a parent access token; operators list, show, cancel and complete them; mistakes end in one
 * line and a non-zero exit.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Human } from '@keyward/sdk';
import { exportJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../src/cli/cli-io.js';
import { runCli } from '../src/cli/program.js';
import { startTestIssuer, type TestIssuer } from './oidc-test-issuer.js';
import {
  type Agent,
  clientCredentials,
  createAgent,
  createSponsor,
  type Json,
  setUpSponsors,
  sponsorToken,
} from './task-fixtures.js';
import { startTestServer, type TestServer } from './test-server.js';

describe('keyward task (CLI end to end)', () => {
  let srv: TestServer;
  let idp: TestIssuer;
  let sponsor: Human;
  let agent: Agent;
  let sub: Agent;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'keyward-task-cli-'));
  const file = (name: string, text: string) => {
    const p = path.join(dir, name);
    writeFileSync(p, text, { mode: 0o600 });
    return p;
  };
  const keyFile = async (a: Agent) =>
    file(`${a.identity.name}.jwk`, JSON.stringify({ ...(await exportJWK(a.privateKey)), kid: a.kid }));

  beforeAll(async () => {
    srv = await startTestServer({ maintenanceIntervalMs: 0 });
    idp = await startTestIssuer();
    await setUpSponsors(srv, idp);
    sponsor = await createSponsor(srv, 'dana');
    agent = await createAgent(srv, 'recon-agent');
    sub = await createAgent(srv, 'recon-sub-agent');
  });
  afterAll(async () => {
    await srv?.close();
    await idp?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function cli(args: string[], env: Record<string, string> = {}) {
    const cap = captureIo({ KEYWARD_URL: srv.url, KEYWARD_TOKEN: srv.adminToken, ...env });
    const code = await runCli(args, cap.io);
    return { code, out: cap.out(), err: cap.err() };
  }
  async function cliJson(args: string[], env: Record<string, string> = {}): Promise<Json> {
    const r = await cli([...args, '--json'], env);
    expect(r.err, r.err).toBe('');
    expect(r.code).toBe(0);
    return JSON.parse(r.out);
  }

  it('opens, lists, shows, cancels and completes tasks and child tasks', async () => {
    const sponsorFile = file('dana.idtoken', await sponsorToken(idp, sponsor));
    const opened = await cliJson([
      'task',
      'open',
      '--agent',
      'recon-agent',
      '--key',
      await keyFile(agent),
      '--intent',
      'reconcile yesterday’s payments',
      '--scope',
      'read:payments-db',
      '--scope',
      'write:res:ledger-*',
      '--env',
      'dev',
      '--ttl',
      '600',
      '--sponsor',
      sponsor.email,
      '--sponsor-token-file',
      sponsorFile,
    ]);
    const id = opened.task.id as string;
    expect(opened.task).toMatchObject({
      agentId: agent.identity.id,
      sponsorId: sponsor.id,
      status: 'active',
    });

    const table = await cli(['task', 'list', '--agent', 'recon-agent']);
    expect(table.code, table.err).toBe(0);
    expect(table.out).toMatch(/^ID\s+AGENT\s+SPONSOR\s+STATUS/);
    expect(table.out).toContain(id);
    const shown = await cli(['task', 'show', id]);
    expect(shown.out).toContain('read:payments-db write:res:ledger-*');
    expect(shown.out).toContain('reconcile yesterday’s payments');
    const bySponsor = await cliJson(['task', 'list', '--sponsor', sponsor.email, '--status', 'active']);
    expect(bySponsor.items.map((t: Json) => t.id)).toEqual([id]);

    // A sub-agent opens a child task with a live access token of the parent as proof (env var form).
    const parentToken = (await clientCredentials(srv, agent, id)).body.access_token as string;
    const child = await cliJson(
      [
        'task',
        'open',
        '--agent',
        sub.identity.id,
        '--key',
        await keyFile(sub),
        '--parent',
        id,
        '--intent',
        'read one ledger',
        '--scope',
        'read:payments-db',
        '--env',
        'dev',
        '--ttl',
        '60',
      ],
      { KEYWARD_PARENT_TOKEN: parentToken },
    );
    expect(child.task).toMatchObject({ parentTaskId: id, sponsorId: sponsor.id, agentId: sub.identity.id });
    expect((await cliJson(['task', 'children', id])).items.map((t: Json) => t.id)).toEqual([child.task.id]);
    expect((await cliJson(['task', 'list', '--parent', id])).items).toHaveLength(1);

    const cancelled = await cliJson(['task', 'cancel', child.task.id, '--reason', 'no longer needed']);
    expect(cancelled).toMatchObject({ status: 'cancelled', endReason: 'no longer needed' });
    const completed = await cli(['task', 'complete', id]);
    expect(completed.code, completed.err).toBe(0);
    expect(completed.out).toMatch(/status\s+completed/);
    expect((await srv.keyward.services.tasks.get(id)).status).toBe('completed');
  });

  it('fails in one line with a non-zero exit: missing proof, wrong sponsor, unknown task, bad status', async () => {
    const key = await keyFile(agent);
    const base = [
      'task',
      'open',
      '--agent',
      'recon-agent',
      '--key',
      key,
      '--intent',
      'x',
      '--scope',
      'read:payments-db',
      '--env',
      'dev',
    ];
    const noProof = await cli(base);
    expect(noProof.code).toBe(1);
    expect(noProof.err.trim().split('\n')).toHaveLength(1);
    expect(noProof.err).toMatch(/sponsor's ID token/);

    const other = await createSponsor(srv, 'erin');
    const wrong = await cli([...base, '--sponsor', other.email], {
      KEYWARD_SPONSOR_TOKEN: await sponsorToken(idp, sponsor),
    });
    expect(wrong.code).toBe(1);
    expect(wrong.err.trim().split('\n')).toHaveLength(1);
    expect(wrong.err).toMatch(/another human/);
    expect(await srv.keyward.store.tasks.list({ sponsorId: other.id }, {})).toMatchObject({ items: [] });

    const unknownAgent = await cli(['task', 'open', ...base.slice(2, 3), 'no-such-agent', ...base.slice(4)]);
    expect(unknownAgent.code).toBe(1);
    expect(unknownAgent.err).toMatch(/no identity named "no-such-agent"/);

    const missing = await cli(['task', 'show', `tsk_${'0'.repeat(32)}`]);
    expect(missing.code).toBe(1);
    expect(missing.err.trim().split('\n')).toHaveLength(1);
    const badStatus = await cli(['task', 'list', '--status', 'paused']);
    expect(badStatus.code).toBe(2);
    expect(badStatus.err).toMatch(/invalid status "paused"/);
  });
});
