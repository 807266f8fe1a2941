/**
 * `keyward serve` serving the web console: the page at `/` and at any console route (shared links),
 * its assets, a strict CSP, API paths keeping their problem+json 404, no path escaping the console
 * directory, the plain message when no console is built, and `GET /v1/whoami` for sign-in.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, startTestServer, type TestServer } from './test-server.js';

describe('console routes', () => {
  let srv: TestServer;
  let bare: TestServer;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'keyward-console-dist-'));
    mkdirSync(path.join(dir, 'assets'));
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Keyward</title><div id="root"></div>');
    writeFileSync(path.join(dir, 'assets', 'index-abc123.js'), 'console.log("keyward")');
    writeFileSync(path.join(os.tmpdir(), 'keyward-outside.txt'), 'the-bytes-of-a-file-outside');
    srv = await startTestServer({ config: { consoleDir: dir } });
    bare = await startTestServer({ config: { consoleDir: null } });
  });
  afterAll(async () => {
    await srv?.close();
    await bare?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the page at / and at console routes, with a strict CSP and no auth', async () => {
    for (const route of ['/', '/inventory?kind=agent', '/identities/nhi_0123', '/graph?view=blast']) {
      const res = await fetch(srv.url + route, { headers: { accept: 'text/html' } });
      expect(res.status, route).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(await res.text()).toContain('<div id="root">');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-frame-options')).toBe('DENY');
    }
  });

  it('serves hashed assets as immutable and 404s missing files as problem+json', async () => {
    const js = await fetch(`${srv.url}/assets/index-abc123.js`);
    expect(js.status).toBe(200);
    expect(await js.text()).toContain('keyward');
    expect(js.headers.get('cache-control')).toContain('immutable');
    const missing = await fetch(`${srv.url}/assets/nope.js`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
  });

  it('keeps API paths as API: a 404 problem, and 401 without a token', async () => {
    const unknown = await fetch(`${srv.url}/v1/nothing-here`, { headers: { accept: 'text/html' } });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { code: string }).code).toBe('route_not_found');
    const noToken = await fetch(`${srv.url}/v1/identities`, { headers: { accept: 'text/html' } });
    expect(noToken.status).toBe(401);
  });

  it('never serves a file outside the console directory', async () => {
    for (const evil of [
      '/../keyward-outside.txt',
      '/%2e%2e/keyward-outside.txt',
      '/assets/..%2f..%2fkeyward-outside.txt',
    ]) {
      const res = await fetch(srv.url + evil);
      expect(await res.text(), evil).not.toContain('the-bytes-of-a-file-outside');
    }
  });

  it('answers a malformed %-escape with a client error problem, not a server error', async () => {
    for (const bad of ['/%E0%A4%A', '/assets/%E0%A4%A.js', '/inventory%ZZ']) {
      const res = await fetch(srv.url + bad, { headers: { accept: 'text/html' } });
      expect([400, 404], bad).toContain(res.status);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('says plainly when no console is built', async () => {
    const res = await fetch(`${bare.url}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('npm run build');
  });

  it('tells a token who it is (whoami), and refuses a bad one', async () => {
    const me = await apiCall(srv.url, 'GET', '/v1/whoami', srv.adminToken);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      role: 'admin',
      name: expect.any(String),
      tokenId: expect.stringMatching(/^tok_/),
    });
    const bad = await fetch(`${srv.url}/v1/whoami`, { headers: { authorization: 'Bearer kw_wrong' } });
    expect(bad.status).toBe(401);
  });
});
