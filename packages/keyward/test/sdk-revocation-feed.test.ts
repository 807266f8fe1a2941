/**
 * The SDK verifier's revocation handling: a small local SSE server (a stand-in for Keyward's
 * /v1/revocations/feed and /events, whose server side is being built) serves Security Event
 * Tokens signed by a REAL Keyward's key. A revoked jti, task or subject fails within 1 s;
 * a reconnect resumes with Last-Event-ID; a SET signed by anyone else is refused.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createVerifier, type KeywardVerifier, KeywardVerifyError } from '@keyward/sdk';
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nowS, RESOURCE, tokenMinter } from './sdk-token-fixtures.js';
import { startTestServer, type TestServer } from './test-server.js';

const API_TOKEN = 'kw_feed_reader_test';

/** Stand-in feed: every event ever published, replayed after Last-Event-ID, then live. */
function startFeedServer() {
  const events: Array<{ seq: number; set: string }> = [];
  const open = new Set<http.ServerResponse>();
  const lastEventIds: Array<string | undefined> = [];
  const write = (res: http.ServerResponse, e: { seq: number; set: string }) =>
    res.write(`id: ${e.seq}\nevent: set\ndata: ${e.set}\n\n`);
  const server = http.createServer((req, res) => {
    if (req.headers.authorization !== `Bearer ${API_TOKEN}`) {
      res.writeHead(401).end();
      return;
    }
    const url = new URL(req.url!, 'http://x');
    if (url.pathname === '/v1/revocations/events') {
      const after = Number(url.searchParams.get('after') ?? 0);
      const page = events.filter((e) => e.seq > after);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ events: page, next: page.at(-1)?.seq ?? after }));
      return;
    }
    const lastId = req.headers['last-event-id'] as string | undefined;
    lastEventIds.push(lastId);
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
    res.write(': connected\n\n');
    for (const e of events) if (e.seq > Number(lastId ?? 0)) write(res, e);
    open.add(res);
    res.on('close', () => open.delete(res));
  });
  const heartbeat = setInterval(() => {
    for (const res of open) res.write(': heartbeat\n\n');
  }, 200);
  return {
    lastEventIds,
    open,
    publish(set: string, live = true) {
      const e = { seq: events.length + 1, set };
      events.push(e);
      if (live) for (const res of open) write(res, e);
      return e.seq;
    },
    /** Drops every open stream, as a restart or a proxy timeout would. */
    dropAll() {
      for (const res of open) res.destroy();
      open.clear();
    },
    async listen(): Promise<string> {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    async close() {
      clearInterval(heartbeat);
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

let srv: TestServer;
let feed: ReturnType<typeof startFeedServer>;
let feedUrl: string;
let t: ReturnType<typeof tokenMinter>;
const verifiers: KeywardVerifier[] = [];
const errors: Error[] = [];

beforeAll(async () => {
  srv = await startTestServer({ maintenanceIntervalMs: 0 });
  t = tokenMinter(srv);
  feed = startFeedServer();
  feedUrl = await feed.listen();
});
afterAll(async () => {
  for (const v of verifiers) v.close();
  await feed?.close();
  await srv?.close();
});

function newVerifier() {
  const v = createVerifier({
    issuer: t.issuer,
    audience: RESOURCE,
    apiToken: API_TOKEN,
    revocationFeedUrl: `${feedUrl}/v1/revocations/feed`,
    revocationEventsUrl: `${feedUrl}/v1/revocations/events`,
    feed: { minBackoffMs: 50, maxBackoffMs: 500 },
    onError: (e) => errors.push(e),
  });
  verifiers.push(v);
  return v;
}

/** Verifies until refused; returns how long the refusal took, or throws after `limitMs`. */
async function msUntilRefused(v: KeywardVerifier, token: string, limitMs = 3000): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < limitMs) {
    const err = await v.verify(token).then(
      () => undefined,
      (e: unknown) => e,
    );
    if (err instanceof KeywardVerifyError) {
      expect(err.code).toBe('token_revoked');
      return Date.now() - start;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`token still accepted after ${limitMs} ms`);
}

describe('revocation feed (SETs signed by a real Keyward key, stand-in SSE server)', () => {
  let v: KeywardVerifier;
  beforeAll(async () => {
    v = newVerifier();
    await v.subscribe();
    expect(v.feedStatus().connected).toBe(true);
  });

  it('a revoked jti fails within 1 s; other tokens still pass', async () => {
    const token = t.mint();
    const other = t.mint();
    const { jti } = await v.verify(token);
    feed.publish(t.revocationSet('token', jti));
    expect(await msUntilRefused(v, token)).toBeLessThan(1000);
    expect((await v.verify(other)).jti).not.toBe(jti);
  });

  it('a revoked task refuses every token of the task', async () => {
    const token = t.mint({ task_id: 'task_REVOKED' });
    await v.verify(token);
    feed.publish(t.revocationSet('task', 'task_REVOKED'));
    expect(await msUntilRefused(v, token)).toBeLessThan(1000);
    await expect(v.verify(t.mint({ task_id: 'task_REVOKED' }))).rejects.toMatchObject({
      code: 'token_revoked',
    });
  });

  it('a revoked identity refuses tokens naming it as sub, client or actor, issued before the revocation', async () => {
    const asActor = t.mint({ act: { sub: 'nhi_COMPROMISED' } });
    const asClient = t.mint({ client_id: 'nhi_COMPROMISED' });
    await v.verify(asActor);
    feed.publish(t.revocationSet('identity', 'nhi_COMPROMISED'));
    expect(await msUntilRefused(v, asActor)).toBeLessThan(1000);
    await expect(v.verify(asClient)).rejects.toMatchObject({ code: 'token_revoked' });
    // A sponsor revoked a minute ago does not refuse tokens issued since.
    feed.publish(t.revocationSet('sponsor', 'hum_REINSTATED', nowS() - 60));
    const fresh = t.mint({ sub: 'hum_REINSTATED' });
    const old = t.mint({ sub: 'hum_REINSTATED', iat: nowS() - 120 });
    expect(await msUntilRefused(v, old)).toBeLessThan(1000);
    expect((await v.verify(fresh)).subject).toBe('hum_REINSTATED');
  });

  it('refuses a SET not signed by Keyward, or not typed secevent+jwt', async () => {
    const token = t.mint();
    const { jti } = await v.verify(token);
    const own = await generateKeyPair('ES256');
    const forged = await new SignJWT({
      iss: t.issuer,
      jti: randomUUID(),
      events: {},
      keyward_revocation: { kind: 'token', id: jti },
    })
      .setProtectedHeader({
        alg: 'ES256',
        typ: 'secevent+jwt',
        kid: srv.keyward.services.signingKeys.activeKey().kid,
      })
      .setIssuedAt()
      .sign(own.privateKey);
    const errorsBefore = errors.length;
    feed.publish(forged);
    // An access token (typ at+jwt) replayed onto the feed is no SET either.
    feed.publish(
      srv.keyward.services.signingKeys.signJwt(
        { iss: t.issuer, keyward_revocation: { kind: 'token', id: jti } },
        { typ: 'at+jwt', expiresInSeconds: 60 },
      ),
    );
    await expect.poll(() => errors.length - errorsBefore, { timeout: 2000 }).toBe(2);
    expect((await v.verify(token)).jti).toBe(jti);
    expect(errors.at(-1)?.message).toMatch(/revocation SET refused/);
  });

  it('reconnects after a drop and resumes with Last-Event-ID, receiving what it missed', async () => {
    const token = t.mint();
    const { jti } = await v.verify(token);
    const lastSeen = v.feedStatus().lastEventId;
    const connectionsBefore = feed.lastEventIds.length;
    feed.dropAll();
    const seq = feed.publish(t.revocationSet('token', jti), false); // published while disconnected
    expect(await msUntilRefused(v, token)).toBeLessThan(1000);
    expect(feed.lastEventIds.length).toBeGreaterThan(connectionsBefore);
    expect(feed.lastEventIds[connectionsBefore]).toBe(lastSeen);
    expect(v.feedStatus()).toMatchObject({ connected: true, lastEventId: String(seq) });
  });

  it('poll() applies every event after its cursor, once', async () => {
    const p = newVerifier();
    const token = t.mint();
    const { jti } = await p.verify(token);
    feed.publish(t.revocationSet('token', jti));
    const applied = await p.poll();
    expect(applied).toBeGreaterThan(0);
    await expect(p.verify(token)).rejects.toMatchObject({ code: 'token_revoked' });
    expect(await p.poll()).toBe(0);
  });

  it('close() stops the stream', async () => {
    const c = newVerifier();
    await c.subscribe();
    const before = feed.open.size;
    c.close();
    await expect.poll(() => feed.open.size, { timeout: 2000 }).toBe(before - 1);
    expect(c.feedStatus().connected).toBe(false);
  });
});
