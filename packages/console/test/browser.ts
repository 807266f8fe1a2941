/**
 * Browser-test helpers: Debian's Chromium (/usr/bin/chromium, headless) through playwright-core, a
 * real `keyward serve` child process, sign-in, and screenshots saved under artifacts/screenshots/
 * (CI keeps them as test artifacts; they are not committed).
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM = process.env['KEYWARD_CHROMIUM'] ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.resolve(import.meta.dirname, '../../../artifacts/screenshots');
const DIST = path.resolve(import.meta.dirname, '../dist/index.html');

/** Fails loudly when the pieces a browser test needs are missing, instead of skipping silently. */
export function assertBrowserReady(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set KEYWARD_CHROMIUM)`);
  }
  if (!existsSync(DIST)) throw new Error('the console is not built: npm run build -w packages/console');
}

export async function launch(): Promise<Browser> {
  assertBrowserReady();
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // CI runs as root in a container, where Chromium's sandbox cannot start.
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
}

export async function signIn(page: Page, url: string, token: string): Promise<void> {
  await page.goto(url);
  await page.fill('input[name=token]', token);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=who]');
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}

/** The bootstrap admin token a first `keyward serve` prints. */
export function bootstrapToken(output: string): string {
  const m = /KEYWARD_TOKEN=(kw_\S+)/.exec(output);
  if (!m?.[1]) throw new Error(`no bootstrap token in:\n${output}`);
  return m[1];
}
