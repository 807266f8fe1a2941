/**
 * Example: find every live identity whose owner has left, with how far it reaches — the offboarding
 * gap (OWASP NHI1) in a few lines of @keyward/sdk.
 *
 *   export KEYWARD_URL=http://127.0.0.1:8470 KEYWARD_TOKEN=kw_…   # printed by `npm start`
 *   npx tsx examples/owner-left-report.ts
 */
import { collect, KeywardClient } from '@keyward/sdk';

export interface OwnerLeftRow {
  identity: string;
  environment: string;
  formerOwner: string;
  reachable: number;
  critical: number;
}

export async function ownerLeftReport(client: KeywardClient): Promise<OwnerLeftRow[]> {
  const leavers = await collect(client.humans.listAll({ active: false }));
  const rows: OwnerLeftRow[] = [];
  for (const human of leavers) {
    for await (const identity of client.identities.listAll({ ownerId: human.id })) {
      if (identity.status === 'disabled' || identity.status === 'revoked') continue;
      const radius = await client.identities.blastRadius(identity.id, { limit: 0 });
      rows.push({
        identity: identity.name,
        environment: identity.environment,
        formerOwner: human.email,
        reachable: radius.totals.reachable,
        critical: radius.totals.bySensitivity.critical,
      });
    }
  }
  return rows.sort((a, b) => b.critical - a.critical || b.reachable - a.reachable);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const client = new KeywardClient({
    url: process.env['KEYWARD_URL'] ?? 'http://127.0.0.1:8470',
    token: process.env['KEYWARD_TOKEN'],
  });
  console.table(await ownerLeftReport(client));
}
