/// <reference lib="dom" />
/**
 * The console end to end, in Debian's Chromium, against a real `keyward serve --demo` process:
 * sign in, filter the inventory, open an identity and act on it, its blast-radius graph, approve a
 * pending step-up request and see the agent's MCP call go through, the other pages, and an audit log
 * tampered with in the database flagged as broken. Screenshots of each page go to artifacts/.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import SqliteDatabase from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningGateway, startGateway } from '../../keyward/src/mcp-gateway/mcp-gateway.js';
import { type KeywardProcess, startKeywardProcess } from '../../keyward/test/keyward-process.js';
import { agentOnTask, GATEWAY_AUDIENCE, gatewayConfig } from '../../keyward/test/mcp-fixtures.js';
import { startTestIssuer, type TestIssuer } from '../../keyward/test/oidc-test-issuer.js';
import { sponsorToken } from '../../keyward/test/task-fixtures.js';
import { bootstrapToken, launch, screenshot, signIn } from './browser.js';
import { remoteServer } from './http-fixtures.js';

const WRITES_NEED_APPROVAL = `
@id("console-e2e-task-scoped")
permit (principal, action, resource) when { context has task && context.task.in_scope };

@id("console-e2e-writes-need-approval")
@approval("required")
forbid (principal, action == Keyward::Action::"call_tool", resource is Keyward::Tool)
when { resource.name == "write_file" };
`;

// biome-ignore lint/suspicious/noExplicitAny: JSON from the API, read loosely
type Json = any;

describe('web console in Chromium against keyward serve --demo', () => {
  let dataDir: string;
  let server: KeywardProcess;
  let url: string;
  let admin: string;
  let browser: Browser;
  let page: Page;
  const POLL = { timeout: 15_000 };
  const api = async (p: string, init: RequestInit = {}): Promise<Json> => {
    const res = await fetch(url + p, {
      ...init,
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json', ...init.headers },
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${p}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'keyward-console-e2e-'));
    server = await startKeywardProcess(['--demo', '--port', '0', '--host', '127.0.0.1'], {
      KEYWARD_DATA_DIR: dataDir,
      KEYWARD_TOKEN_AUDIENCES: GATEWAY_AUDIENCE,
      DATABASE_URL: undefined,
      KEYWARD_LOG_LEVEL: 'warn',
    });
    url = server.url;
    admin = bootstrapToken(server.output());
    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.setDefaultTimeout(15_000);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    server?.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a wrong token, signs in with a real one and shows the overview', async () => {
    await page.goto(url);
    await screenshot(page, '01-sign-in');
    await page.fill('input[name=token]', 'kw_not-a-real-token');
    await page.click('button[type=submit]');
    await expect.poll(() => page.textContent('[role=alert]'), POLL).toContain('invalid API token');
    await signIn(page, url, admin);
    expect(await page.textContent('[data-testid=who]')).toContain('admin');
    await page.waitForSelector('[data-testid=live-now]');
    await page.waitForSelector('[data-testid=kpis]');
    const identities = await page.textContent('[data-testid=live-now]');
    expect(identities).toContain('310');
    await screenshot(page, '02-overview');
    // Laptop and wide screens: nothing spills sideways.
    for (const [width, height] of [
      [1280, 800],
      [1920, 1080],
    ] as const) {
      await page.setViewportSize({ width, height });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `overview at ${width}px`).toBeLessThanOrEqual(0);
      await screenshot(page, `02-overview-${width}`);
    }
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('filters the inventory on the server and keeps the filter in the URL', async () => {
    await page.keyboard.press('g');
    await page.keyboard.press('i');
    await page.waitForSelector('[data-testid=identity-row]');
    await page.selectOption('select[name=kind]', 'agent');
    await page.waitForURL(/kind=agent/);
    await expect
      .poll(async () => {
        const kinds = await page.$$eval('[data-testid=identity-row] td:nth-child(2)', (tds) =>
          tds.map((td) => td.textContent),
        );
        return kinds.length > 0 && kinds.every((k) => k === 'agent');
      }, POLL)
      .toBe(true);
    await page.fill('input[name=q]', 'support');
    await page.waitForURL(/q=support/);
    await expect
      .poll(
        () => page.$$eval('[data-testid=identity-row]', (rows) => rows.map((r) => r.textContent ?? '')),
        POLL,
      )
      .toSatisfy((rows: string[]) => rows.length > 0 && rows.every((r) => /support/i.test(r)));
    await screenshot(page, '03-inventory');
    // A shared link opens the same filtered page.
    const shared = page.url();
    const other = await browser.newPage();
    await signIn(other, url, admin);
    await other.goto(shared);
    await other.waitForSelector('[data-testid=identity-row]');
    expect(await other.inputValue('select[name=kind]')).toBe('agent');
    await other.close();
  });

  it('opens an identity, disables it and reassigns its owner after confirmation', async () => {
    const row = page.locator('[data-testid=identity-row]').first();
    const name = (await row.locator('a').first().textContent())!;
    await row.locator('a').first().click();
    await page.waitForSelector('[data-testid=identity-facts]');
    expect(await page.textContent('h1')).toBe(name);
    await page.waitForSelector('[data-testid=blast-summary]');
    await screenshot(page, '04-identity');
    await page.click('[data-testid=identity-actions] >> text=Disable');
    const dialog = page.locator('dialog[open]');
    await expect.poll(() => dialog.locator('button[type=submit]').isDisabled(), POLL).toBe(true);
    await dialog.locator('textarea[name=reason]').fill('console e2e: no longer needed');
    await dialog.locator('button[type=submit]').click();
    await expect.poll(() => page.textContent('[data-testid=identity-facts]'), POLL).toContain('disabled');
    const id = page.url().split('/identities/')[1]!;
    expect((await api(`/v1/identities/${id}`)).status).toBe('disabled');
    // The panels redraw after the action: the newest audit events are the disabling and what it set off.
    await expect
      .poll(() => page.textContent('[data-testid=identity-audit]'), POLL)
      .toContain('identity.disabled');
    const audit = await page.locator('[data-testid=identity-audit] li code').allTextContents();
    const types = (await api(`/v1/audit/events?identityId=${id}&order=desc&limit=20`)).items.map(
      (e: { type: string }) => e.type,
    );
    expect(audit).toEqual(types);

    await page.click('[data-testid=identity-actions] >> text=Reassign owner');
    await page.fill('dialog[open] input[name=owner-search]', 'Nia');
    const option = page.locator('dialog[open] select[name=ownerId] option', { hasText: 'Nia Thompson' });
    await option.waitFor({ state: 'attached' });
    await page.selectOption('dialog[open] select[name=ownerId]', (await option.getAttribute('value'))!);
    await page.click('dialog[open] button[type=submit]');
    await expect.poll(() => page.textContent('[data-testid=identity-owner]'), POLL).toBe('Nia Thompson');
    const owner = (await api(`/v1/identities/${id}`)).ownerId;
    expect((await api(`/v1/humans/${owner}`)).name).toBe('Nia Thompson');
  });

  it('shows the blast radius graph of the identity that reaches furthest', async () => {
    const top = (await api('/v1/summary')).topBlastRadius[0];
    await page.goto(`${url}/identities/${top.identity.id}`);
    await page.click('text=Show the blast radius graph');
    const canvas = page.locator('[data-testid=graph-canvas][data-ready=true]');
    await canvas.waitFor({ timeout: 30_000 });
    expect(Number(await canvas.getAttribute('data-nodes'))).toBeGreaterThan(1);
    expect(await page.textContent('[data-testid=graph-totals]')).toContain(String(top.reachable));
    await screenshot(page, '05-blast-radius');
  });

  it('approves a pending request and the agent call goes through', async () => {
    const idp: TestIssuer = await startTestIssuer();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'keyward-console-fs-'));
    let gateway: RunningGateway | undefined;
    let client: Client | undefined;
    try {
      const current = await api('/v1/policies');
      await api('/v1/policies', {
        method: 'POST',
        body: JSON.stringify({
          files: [...current.files, { name: 'console-e2e.cedar', text: WRITES_NEED_APPROVAL }],
          reason: 'console e2e: writes need approval',
        }),
      });
      const operator = (
        await api('/v1/api-tokens', {
          method: 'POST',
          body: JSON.stringify({ name: 'console-e2e-gateway', role: 'operator' }),
        })
      ).secret as string;
      writeFileSync(path.join(dir, 'notes.txt'), 'notes\n');
      gateway = await startGateway({
        config: gatewayConfig(url, dir, {
          approvals: { mode: 'hold', timeoutSeconds: 120, pollIntervalMs: 200 },
        }),
        keywardUrl: url,
        apiToken: operator,
        front: { kind: 'http', port: 0 },
        log: () => {},
      });
      const a = await agentOnTask(remoteServer(url, admin), idp, 'console-e2e-agent');
      client = new Client({ name: 'console-e2e-agent', version: '1' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(gateway.url!), {
          requestInit: { headers: { authorization: `Bearer ${a.token}` } },
        }),
      );
      const file = path.join(dir, 'approved.txt');
      const write = client.callTool({
        name: 'write_file',
        arguments: { path: file, content: 'approved in the console' },
      });

      await page.goto(`${url}/approvals`);
      await page.fill('[name=approverToken]', await sponsorToken(idp, a.sponsor));
      await page.click('text=Use this token');
      const row = page.locator('[data-testid=approval-row][data-status=pending]').first();
      await row.waitFor({ timeout: 30_000 });
      await row.click();
      await page.waitForSelector('[data-testid=approval-detail]');
      expect(await page.textContent('[data-testid=approval-detail]')).toContain('write_file');
      await screenshot(page, '06-approvals');
      await page.click('[data-testid=approval-detail] >> button:text-is("Approve")');
      await page.click('dialog[open] >> button:text-is("Approve request")');
      const result = (await write) as CallToolResult;
      expect(result.isError).toBeFalsy();
      expect(readFileSync(file, 'utf8')).toBe('approved in the console');
      await page.waitForSelector('[data-testid=approval-detail][data-status=approved]');
    } finally {
      await client?.close();
      await gateway?.close();
      await idp.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('accepts a finding with a reason after filtering by NHI code', async () => {
    await page.goto(`${url}/findings`);
    await page.waitForSelector('[data-testid=finding-row]');
    await page.selectOption('select[name=code]', 'NHI2');
    await page.waitForURL(/code=NHI2/);
    await expect
      .poll(
        () => page.$$eval('[data-testid=finding-row]', (rows) => rows.map((r) => r.textContent ?? '')),
        POLL,
      )
      .toSatisfy((rows: string[]) => rows.length > 0 && rows.every((r) => r.includes('NHI2')));
    await page.locator('[data-testid=finding-row] a').first().click();
    await page.waitForSelector('[data-testid=finding-detail][data-status=open]');
    await screenshot(page, '07-findings');
    const id = page.url().split('/findings/')[1]!.split('?')[0]!;
    await page.click('[data-testid=finding-detail] button[data-action=accept]');
    await page.fill(
      'dialog[open] textarea[name=reason]',
      'console e2e: test fixture key, revoked at the provider',
    );
    await page.click('dialog[open] button[type=submit]');
    await page.waitForSelector('[data-testid=finding-detail][data-status=accepted]');
    expect((await api(`/v1/findings/${id}`)).status).toBe('accepted');
    await page.goto(`${url}/alerts`);
    await page.waitForSelector('[data-testid=alert-row]');
    await screenshot(page, '08-alerts');
  });

  it('replays a policy change before applying it', async () => {
    await page.goto(`${url}/policies`);
    const before = await page.locator('[data-testid=policy-version]').textContent();
    await screenshot(page, '09-policies');
    await page.goto(`${url}/policies?tab=edit`);
    const editor = page.locator('textarea[name="file:console-e2e.cedar"]');
    expect(await editor.inputValue()).toContain('console-e2e-writes-need-approval');
    // Writes no longer need approval: the held write_file decision replays as allowed.
    await editor.fill(WRITES_NEED_APPROVAL.slice(0, WRITES_NEED_APPROVAL.indexOf('@id("console-e2e-writes')));
    await page.click('button:text-is("Replay diff")');
    const result = page.locator('[data-testid=policy-diff-result]');
    await result.waitFor();
    expect(Number(await result.getAttribute('data-changed'))).toBeGreaterThan(0);
    await page.click('button:text-is("Apply…")');
    await page.fill('dialog[open] textarea[name=reason]', 'console e2e: writes no longer need approval');
    await page.click('dialog[open] button[type=submit]');
    await page.goto(`${url}/policies`);
    await expect
      .poll(() => page.locator('[data-testid=policy-version]').textContent(), POLL)
      .not.toBe(before);
  });

  it('flags an audit log tampered with in the database', async () => {
    await page.goto(`${url}/audit`);
    await page.waitForSelector('[data-testid=audit-verify][data-status=ok]', { timeout: 30_000 });
    await screenshot(page, '10-audit');
    const db = new SqliteDatabase(path.join(dataDir, 'keyward.db'));
    db.pragma('busy_timeout = 5000');
    const changed = db.prepare("update audit_events set outcome = 'failure' where seq = 5").run().changes;
    db.close();
    expect(changed).toBe(1);
    await page.reload();
    await page.waitForSelector('[data-testid=audit-verify][data-status=broken]', { timeout: 30_000 });
    await screenshot(page, '11-audit-tampered');
  });

  it('offers an auditor no actions that change things', async () => {
    const auditor = (
      await api('/v1/api-tokens', {
        method: 'POST',
        body: JSON.stringify({ name: 'console-e2e-auditor', role: 'auditor' }),
      })
    ).secret as string;
    const other = await browser.newPage();
    await signIn(other, url, auditor);
    const first = (await api('/v1/identities?limit=1')).items[0];
    await other.goto(`${url}/identities/${first.id}`);
    await other.waitForSelector('[data-testid=identity-actions]');
    const buttons = other.locator('[data-testid=identity-actions] button');
    expect(await buttons.count()).toBeGreaterThan(0);
    for (const b of await buttons.all()) expect(await b.isDisabled()).toBe(true);
    await other.close();
  });
});
