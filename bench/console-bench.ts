/**
 * `npm run bench -- console [--identities N]`: the web console on a big estate, in Debian's
 * Chromium against a real `keyward serve` — the inventory's first page (target under 1 s with
 * 100,000 identities), navigation, filter, next page, search, and a 5,000-node blast radius drawn
 * grouped. No peer: no other NHI console is on npm to run side by side.
 */
import { openGroupedBlast, startBigEstate, walkInventory } from '../packages/console/test/big-estate.js';
import { emit, log } from './bench-output.js';

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? Number(args[i + 1]) : fallback;
}

export async function run(args: string[]): Promise<void> {
  const count = arg(args, 'identities', 100_000);
  log(
    `console: loading ${count} identities and starting keyward serve (needs the console built: npm run build)`,
  );
  const estate = await startBigEstate(count);
  const figure = (metric: string, value: number, labels: Record<string, string | number> = {}) =>
    emit({ bench: 'console', metric, value: Math.round(value), unit: 'ms', identities: count, ...labels });
  try {
    await walkInventory(estate, figure);
    await openGroupedBlast(estate, figure);
  } finally {
    await estate.close();
  }
}
