/**
 * Continuous posture: a change committed through the API re-evaluates the identities it touched
 * without anyone asking (the posture watcher), opens and resolves findings, and leaves untouched
 * identities alone; which events touch which identities.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/audit/audit-types.js';
import type { Finding } from '../../src/discovery/discovery-types.js';
import { touchedBy } from '../../src/posture/posture-watcher.js';
import { startTestServer, type TestServer } from '../test-server.js';

const event = (type: string, targetId: string | null, details: Record<string, unknown> = {}) =>
  ({ seq: 1, id: 'evt', time: '', actor: 'a', type, targetId, outcome: 'success', details }) as AuditEvent;

describe('touchedBy', () => {
  it('names the identities of identity, edge and alert events, the estate for imports, nothing else', () => {
    expect(touchedBy(event('identity.updated', 'nhi_1'))).toEqual(['nhi_1']);
    expect(touchedBy(event('edge.created', 'edg_1', { fromId: 'nhi_1', toId: 'res_1' }))).toEqual(['nhi_1']);
    expect(touchedBy(event('edge.deleted', 'edg_1', { fromId: 'nhi_1', toId: 'nhi_2' }))).toEqual([
      'nhi_1',
      'nhi_2',
    ]);
    expect(touchedBy(event('alert.raised', 'nhi_3'))).toEqual(['nhi_3']);
    expect(touchedBy(event('discovery.imported', 'run_1'))).toBe('all');
    // The engine's own events must not trigger another evaluation; traffic is not a change.
    expect(touchedBy(event('finding.opened', 'fnd_1', { identityId: 'nhi_1' }))).toEqual([]);
    expect(touchedBy(event('authz.decision', 'nhi_1'))).toEqual([]);
    expect(touchedBy(event('identity.expiry_notice', 'nhi_1'))).toEqual([]);
    expect(touchedBy(event('access_review.attested', 'nhi_4'))).toEqual(['nhi_4']);
  });
});

describe('posture watcher (real server)', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer();
  });
  afterAll(async () => {
    await srv?.close();
  });
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(srv.url + path, {
      method,
      headers: {
        authorization: `Bearer ${srv.adminToken}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return (await res.json()) as Record<string, unknown>;
  };
  const findingsOf = async (id: string) =>
    ((await call('GET', `/v1/findings?identityId=${id}`))['items'] as Finding[]).filter(
      (f) => f.code !== 'NHI2',
    );

  it('opens a finding when a change makes one true and resolves it when the change is undone', async () => {
    const gone = await call('POST', '/v1/humans', { email: 'left@example.com', name: 'Left', active: false });
    const here = await call('POST', '/v1/humans', { email: 'here@example.com', name: 'Here' });
    const orphan = await call('POST', '/v1/identities', {
      name: 'orphaned-sa',
      kind: 'service_account',
      environment: 'dev',
      ownerId: gone['id'],
    });
    const fine = await call('POST', '/v1/identities', {
      name: 'well-kept-sa',
      kind: 'service_account',
      environment: 'dev',
      ownerId: here['id'],
      purpose: 'nightly export',
    });
    await srv.keyward.postureWatcher!.settle();
    const open = await findingsOf(orphan['id'] as string);
    expect(open.map((f) => [f.rule, f.status])).toContainEqual(['owner-gone', 'open']);
    expect((await findingsOf(fine['id'] as string)).filter((f) => f.rule === 'owner-gone')).toEqual([]);

    const current = await call('GET', `/v1/identities/${orphan['id']}`);
    await call('PATCH', `/v1/identities/${orphan['id']}`, {
      version: current['version'],
      ownerId: here['id'],
    });
    await srv.keyward.postureWatcher!.settle();
    const after = await findingsOf(orphan['id'] as string);
    expect(after.find((f) => f.rule === 'owner-gone')?.status).toBe('resolved');
  });
});
