/**
 * Keyward's signing keys end to end: the public JWKS and RFC 8414 metadata, rotation by API (the
 * retired key stays published until its tokens have expired, then leaves the JWKS), tokens signed
 * before a rotation still verifying through jose's remote JWKS, the master key file, and a wrong
 * master key refusing to start.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyward } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { KeywardError } from '../src/errors.js';
import { startTestServer, TEST_BACKENDS, type TestServer } from './test-server.js';

describe.each(TEST_BACKENDS)('signing keys [%s]', (backend) => {
  let srv: TestServer;
  let offsetMs = 0;
  const now = () => new Date(Date.now() + offsetMs);
  const admin = (method: string, p: string, body?: unknown) =>
    fetch(srv.url + p, {
      method,
      headers: {
        authorization: `Bearer ${srv.adminToken}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });

  beforeAll(async () => {
    srv = await startTestServer({ backend, now, maintenanceIntervalMs: 0 });
  });
  afterAll(async () => {
    await srv?.close();
  });

  it('serves the JWKS and RFC 8414 metadata without a token', async () => {
    const jwks = await fetch(`${srv.url}/.well-known/jwks.json`);
    expect(jwks.status).toBe(200);
    const { keys } = (await jwks.json()) as { keys: Array<Record<string, unknown>> };
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(keys[0]).not.toHaveProperty('d');
    const meta = (await (await fetch(`${srv.url}/.well-known/oauth-authorization-server`)).json()) as Record<
      string,
      unknown
    >;
    expect(meta).toMatchObject({
      issuer: srv.url,
      token_endpoint: `${srv.url}/oauth2/token`,
      jwks_uri: `${srv.url}/.well-known/jwks.json`,
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
    });
    expect(meta['grant_types_supported']).toContain('urn:ietf:params:oauth:grant-type:token-exchange');
  });

  it('rotation keeps the retired key published until its tokens expire, then drops it', async () => {
    const keys = srv.keyward.services.signingKeys;
    const remote = createRemoteJWKSet(new URL(`${srv.url}/.well-known/jwks.json`), { cooldownDuration: 0 });
    const before = keys.signJwt(
      { iss: srv.url, sub: 'nhi_x', aud: 'api' },
      { typ: 'at+jwt', expiresInSeconds: 600 },
    );
    const oldKid = keys.activeKey().kid;

    const rotated = await admin('POST', '/v1/signing-keys/rotate', { reason: 'test' });
    expect(rotated.status).toBe(201);
    const newKey = (await rotated.json()) as { kid: string; status: string };
    expect(newKey).toMatchObject({ status: 'active' });
    expect(newKey.kid).not.toBe(oldKid);
    expect((await admin('POST', '/v1/signing-keys/rotate')).status).toBe(201); // no body is fine too

    const after = keys.signJwt({ iss: srv.url, sub: 'nhi_x', aud: 'api' }, { expiresInSeconds: 600 });
    const published = (await (await fetch(`${srv.url}/.well-known/jwks.json`)).json()) as {
      keys: Array<{ kid: string }>;
    };
    expect(published.keys.map((k) => k.kid)).toContain(oldKid);
    const verified = await jwtVerify(before, remote, {
      issuer: srv.url,
      audience: 'api',
      currentDate: now(),
    });
    expect(verified.protectedHeader).toMatchObject({ kid: oldKid, typ: 'at+jwt', alg: 'ES256' });
    await jwtVerify(after, remote, { issuer: srv.url, audience: 'api', currentDate: now() });

    const listed = (await (await admin('GET', '/v1/signing-keys')).json()) as {
      items: Array<Record<string, unknown>>;
    };
    expect(listed.items.filter((k) => k['status'] === 'active')).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toMatch(/"d"|sealed|private/i);

    offsetMs = 3600_000 + 5000; // past retiredAt + max token TTL (1 h)
    const droppedFromJwks = (await (await fetch(`${srv.url}/.well-known/jwks.json`)).json()) as {
      keys: Array<{ kid: string }>;
    };
    expect(droppedFromJwks.keys.map((k) => k.kid)).toEqual([keys.activeKey().kid]);
    expect(await keys.pruneRetired()).toContain(oldKid);
    const audit = await srv.keyward.store.audit.list({ type: 'signing_key.dropped' }, 10);
    expect(audit.map((e) => e.targetId)).toContain(oldKid);
    offsetMs = 0;
  });

  it('refuses to sign a token that would outlive the key publication window', () => {
    expect(() => srv.keyward.services.signingKeys.signJwt({ sub: 'x' }, { expiresInSeconds: 7200 })).toThrow(
      /exp/,
    );
  });

  it('rotates on schedule once the active key is older than the configured age', async () => {
    const keys = srv.keyward.services.signingKeys;
    expect(await keys.rotateIfDue()).toBeNull();
    const kid = keys.activeKey().kid;
    offsetMs = 31 * 86_400_000;
    const rotated = await keys.rotateIfDue();
    expect(rotated?.kid).not.toBe(kid);
    expect(keys.activeKey().kid).toBe(rotated?.kid);
    offsetMs = 0;
  });

  it('signing-key routes are admin only', async () => {
    const res = await fetch(`${srv.url}/v1/signing-keys`);
    expect(res.status).toBe(401);
  });
});

describe('master key', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const tempDir = () => {
    const d = mkdtempSync(path.join(os.tmpdir(), 'keyward-mk-'));
    dirs.push(d);
    return d;
  };

  it('creates master.key 0600 in the data directory with one warning line', async () => {
    const dataDir = tempDir();
    const lines: string[] = [];
    const kw = await createKeyward(loadConfig({ dataDir, logLevel: 'silent' }, {}), {
      warn: (l) => lines.push(l),
      maintenanceIntervalMs: 0,
    });
    await kw.close();
    expect(statSync(path.join(dataDir, 'master.key')).mode & 0o777).toBe(0o600);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/KEYWARD_MASTER_KEY is not set; created .*master\.key \(0600\)/);
    const again: string[] = [];
    const kw2 = await createKeyward(loadConfig({ dataDir, logLevel: 'silent' }, {}), {
      warn: (l) => again.push(l),
      maintenanceIntervalMs: 0,
    });
    await kw2.close();
    expect(again).toEqual([]);
  });

  it('a wrong master key stops the start with master_key_mismatch; a malformed one with master_key_invalid', async () => {
    const dataDir = tempDir();
    const keyA = randomBytes(32).toString('base64');
    const keyB = randomBytes(32).toString('base64');
    const opts = { maintenanceIntervalMs: 0, warn: () => {} };
    await (
      await createKeyward(loadConfig({ dataDir, logLevel: 'silent', masterKey: keyA }, {}), opts)
    ).close();
    const err = await createKeyward(
      loadConfig({ dataDir, logLevel: 'silent', masterKey: keyB }, {}),
      opts,
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeywardError);
    expect((err as KeywardError).code).toBe('master_key_mismatch');
    expect((err as Error).message).toMatch(/sealed with master key mk-/);
    const bad = await createKeyward(
      loadConfig({ dataDir, logLevel: 'silent', masterKey: 'c2hvcnQ=' }, {}),
      opts,
    ).catch((e: unknown) => e);
    expect((bad as KeywardError).code).toBe('master_key_invalid');
    await (
      await createKeyward(loadConfig({ dataDir, logLevel: 'silent', masterKey: keyA }, {}), opts)
    ).close();
  });
});
