/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * A 100,000-identity estate behind a real `keyward serve`, with Chromium signed in, and the timed
 * walks through the inventory and a grouped blast radius. Shared by the scale test (which checks
 * what the user sees) and `npm run bench -- console` (which prints the figures with their targets).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { loadSyntheticEstate, syntheticEstate } from '../../../bench/synthetic-estate.js';
import { newId } from '../../keyward/src/ids.js';
import { openStore } from '../../keyward/src/storage/open-store.js';
import { startKeywardProcess } from '../../keyward/test/keyward-process.js';
import { bootstrapToken, launch, signIn } from './browser.js';

export type Figure = (metric: string, valueMs: number, labels?: Record<string, string | number>) => void;

export interface BigEstate {
  url: string;
  /** An identity that reaches all 5,000 resources: too big to draw node by node. */
  hubId: string;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

export async function startBigEstate(count: number): Promise<BigEstate> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'keyward-console-scale-'));
  const store = await openStore({ backend: 'sqlite', file: path.join(dataDir, 'keyward.db'), migrate: true });
  const data = syntheticEstate(count, 2);
  const hub = { ...data.identities[1]!, id: newId('identity'), name: 'wide-hub' };
  data.identities.push(hub);
  for (const r of data.resources) {
    data.edges.push({
      id: newId('edge'),
      kind: 'has_permission',
      fromId: hub.id,
      toId: r.id,
      actions: ['read'],
      createdAt: hub.createdAt,
    });
  }
  await loadSyntheticEstate(store, data);
  await store.close();
  const server = await startKeywardProcess(['--port', '0', '--host', '127.0.0.1'], {
    KEYWARD_DATA_DIR: dataDir,
    DATABASE_URL: undefined,
  });
  const browser = await launch();
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await signIn(page, server.url, bootstrapToken(server.output()));
  return {
    url: server.url,
    hubId: hub.id,
    browser,
    page,
    async close() {
      await browser.close();
      server.child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 300));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface RowCheck {
  rows?: number;
  kind?: string;
  name?: string;
  paged?: boolean;
}

/** Time from `act` until the inventory shows rows that pass `check` (checked every frame). */
export async function timeRows(page: Page, act: () => Promise<unknown>, check: RowCheck): Promise<number> {
  const t = Date.now();
  await act();
  await page.waitForFunction(
    (c: RowCheck) => {
      const rows = [...document.querySelectorAll('[data-testid=identity-row]')];
      if (rows.length === 0 || (c.rows !== undefined && rows.length !== c.rows)) return false;
      if (c.kind && !rows.every((r) => r.querySelector('td:nth-child(2)')?.textContent === c.kind))
        return false;
      if (c.name && !rows.every((r) => r.querySelector('td:first-child a')?.textContent?.includes(c.name!)))
        return false;
      return !c.paged || location.search.includes('cursor=');
    },
    check,
    { timeout: 60_000, polling: 'raf' },
  );
  return Date.now() - t;
}

/**
 * Waits until the server has finished what a new estate sets off at start (the first posture pass
 * opening findings, lifecycle jobs disabling what has expired, the watcher re-evaluating those):
 * the live counts stop moving and health answers promptly, three seconds running.
 */
export async function untilIdle(url: string, page: Page): Promise<void> {
  const token = await page.evaluate(
    () => JSON.parse(sessionStorage.getItem('keyward.session') ?? '{}').token,
  );
  const headers = { authorization: `Bearer ${token}` };
  // Live counts (identities still live, open findings, …) stop moving once the start-up work is done.
  const counts = async () => {
    const res = await fetch(`${url}/v1/overview?days=1`, { headers });
    return res.ok ? JSON.stringify(((await res.json()) as { live: unknown }).live) : String(res.status);
  };
  let quiet = 0;
  let last = '';
  for (let i = 0; i < 600 && quiet < 3; i++) {
    const t = Date.now();
    await fetch(`${url}/healthz`);
    const prompt = Date.now() - t < 50;
    const now = await counts();
    quiet = prompt && now === last && !now.includes('"openFindings":0') ? quiet + 1 : 0;
    last = now;
    await new Promise((r) => setTimeout(r, 1_000));
  }
  if (quiet < 3) throw new Error('the server did not settle after the new estate was loaded');
}

/**
 * The inventory walk: first page while the server still works through the new estate, then (once
 * idle) a full page load, in-app navigation, a filter, the next page and a search. Throws when the
 * page does not show what it should (50 rows, a next page).
 */
export async function walkInventory(estate: BigEstate, figure: Figure): Promise<void> {
  const { page, url } = estate;
  const during = await timeRows(page, () => page.goto(`${url}/inventory`), { rows: 50 });
  figure('inventory_first_page_at_start_ms', during, {
    load: 'full page load while the start-up work on the new estate runs',
  });
  await untilIdle(url, page);
  const cold = await timeRows(page, () => page.goto(`${url}/inventory`), { rows: 50 });
  figure('inventory_first_page_ms', cold, { load: 'full page load', target_ms: 1000 });
  if (!(await page.isEnabled('text=Next →'))) throw new Error('the first page offers no next page');

  await page.goto(`${url}/`);
  await page.waitForSelector('[data-testid=live-now]');
  await page.waitForSelector('[data-testid=kpis]');
  const nav = await timeRows(page, () => page.click('nav >> text=Inventory'), { rows: 50 });
  figure('inventory_nav_ms', nav, { load: 'in-app navigation' });

  const agents = { rows: 50, kind: 'agent' };
  const filtered = await timeRows(page, () => page.selectOption('select[name=kind]', 'agent'), agents);
  figure('inventory_filter_ms', filtered, { filter: 'kind=agent' });

  const next = await timeRows(page, () => page.click('text=Next →'), { ...agents, paged: true });
  figure('inventory_next_page_ms', next);

  await page.selectOption('select[name=kind]', '');
  const searched = await timeRows(page, () => page.fill('input[name=q]', 'nhi-9999'), { name: 'nhi-9999' });
  figure('inventory_search_ms', searched, { q: 'nhi-9999', note: 'includes the 300 ms typing pause' });
}

/** Opens the hub's blast radius; returns how many nodes were drawn and the totals line. */
export async function openGroupedBlast(
  estate: BigEstate,
  figure: Figure,
): Promise<{ drawn: number; totals: string }> {
  const { page, url } = estate;
  const t = Date.now();
  await page.goto(`${url}/graph?view=blast&id=${estate.hubId}`);
  const canvas = page.locator('[data-testid=graph-canvas][data-ready=true]');
  await canvas.waitFor({ timeout: 60_000 });
  figure('graph_blast_ready_ms', Date.now() - t, { reachable: 5_000, drawn_limit: 2_000 });
  return {
    drawn: Number(await canvas.getAttribute('data-nodes')),
    totals: (await page.textContent('[data-testid=graph-totals]')) ?? '',
  };
}
