/**
 * Policies as code end to end on both backends, through the real CLI against a real server:
 * validate and test offline, apply (a version and its `policy.applied` audit event), diff (replays
 * the decisions recorded so far), rollback; and the decision cache following policy and inventory
 * changes, and history counts feeding a rate rule.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Human, Identity } from '@keyward/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../../src/cli/cli-io.js';
import { runCli } from '../../src/cli/program.js';
import { type Json, post } from '../task-fixtures.js';
import { startTestServer, TEST_BACKENDS, type TestServer } from '../test-server.js';

const EXAMPLES = path.resolve(import.meta.dirname, '../../../../examples/policies');

const DIRECT = `
@id("direct-reads") permit (principal, action in Keyward::Action::"reads", resource is Keyward::Resource)
when { resource.environment == context.environment };
@id("owner-left") forbid (principal, action, resource) when { principal has owner_left && principal.owner_left };
@id("read-rate") forbid (principal, action, resource) when { context.history.same_resource_10m >= 3 };
`;

describe.each(TEST_BACKENDS)('policy lifecycle [%s]', (backend) => {
  let srv: TestServer;
  let dir: string;
  let owner: Human;
  let bot: Identity;

  async function cli(args: string[], token = srv.adminToken) {
    const cap = captureIo({ KEYWARD_URL: srv.url, KEYWARD_TOKEN: token });
    const code = await runCli(args, cap.io);
    return { code, out: cap.out(), err: cap.err() };
  }
  async function cliJson(args: string[]): Promise<Json> {
    const r = await cli([...args, '--json']);
    expect(r.code, r.err).toBe(0);
    return JSON.parse(r.out);
  }
  const writeSet = (name: string, text: string): string => {
    const d = path.join(dir, name);
    rmSync(d, { recursive: true, force: true });
    mkdirSync(d, { recursive: true });
    writeFileSync(path.join(d, 'policies.cedar'), text);
    return d;
  };
  const read = (resource: string) =>
    post(
      srv,
      '/v1/authorize',
      {
        subject: { type: 'identity', id: 'report-bot' },
        action: { name: 'read' },
        resource: { type: 'resource', id: resource },
      },
      { authorization: `Bearer ${srv.adminToken}` },
    ).then((r) => r.body as Json);

  beforeAll(async () => {
    srv = await startTestServer({ backend, maintenanceIntervalMs: 0, authz: { workers: 0 } });
    dir = mkdtempSync(path.join(os.tmpdir(), 'keyward-policies-'));
    owner = await srv.keyward.services.humans.create('test', { email: 'olga@example.com', name: 'Olga' });
    bot = await srv.keyward.services.identities.create('test', {
      name: 'report-bot',
      kind: 'bot',
      environment: 'dev',
      ownerId: owner.id,
    });
    const { resources } = srv.keyward.services.resources;
    for (const name of ['reports-a', 'reports-b', 'reports-c']) {
      await resources.create('test', { name, kind: 'bucket', environment: 'dev', sensitivity: 'low' });
    }
  });
  afterAll(async () => {
    await srv?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('validates and tests the example policies offline', async () => {
    expect(await cliJson(['policy', 'validate', EXAMPLES])).toMatchObject({ valid: true });
    const tested = await cliJson(['policy', 'test', EXAMPLES]);
    expect(tested.failed).toBe(0);
    expect(tested.passed).toBeGreaterThanOrEqual(20);
    const broken = writeSet('broken', 'permit (principal, action, resource) when { principal.nope };');
    const r = await cli(['policy', 'validate', broken]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('nope');
    expect(r.err).toMatch(/^error: .*problem/);
  });

  it('fails `policy test` with a diff table when a case does not hold', async () => {
    const d = writeSet('wrong', DIRECT);
    writeFileSync(
      path.join(d, 'wrong.json'),
      JSON.stringify({
        entities: [
          { uid: 'Bot::"b"', attrs: { environment: 'dev' } },
          { uid: 'Resource::"r"', attrs: { environment: 'dev' } },
        ],
        context: { environment: 'dev' },
        cases: [
          {
            name: 'reads are allowed',
            principal: 'Bot::"b"',
            action: 'read',
            resource: 'Resource::"r"',
            expect: 'allow',
          },
          {
            name: 'this one is wrong',
            principal: 'Bot::"b"',
            action: 'write',
            resource: 'Resource::"r"',
            expect: 'allow',
          },
        ],
      }),
    );
    const r = await cli(['policy', 'test', d]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/this one is wrong\s+allow\s+deny/);
    expect(r.out).toContain('1 of 2 policy tests passed');
  });

  it('applies a set as a version (audited), follows inventory changes, and feeds history counts', async () => {
    // The built-in set permits nothing without a task.
    expect((await read('reports-a')).context.outcome).toBe('deny');
    const operator = await srv.keyward.services.tokens.create('test', { name: 'op', role: 'operator' });
    const refused = await cli(
      ['policy', 'apply', writeSet('direct', DIRECT), '--reason', 'x'],
      operator.secret,
    );
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('forbidden');
    const applied = await cliJson([
      'policy',
      'apply',
      path.join(dir, 'direct'),
      '--reason',
      'direct reads for bots',
    ]);
    expect(applied).toMatchObject({ version: 1, kind: 'apply', reason: 'direct reads for bots' });
    expect(applied.policyIds).toEqual(['direct-reads', 'owner-left', 'read-rate']);
    await srv.keyward.services.auditTrail.writer.flush();
    const [event] = await srv.keyward.store.audit.list({ type: 'policy.applied' }, 10);
    expect(event).toMatchObject({ targetId: 'policy:1', details: { version: 1, previous: 0 } });

    const first = await read('reports-a');
    expect(first.context).toMatchObject({ outcome: 'allow', policy_ids: ['direct-reads'] });
    expect((await read('reports-a')).context.outcome).toBe('allow');
    expect((await read('reports-a')).context.outcome).toBe('allow');
    // The rate rule: the fourth read of the same resource within 10 minutes.
    expect((await read('reports-a')).context).toMatchObject({ outcome: 'deny', policy_ids: ['read-rate'] });
    const stats = srv.keyward.services.authz.engine.stats();
    expect(stats.hits).toBeGreaterThan(0);

    // The owner leaves: the cached allow must not survive the inventory change.
    expect((await read('reports-b')).context.outcome).toBe('allow');
    await srv.keyward.services.humans.update('test', owner.id, { active: false, version: owner.version });
    expect((await read('reports-b')).context).toMatchObject({ outcome: 'deny', policy_ids: ['owner-left'] });
    expect(bot.ownerId).toBe(owner.id);
  });

  it('diffs a candidate against recorded decisions, rolls back, and keeps the history', async () => {
    // The candidate drops the owner-left rule and forbids reports-b outright.
    const candidate = writeSet(
      'candidate',
      `${DIRECT.replace(/@id\("owner-left"\)[^\n]*\n/, '')}
@id("no-reports-b") forbid (principal, action, resource is Keyward::Resource) when { resource.name == "reports-b" };`,
    );
    const diff = await cliJson(['policy', 'diff', candidate]);
    expect(diff.replayed).toBeGreaterThanOrEqual(6);
    // Recorded reads of reports-a (counts 0, 1, 2) are denied now (the owner left) but not by the candidate.
    expect(diff.changes).toContainEqual(
      expect.objectContaining({
        action: 'read',
        current: 'deny',
        candidate: 'allow',
        candidatePolicyIds: ['direct-reads'],
      }),
    );
    // reports-b is denied either way: not a change.
    expect(diff.changes.some((c: Json) => c.candidatePolicyIds.includes('no-reports-b'))).toBe(false);
    const table = await cli(['policy', 'diff', candidate]);
    expect(table.out).toMatch(/would change/);

    const v2 = await cliJson(['policy', 'apply', candidate, '--reason', 'stricter']);
    expect(v2.version).toBe(2);
    const back = await cliJson(['policy', 'rollback', '--reason', 'too strict']);
    expect(back).toMatchObject({ version: 3, kind: 'rollback', restoredFrom: 1 });
    const toDefault = await cliJson(['policy', 'rollback', '--to', '0', '--reason', 'start over']);
    expect(toDefault).toMatchObject({
      version: 4,
      restoredFrom: 0,
      policyIds: expect.arrayContaining(['task-scoped-access']),
    });
    const history = await cliJson(['policy', 'history']);
    expect(history.items.map((v: Json) => v.version)).toEqual([4, 3, 2, 1]);
    await srv.keyward.services.auditTrail.writer.flush();
    expect(await srv.keyward.store.audit.list({ type: 'policy.rolled_back' }, 10)).toHaveLength(2);
    const shown = await cli(['policy', 'show', '--version', '1', '--text']);
    expect(shown.out).toContain('@id("direct-reads")');
    const bad = await post(
      srv,
      '/v1/policies',
      { files: [{ name: 'x.cedar', text: 'permit (' }], reason: 'r' },
      {
        authorization: `Bearer ${srv.adminToken}`,
      },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('validation_failed');
    expect((await cliJson(['policy', 'show'])).version).toBe(4);
  });
});
