/**
 * The console with 100,000 identities, in Chromium against a real `keyward serve`: the inventory
 * walk and a grouped blast radius, timed in the browser and printed as JSON lines. The targets (first
 * page under 1 s) are reported, not asserted: speed targets live in figures, not in timed tests
 * (`npm run bench -- console` prints the same figures). The test checks what the user sees.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BigEstate, openGroupedBlast, startBigEstate, walkInventory } from './big-estate.js';
import { screenshot } from './browser.js';

const COUNT = 100_000;

function figure(metric: string, value: number, labels: Record<string, string | number> = {}): void {
  console.log(
    JSON.stringify({
      bench: 'console',
      metric,
      value: Math.round(value),
      unit: 'ms',
      identities: COUNT,
      ...labels,
    }),
  );
}

describe(`console with ${COUNT.toLocaleString('en')} identities`, () => {
  let estate: BigEstate;
  beforeAll(async () => {
    estate = await startBigEstate(COUNT);
  }, 240_000);
  afterAll(async () => {
    await estate?.close();
  });

  it('shows the first page, a filtered page and a search quickly, and prints the times', async () => {
    await walkInventory(estate, figure);
    const names = await estate.page.$$eval('[data-testid=identity-row] td:first-child a', (as) =>
      as.map((a) => a.textContent),
    );
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((n) => n?.includes('nhi-9999'))).toBe(true);
    await screenshot(estate.page, '12-inventory-100k');
  }, 180_000);

  it('groups a blast radius too big to draw node by node, and prints how long it took', async () => {
    const { drawn, totals } = await openGroupedBlast(estate, figure);
    expect(drawn).toBeGreaterThan(1);
    expect(drawn).toBeLessThan(1_500);
    expect(totals).toMatch(/5,?000/);
    expect(totals).toContain('grouped');
    await screenshot(estate.page, '13-blast-radius-grouped');
  }, 120_000);
});
