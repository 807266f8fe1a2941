/** End-to-end: the estate KPIs over HTTP (JSON, Markdown, HTML) and the CLI, on the demo estate. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Human, PostureKpis } from '@keyward/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../../src/cli/cli-io.js';
import { runCli } from '../../src/cli/program.js';
import { startTestServer, type TestServer } from '../test-server.js';

const KEYS = [
  'withOwner',
  'withPurpose',
  'withEnd',
  'fullVisibility',
  'rotatedWithinPolicy',
  'notRotatedInTime',
  'overPrivileged',
  'standingCredentials',
  'medianCredentialAgeDays',
  'orphans',
  'ownerLeftIdentities',
  'openFindings',
  'medianHoursToRevoke',
];

describe('estate KPIs end to end (demo estate)', () => {
  let server: TestServer;
  let dir: string;
  beforeAll(async () => {
    server = await startTestServer({ demo: true });
    dir = mkdtempSync(join(tmpdir(), 'kw-posture-e2e-'));
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const call = (path: string, init: RequestInit & { token?: string | null } = {}) =>
    fetch(`${server.url}${path}`, {
      ...init,
      headers: {
        'content-type': 'application/json',
        ...((init.token === undefined ? server.adminToken : init.token)
          ? { authorization: `Bearer ${init.token ?? server.adminToken}` }
          : {}),
      },
    });
  async function cli(args: string[]) {
    const cap = captureIo({ KEYWARD_URL: server.url, KEYWARD_TOKEN: server.adminToken });
    const code = await runCli(args, cap.io);
    return { code, out: cap.out(), err: cap.err() };
  }

  it('GET /v1/posture/kpis: every KPI, shares within 0..100, the industry figures beside', async () => {
    expect((await call('/v1/posture/kpis', { token: null })).status).toBe(401);
    const res = await call('/v1/posture/kpis');
    expect(res.status).toBe(200);
    const p = (await res.json()) as PostureKpis;
    expect(p.kpis.map((k) => k.key)).toEqual(KEYS);
    expect(p.liveIdentities).toBeGreaterThan(100);
    for (const k of p.kpis.filter((x) => x.unit === '%')) {
      expect(k.value, k.key).not.toBeNull();
      expect(k.value!).toBeGreaterThanOrEqual(0);
      expect(k.value!).toBeLessThanOrEqual(100);
      expect(k.count!).toBeLessThanOrEqual(k.of!);
    }
    const withIndustry = p.kpis.filter((k) => k.industry).map((k) => [k.key, k.industry?.value]);
    expect(withIndustry).toEqual([
      ['fullVisibility', 5.7],
      ['notRotatedInTime', 71],
      ['overPrivileged', 97],
      ['ownerLeftIdentities', 20],
    ]);
    for (const k of p.kpis.filter((x) => x.industry))
      expect(['better', 'worse', 'same']).toContain(k.verdict);
    // The demo estate has owners who left, stale keys and wildcard grants.
    expect(p.offboarding.identitiesOfOwnersLeft).toBeGreaterThan(0);
    expect(p.kpis.find((k) => k.key === 'notRotatedInTime')!.count).toBeGreaterThan(0);
    expect(p.kpis.find((k) => k.key === 'overPrivileged')!.count).toBeGreaterThan(0);
    expect(p.credentials.standing).toBeGreaterThan(0);
  });

  it('the report: Markdown and a self-contained HTML page that escapes names', async () => {
    const ownerRes = await call('/v1/humans', {
      method: 'POST',
      body: JSON.stringify({ email: 'mallory@example.com', name: 'Mallory <b>&"' }),
    });
    expect(ownerRes.status).toBe(201);
    const owner = (await ownerRes.json()) as Human;
    const nhi = await call('/v1/identities', {
      method: 'POST',
      body: JSON.stringify({
        name: 'x<img src=x onerror=alert(1)>',
        kind: 'api_key',
        environment: 'dev',
        ownerId: owner.id,
      }),
    });
    expect(nhi.status).toBe(201);
    const left = await call(`/v1/humans/${owner.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ active: false, version: owner.version }),
    });
    expect(left.status).toBe(200);

    const md = await call('/v1/posture/report?format=md');
    expect(md.status).toBe(200);
    expect(md.headers.get('content-type')).toMatch(/^text\/markdown/);
    const mdText = await md.text();
    expect(mdText).toMatch(/^# Keyward estate KPIs/);
    expect(mdText).toContain('| NHIs with owner, purpose and end (full visibility) |');
    expect(mdText).toContain('5.7% of organisations have full visibility');
    expect((await call('/v1/posture/report')).headers.get('content-type')).toMatch(/^text\/markdown/);

    const html = await call('/v1/posture/report?format=html');
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await html.text();
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain('<style>');
    expect(page).toContain('x&lt;img src=x onerror=alert(1)&gt;');
    expect(page).toContain('Mallory &lt;b&gt;&amp;&quot;');
    expect(page).not.toContain('<img');
    expect(page).not.toMatch(/<script|<link|src="http/);

    expect((await call('/v1/posture/report?format=pdf')).status).toBe(400);
  });

  it('CLI: keyward posture (table and --json), keyward posture report', async () => {
    const json = await cli(['posture', '--json']);
    expect(json.err).toBe('');
    expect(json.code).toBe(0);
    const p = JSON.parse(json.out) as PostureKpis;
    expect(p.kpis.map((k) => k.key)).toEqual(KEYS);

    const table = await cli(['posture']);
    expect(table.code).toBe(0);
    const lines = table.out.split('\n');
    expect(lines[0]).toMatch(/^KPI\s+KEYWARD\s+INDUSTRY\s+VERDICT$/);
    expect(lines.find((l) => l.startsWith('NHIs over-privileged'))).toMatch(
      /\d+(\.\d)?% \(\d+ of \d+\)\s+97% over-privileged\s+(better|worse)$/,
    );
    expect(table.out).toContain('industry surveys (2024–2025)');
    expect(table.out).toMatch(/still owned by people who left: offboarding is built in .*; \d+ people/);

    const md = await cli(['posture', 'report']);
    expect(md.code).toBe(0);
    expect(md.out).toMatch(/^# Keyward estate KPIs/);
    const file = join(dir, 'posture.html');
    const html = await cli(['posture', 'report', '--format', 'html', '--output', file]);
    expect(html.code).toBe(0);
    expect(html.out).toMatch(/^wrote the html report \(\d+ bytes\) to /);
    expect(readFileSync(file, 'utf8')).toMatch(/^<!doctype html>/);
    const bad = await cli(['posture', 'report', '--format', 'pdf']);
    expect(bad.code).toBe(2);
  });
});
