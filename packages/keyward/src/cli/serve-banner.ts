/**
 * What `keyward serve` prints on start: where it listens, the bootstrap admin token (first start
 * only, shown once), and a short reading of the estate so a new user sees something at once.
 */
import type { Keyward } from '../app.js';
import { describeDatabase } from '../config.js';
import { KEYWARD_VERSION } from '../version.js';

export async function printServeBanner(
  keyward: Keyward,
  address: string,
  json: boolean,
  workers = 1,
): Promise<void> {
  const summary = await keyward.services.summary.summary();
  const url = address.replace('[::1]', 'localhost');
  if (json) {
    console.log(
      JSON.stringify({
        version: KEYWARD_VERSION,
        url,
        workers,
        database: describeDatabase(keyward.config),
        demoLoaded: keyward.demoLoaded,
        console: keyward.consoleServed ? `${url}/` : null,
        bootstrapToken: keyward.bootstrapToken,
        identities: summary.identities.total,
        edges: summary.edges,
      }),
    );
    return;
  }
  const processes = workers > 1 ? `, ${workers} worker processes` : '';
  const lines = [
    `Keyward ${KEYWARD_VERSION} listening on ${url} (${describeDatabase(keyward.config)}${processes})`,
  ];
  if (keyward.demoLoaded) lines.push('Loaded the demo estate.');
  if (keyward.consoleServed) lines.push(`Web console: ${url}/ (sign in with an API token)`);
  if (keyward.bootstrapToken) {
    lines.push(
      '',
      'First start: an admin API token was created. It is shown only this once (only its hash is stored):',
      `  export KEYWARD_URL=${url}`,
      `  export KEYWARD_TOKEN=${keyward.bootstrapToken}`,
      'Lost it? Stop the server and run: keyward admin-token',
    );
  }
  const h = summary.hygiene;
  lines.push(
    '',
    `Estate: ${summary.identities.total} non-human identities, ${summary.humans.total} humans (${summary.humans.inactive} have left), ${summary.resources} resources, ${summary.edges} edges`,
    `Hygiene: ${h.withoutOwner} without owner · ${h.ownerLeft} owner left · ${h.rotationOverdue} rotation overdue · ${h.expired} expired · ${h.stale} unused 90+ days · ${h.noEnd} prod without an end`,
  );
  const top = summary.topBlastRadius[0];
  if (top) {
    lines.push(
      `Widest blast radius: ${top.identity.name} reaches ${top.reachable} nodes, ${top.critical} of them critical`,
      '',
      'Try:',
      '  npx keyward summary',
      '  npx keyward identity list --env prod',
      `  npx keyward blast-radius ${top.identity.name}`,
      `  npx keyward lineage ${top.identity.name}`,
    );
  }
  lines.push(`API docs: ${url}/openapi.json`);
  console.log(lines.join('\n'));
}
