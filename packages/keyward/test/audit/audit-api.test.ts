/**
 * The audit API end to end over real HTTP, on both backends: service writes are audited in their
 * transaction and chained; query filters and cursors; verify; OCSF/JSONL export; the SSE stream with
 * Last-Event-ID resumption; roles.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent, AuditEventPage } from '../../src/audit/audit-types.js';
import { startTestServer, TEST_BACKENDS, type TestServer } from '../test-server.js';

describe.each(TEST_BACKENDS)('audit API [%s]', (backend) => {
  let srv: TestServer;
  let auditor: string;
  const get = async (path: string, token = auditor) =>
    fetch(srv.url + path, { headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    srv = await startTestServer({ backend });
    const created = await srv.keyward.services.tokens.create('test', { name: 'aud', role: 'auditor' });
    auditor = created.secret;
    const owner = await srv.keyward.services.humans.create('test', { email: 'o@example.com', name: 'Owner' });
    for (let i = 0; i < 5; i++) {
      await srv.keyward.services.identities.create('tok_someone', {
        name: `svc-${i}`,
        kind: 'service_account',
        environment: 'dev',
        ownerId: owner.id,
      } as never);
    }
    for (let i = 0; i < 30; i++) {
      await srv.keyward.services.auditTrail.writer.append({
        id: `evt_${String(i).padStart(32, 'a')}`,
        time: new Date().toISOString(),
        actor: 'nhi_agent',
        delegationChain: ['hum_alice'],
        type: 'decision.evaluated',
        action: 'db:read',
        targetId: null,
        taskId: i % 2 ? 'task-odd' : 'task-even',
        outcome: i % 3 ? 'success' : 'denied',
        policyIds: ['pol_1'],
        source: { ip: '127.0.0.1' },
        details: {},
      });
    }
  });
  afterAll(() => srv?.close());

  it('lists with filters and seq cursors; identityId matches actor or target', async () => {
    const all = (await (await get('/v1/audit/events?limit=1000')).json()) as AuditEventPage;
    expect(all.items.length).toBeGreaterThanOrEqual(38);
    expect(all.items.map((e) => e.seq)).toEqual(all.items.map((_, i) => i + 1));
    const denied = (await (
      await get('/v1/audit/events?outcome=denied&taskId=task-even')
    ).json()) as AuditEventPage;
    expect(denied.items).toHaveLength(5);
    expect(denied.items.every((e) => e.outcome === 'denied' && e.taskId === 'task-even')).toBe(true);
    const created = all.items.find((e) => e.type === 'identity.created')!;
    const byTarget = (await (
      await get(`/v1/audit/events?identityId=${created.targetId}`)
    ).json()) as AuditEventPage;
    expect(byTarget.items.map((e) => e.id)).toEqual([created.id]);
    const byActor = (await (
      await get('/v1/audit/events?identityId=tok_someone&limit=2')
    ).json()) as AuditEventPage;
    expect(byActor.items).toHaveLength(2);
    const rest = (await (
      await get(`/v1/audit/events?identityId=tok_someone&cursor=${byActor.nextCursor}`)
    ).json()) as AuditEventPage;
    expect(rest.items).toHaveLength(3);
    expect(rest.nextCursor).toBeNull();
    expect((await get('/v1/audit/events?cursor=nope')).status).toBe(400);
    // Newest first, paged below the cursor, covering the same events as the log order.
    const newest = (await (await get('/v1/audit/events?order=desc&limit=10')).json()) as AuditEventPage;
    expect(newest.items.map((e) => e.seq)).toEqual(
      all.items
        .map((e) => e.seq)
        .reverse()
        .slice(0, 10),
    );
    const older = (await (
      await get(`/v1/audit/events?order=desc&limit=1000&cursor=${newest.nextCursor}`)
    ).json()) as AuditEventPage;
    expect([...newest.items, ...older.items].map((e) => e.seq)).toEqual(
      all.items.map((e) => e.seq).reverse(),
    );
    expect(older.nextCursor).toBeNull();
    const lastDenied = (await (
      await get('/v1/audit/events?order=desc&outcome=denied&limit=1')
    ).json()) as AuditEventPage;
    expect(lastDenied.items[0]!.seq).toBe(all.items.filter((e) => e.outcome === 'denied').at(-1)!.seq);
    expect((await get('/v1/audit/events?order=sideways')).status).toBe(400);
  });

  it('verifies through the API, checkpoints on demand (admin) and checks the signature', async () => {
    const cp = await fetch(`${srv.url}/v1/audit/checkpoints`, {
      method: 'POST',
      headers: { authorization: `Bearer ${srv.adminToken}` },
    });
    expect(cp.status).toBe(201);
    const forbidden = await fetch(`${srv.url}/v1/audit/checkpoints`, {
      method: 'POST',
      headers: { authorization: `Bearer ${auditor}` },
    });
    expect(forbidden.status).toBe(403);
    const res = await fetch(`${srv.url}/v1/audit/verify`, {
      method: 'POST',
      headers: { authorization: `Bearer ${auditor}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(await res.json()).toMatchObject({ ok: true, checkpoints: 1, signaturesChecked: 1, firstSeq: 1 });
  });

  it('exports JSON lines and OCSF', async () => {
    const jsonl = (await (await get('/v1/audit/export?format=jsonl')).text()).trim().split('\n');
    const first = JSON.parse(jsonl[0]!) as AuditEvent;
    expect(first.seq).toBe(1);
    const ocsf = (await (await get('/v1/audit/export?format=ocsf&afterSeq=5')).text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(ocsf).toHaveLength(jsonl.length - 5);
    const decision = ocsf.find((o) => o.message === 'decision.evaluated');
    expect(decision).toMatchObject({ class_uid: 6003, api: { operation: 'db:read' } });
    expect(ocsf.find((o) => o.message === 'identity.created')).toMatchObject({
      class_uid: 3001,
      activity_id: 1,
    });
  });

  it('streams committed events over SSE, resuming after Last-Event-ID; needs a token', async () => {
    expect((await fetch(`${srv.url}/v1/audit/stream`)).status).toBe(401);
    const controller = new AbortController();
    const res = await fetch(`${srv.url}/v1/audit/stream`, {
      headers: { authorization: `Bearer ${auditor}`, 'last-event-id': '30' },
      signal: controller.signal,
    });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const seen: number[] = [];
    const reader = res.body!.getReader();
    let text = '';
    const live = srv.keyward.services.auditTrail.writer.append({
      id: 'evt_ffffffffffffffffffffffffffffffff',
      time: new Date().toISOString(),
      actor: 'system',
      type: 'token.issued',
      targetId: null,
      outcome: 'success',
      details: {},
    });
    const head = (await live).seq;
    while (!seen.includes(head)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
      seen.splice(0, seen.length, ...[...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1])));
    }
    controller.abort();
    expect(seen).toEqual(Array.from({ length: head - 30 }, (_, i) => 31 + i));
  });
});
