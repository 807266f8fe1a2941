/**
 * The revocation feed on a real server (both backends): SSE delivery within a second, resumption
 * with Last-Event-ID, heartbeats, the poll form's paging, and authentication.
 */
import type { Human } from '@keyward/sdk';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestIssuer, type TestIssuer } from './oidc-test-issuer.js';
import { openSse } from './sse-client.js';
import { type Agent, createAgent, createSponsor, openTask, setUpSponsors } from './task-fixtures.js';
import { startTestServer, TEST_BACKENDS, type TestServer } from './test-server.js';

describe.each(TEST_BACKENDS)('revocation feed [%s]', (backend) => {
  let srv: TestServer;
  let idp: TestIssuer;
  let agent: Agent;
  let sponsor: Human;
  const auth = () => ({ authorization: `Bearer ${srv.adminToken}` });

  beforeAll(async () => {
    srv = await startTestServer({ backend, maintenanceIntervalMs: 0, jwksCooldownMs: 0 });
    idp = await startTestIssuer();
    await setUpSponsors(srv, idp);
    sponsor = await createSponsor(srv, 'feed-sponsor');
    agent = await createAgent(srv, 'feed-agent');
  });
  afterAll(async () => {
    await srv?.close();
    await idp?.close();
  });

  const cancelNewTask = async () => {
    const id = (await openTask(srv, agent, sponsor, idp)).body.task.id as string;
    await srv.keyward.services.tasks.cancel('test', id, 'feed test');
    return id;
  };

  it('needs an API token', async () => {
    expect((await fetch(`${srv.url}/v1/revocations/feed`)).status).toBe(401);
    expect((await fetch(`${srv.url}/v1/revocations/events`)).status).toBe(401);
  });

  it('pushes a signed SET within 1 s of a revocation', async () => {
    const stream = await openSse(`${srv.url}/v1/revocations/feed`, auth());
    expect(stream.status).toBe(200);
    const started = Date.now();
    const id = await cancelNewTask();
    const [frame] = await stream.waitFor(1, 1000);
    expect(Date.now() - started).toBeLessThan(1000);
    stream.close();
    expect(frame!.event).toBe('set');
    expect(Number(frame!.id)).toBeGreaterThan(0);
    expect(decodeProtectedHeader(frame!.data).typ).toBe('secevent+jwt');
    const { payload } = await jwtVerify(
      frame!.data,
      createLocalJWKSet(srv.keyward.services.signingKeys.jwks() as never),
      {
        issuer: srv.url,
        typ: 'secevent+jwt',
      },
    );
    expect(payload).toMatchObject({
      keyward_revocation: { kind: 'task', id },
      events: {
        'https://schemas.openid.net/secevent/caep/event-type/session-revoked': {
          subject: { format: 'opaque', id },
          reason_admin: { en: 'feed test' },
        },
      },
    });
    expect(payload.exp).toBeUndefined();
  });

  it('resumes from Last-Event-ID, replaying missed events in order, then goes live', async () => {
    const last = await srv.keyward.store.revocationEvents.lastSeq();
    const missed = [await cancelNewTask(), await cancelNewTask()];
    const stream = await openSse(`${srv.url}/v1/revocations/feed`, {
      ...auth(),
      'last-event-id': String(last),
    });
    const replayed = await stream.waitFor(2);
    expect(replayed.map((f) => (decodeJwt(f.data)['keyward_revocation'] as { id: string }).id)).toEqual(
      missed,
    );
    const live = await cancelNewTask();
    const frames = await stream.waitFor(3);
    stream.close();
    expect((decodeJwt(frames[2]!.data)['keyward_revocation'] as { id: string }).id).toBe(live);
    expect(frames.map((f) => Number(f.id))).toEqual(
      [...frames.map((f) => Number(f.id))].sort((a, b) => a - b),
    );
    expect(new Set(frames.map((f) => f.id)).size).toBe(3);
  });

  it('the poll form pages by seq', async () => {
    for (let i = 0; i < 3; i++) await cancelNewTask();
    const seen: number[] = [];
    let after = 0;
    for (;;) {
      const res = await fetch(`${srv.url}/v1/revocations/events?after=${after}&limit=2`, { headers: auth() });
      const page = (await res.json()) as { events: Array<{ seq: number; set: string }>; next: number };
      if (page.events.length === 0) {
        expect(page.next).toBe(after);
        break;
      }
      expect(page.events.length).toBeLessThanOrEqual(2);
      seen.push(...page.events.map((e) => e.seq));
      after = page.next;
    }
    expect(seen.length).toBe((await srv.keyward.store.revocationEvents.listAfter(0, 1000)).length);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });
});

describe('revocation feed heartbeats', () => {
  it('sends a comment line every heartbeat period', async () => {
    const srv = await startTestServer({ maintenanceIntervalMs: 0, feedHeartbeatMs: 50 });
    try {
      const stream = await openSse(`${srv.url}/v1/revocations/feed`, {
        authorization: `Bearer ${srv.adminToken}`,
      });
      await new Promise((r) => setTimeout(r, 300));
      // The opening comment plus one per period.
      expect(stream.comments()).toBeGreaterThanOrEqual(4);
      expect(stream.frames).toEqual([]);
      stream.close();
    } finally {
      await srv.close();
    }
  });
});
