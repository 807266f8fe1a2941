/**
 * Least privilege from real use on a real SQLite store: grants loaded through the import service,
 * use recorded as `authz.decision` audit events, the proposal (unused grants dropped, used kept,
 * blast radius shrinking), the Cedar it generates (parsed by cedar-wasm), the IAM document for an
 * AWS-imported role, and the NHI5 `unused-grants` rule (an identity that triggers, near misses).
 */
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuditRecorder } from '../../src/audit/audit-recorder.js';
import { emptyBatch, type ImportBatch } from '../../src/discovery/import-batch.js';
import { createImportService } from '../../src/discovery/import-service.js';
import { createLeakFindings } from '../../src/discovery/leak-findings.js';
import { createRightSizer } from '../../src/posture/right-sizing.js';
import { F, type Fixture, identity, openFixture, resource } from './posture-fixture.js';

let fx: Fixture;
beforeEach(async () => {
  fx = await openFixture();
});
afterEach(async () => {
  await fx.close();
});

const OLD = '2025-01-01T00:00:00.000Z';
const DAY = 86_400_000;
const now = () => new Date(fx.clock.ms);

const grant = (from: string, to: string, actions: string[]): ImportBatch['edges'][number] => ({
  kind: 'has_permission',
  from,
  to,
  actions,
  foundIn: F,
});

/** Records one decision of `identityId` on `resourceId`, `daysAgo` days before the fixture's now. */
async function decided(
  identityId: string,
  action: string,
  resourceId: string,
  outcome: 'success' | 'denied' = 'success',
  daysAgo = 1,
  details: Record<string, unknown> = {},
) {
  const at = () => new Date(fx.clock.ms - daysAgo * DAY);
  const event = createAuditRecorder(at).event(identityId, 'authz.decision', resourceId, details, outcome);
  await fx.store.audit.append({ ...event, action });
}

/** worker: read+write on orders (high), read on payroll (critical), read on logs (low). */
async function workerEstate() {
  await fx.load((b) => {
    b.identities.push(identity('worker', { firstSeen: OLD }), identity('idle', { firstSeen: OLD }));
    b.resources.push(
      resource('orders', { sensitivity: 'high' }),
      resource('payroll', { sensitivity: 'critical' }),
      resource('logs', { sensitivity: 'low' }),
    );
    b.edges.push(
      grant('worker', 'orders', ['read', 'write']),
      grant('worker', 'payroll', ['read']),
      grant('worker', 'logs', ['read']),
      grant('idle', 'logs', ['read']),
    );
  });
  const ids = {
    worker: await fx.id('worker'),
    idle: await fx.id('idle'),
    orders: (await fx.store.resources.getByName('orders'))!.id,
    payroll: (await fx.store.resources.getByName('payroll'))!.id,
    logs: (await fx.store.resources.getByName('logs'))!.id,
  };
  await decided(ids.worker, 'read', ids.orders);
  await decided(ids.worker, 'read', ids.orders, 'success', 2);
  await decided(ids.worker, 'read', ids.logs);
  // Not use in the window: a denied attempt, and an allowed read long before it.
  await decided(ids.worker, 'write', ids.orders, 'denied');
  await decided(ids.worker, 'read', ids.payroll, 'success', 45);
  return ids;
}

describe('right-sizer', () => {
  it('keeps the used grants, drops the unused, and shrinks the blast radius', async () => {
    const ids = await workerEstate();
    const sizer = createRightSizer({ store: fx.store, index: fx.index, now });
    const p = await sizer.propose(ids.worker, { windowDays: 30 });
    expect(p.format).toBe('cedar');
    expect(p.iam).toBeNull();
    const byId = new Map(p.grants.map((g) => [g.resourceId, g]));
    expect(byId.get(ids.orders)).toMatchObject({ usedActions: ['read'], unusedActions: ['write'] });
    expect(byId.get(ids.logs)).toMatchObject({ usedActions: ['read'], unusedActions: [] });
    expect(byId.get(ids.payroll)).toMatchObject({ usedActions: [], unusedActions: ['read'] });
    expect(p.unused).toEqual(
      [
        { resourceId: ids.orders, actions: ['write'], removed: false },
        { resourceId: ids.payroll, actions: ['read'], removed: true },
      ].sort((a, b) => a.resourceId.localeCompare(b.resourceId)),
    );
    expect(p.used.find((u) => u.resourceId === ids.orders)).toMatchObject({ action: 'read', count: 2 });
    expect(p.blastRadius.before).toEqual({ reachable: 3, sensitive: 2, critical: 1, high: 1 });
    expect(p.blastRadius.after).toEqual({ reachable: 2, sensitive: 1, critical: 0, high: 1 });

    // A 60-day window sees the old payroll read: nothing on payroll is unused any more.
    const wide = await sizer.propose(ids.worker, { windowDays: 60 });
    expect(wide.unused.map((u) => u.resourceId)).toEqual([ids.orders]);
    expect(wide.blastRadius.after.reachable).toBe(3);
  });

  it('generates Cedar that cedar-wasm parses, permitting only the used pairs', async () => {
    const ids = await workerEstate();
    // A tool call: the event's action is the tool's name; the policy names call_tool on the Tool.
    await decided(ids.worker, 'write_file', 'fs/write_file', 'success', 1, {
      request: { action: 'call_tool', resource: { id: 'fs/write_file', type: 'tool' } },
    });
    const p = await createRightSizer({ store: fx.store, index: fx.index, now }).propose(ids.worker);
    const parts = cedar.policySetTextToParts(p.cedar);
    expect(parts.type, JSON.stringify(parts)).toBe('success');
    if (parts.type !== 'success') return;
    expect(parts.policies).toHaveLength(3);
    expect(p.cedar).toContain('action == Keyward::Action::"call_tool"');
    expect(p.cedar).toContain('resource == Keyward::Tool::"fs/write_file"');
    expect(p.cedar).toContain(`principal == Keyward::ServiceAccount::"${ids.worker}"`);
    expect(p.cedar).toContain(`resource == Keyward::Resource::"${ids.orders}"`);
    expect(p.cedar).toContain(`resource == Keyward::Resource::"${ids.logs}"`);
    expect(p.cedar).not.toContain(ids.payroll);
    expect(p.cedar).not.toContain('"write"');

    // An identity that used nothing gets a policy with no permit, still valid Cedar.
    const none = await createRightSizer({ store: fx.store, index: fx.index, now }).propose(ids.idle);
    const empty = cedar.policySetTextToParts(none.cedar);
    expect(empty.type).toBe('success');
    if (empty.type === 'success') expect(empty.policies).toHaveLength(0);
    expect(none.blastRadius.after).toEqual({ reachable: 0, sensitive: 0, critical: 0, high: 0 });
  });

  it('writes an IAM policy of the used services for an AWS-imported role', async () => {
    const imports = createImportService({
      store: fx.store,
      graph: fx.index,
      audit: createAuditRecorder(now),
      now,
      leaks: createLeakFindings({ audit: createAuditRecorder(now) }),
      parsers: {} as never,
    });
    const b = emptyBatch('generic', 'aws:123456789012', 'iam');
    const arn = 'arn:aws:iam::123456789012:user/deployer';
    b.identities.push(identity(arn, { name: 'deployer', firstSeen: OLD }));
    b.resources.push(
      resource('arn:aws:s3:::builds/*', { name: 'builds' }),
      resource('arn:aws:dynamodb:eu-west-1:123456789012:table/users', { name: 'users', sensitivity: 'high' }),
    );
    b.edges.push(
      grant(arn, 'arn:aws:s3:::builds/*', ['s3:GetObject', 's3:PutObject']),
      grant(arn, 'arn:aws:dynamodb:eu-west-1:123456789012:table/users', ['dynamodb:Scan']),
    );
    b.credentials.push({
      externalId: 'AKIAEXAMPLE',
      identity: arn,
      kind: 'aws_access_key',
      status: 'active',
      lastUsedAt: new Date(fx.clock.ms - 3 * DAY).toISOString(),
      foundIn: F,
      details: { lastUsedService: 's3' },
    });
    await imports.apply('tester', b);
    const deployer = await fx.id('deployer');
    const p = await createRightSizer({ store: fx.store, index: fx.index, now }).propose(deployer);
    expect(p.format).toBe('iam');
    expect(p.serviceUses).toEqual([{ service: 's3', lastUsedAt: expect.any(String) }]);
    expect(p.iam).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'RightSized1',
          Effect: 'Allow',
          Action: ['s3:GetObject', 's3:PutObject'],
          Resource: ['arn:aws:s3:::builds/*'],
        },
      ],
    });
    expect(p.unused).toEqual([expect.objectContaining({ actions: ['dynamodb:Scan'], removed: true })]);
    expect(p.blastRadius.before.sensitive).toBe(1);
    expect(p.blastRadius.after).toMatchObject({ reachable: 1, sensitive: 0 });
    expect(cedar.policySetTextToParts(p.cedar).type).toBe('success');
  });

  it('refuses an unknown identity and a bad window', async () => {
    const sizer = createRightSizer({ store: fx.store, index: fx.index, now });
    await expect(sizer.propose('idn_0190a0b0c0d0e0f00000000000000099')).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(
      sizer.propose('idn_0190a0b0c0d0e0f00000000000000099', { windowDays: 0 }),
    ).rejects.toMatchObject({
      code: 'validation_failed',
    });
  });
});

describe('NHI5 unused-grants', () => {
  it('flags an observed identity with unused grants, not one using all, nor unobserved or new ones', async () => {
    await fx.load((b) => {
      b.identities.push(
        identity('worker', { firstSeen: OLD }),
        identity('thrifty', { firstSeen: OLD }),
        identity('silent', { firstSeen: OLD }),
        identity('newcomer', { firstSeen: new Date(fx.clock.ms - 5 * DAY).toISOString() }),
      );
      b.resources.push(resource('orders', { sensitivity: 'high' }), resource('logs'));
      for (const who of ['worker', 'thrifty', 'silent', 'newcomer'])
        b.edges.push(grant(who, 'logs', ['read']));
      b.edges.push(grant('worker', 'orders', ['write']), grant('newcomer', 'orders', ['write']));
    });
    const logs = (await fx.store.resources.getByName('logs'))!.id;
    for (const who of ['worker', 'thrifty', 'newcomer']) await decided(await fx.id(who), 'read', logs);
    await fx.engine.evaluate('tester');
    expect(await fx.flagged('unused-grants')).toEqual(['worker']);
    const [f] = await fx.findings('unused-grants');
    expect(f).toMatchObject({ code: 'NHI5', severity: 'high' });
    expect(f!.remedy).toContain('keyward posture right-size worker --window 30');

    // Once the write is used too, the next evaluation resolves the finding.
    await decided(await fx.id('worker'), 'write', (await fx.store.resources.getByName('orders'))!.id);
    await fx.engine.evaluate('tester');
    expect(await fx.flagged('unused-grants')).toEqual([]);
  });
});
