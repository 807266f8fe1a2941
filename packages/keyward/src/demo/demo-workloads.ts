/**
 * Per-service identities in every environment: the Kubernetes workload, its database user (secret in
 * Vault or Secrets Manager) and, for some, a long-lived IAM user access key — the classic stale-key
 * hygiene problem. Owners come from the service's team; a few belong to people who have left.
 */
import type { Human, Identity } from '@keyward/sdk';
import type { EstateBuilder } from './demo-builder.js';
import { type DemoCatalog, ENVIRONMENTS, type Team } from './demo-catalog.js';

/** [service, team, system, database it uses, what it does] */
const SERVICES: Array<[string, Team, string, 'payments' | 'customer' | 'orders', string]> = [
  ['payments-api', 'payments', 'payments', 'payments', 'charges cards and issues refunds'],
  ['ledger-worker', 'payments', 'payments', 'payments', 'posts double-entry ledger records'],
  ['fraud-scorer', 'payments', 'payments', 'payments', 'scores transactions for fraud'],
  ['payout-scheduler', 'payments', 'payments', 'payments', 'schedules merchant payouts'],
  ['checkout-web', 'growth', 'payments', 'orders', 'serves the checkout pages'],
  ['orders-service', 'payments', 'payments', 'orders', 'manages orders'],
  ['customer-profile-api', 'data', 'customer-data', 'customer', 'serves customer profiles'],
  ['notification-service', 'platform', 'customer-data', 'customer', 'sends emails and SMS'],
  ['search-indexer', 'data', 'data-platform', 'orders', 'indexes orders for search'],
  ['data-ingest', 'data', 'data-platform', 'customer', 'loads events into the lake'],
  ['etl-scheduler', 'data', 'data-platform', 'customer', 'runs nightly ETL jobs'],
  ['reporting-api', 'data', 'data-platform', 'orders', 'serves finance reports'],
  ['support-portal', 'support', 'support', 'customer', 'backs the support agent console'],
  ['auth-gateway', 'platform', 'customer-data', 'customer', 'terminates logins and issues sessions'],
  ['billing-worker', 'payments', 'payments', 'payments', 'generates invoices'],
  ['recommendation-service', 'ai', 'ai-platform', 'orders', 'serves product recommendations'],
  ['feature-store', 'ai', 'ai-platform', 'customer', 'serves ML features'],
  ['webhook-dispatcher', 'platform', 'payments', 'orders', 'delivers merchant webhooks'],
];

const NAMESPACE: Record<Team, string> = {
  payments: 'payments',
  platform: 'platform',
  data: 'data',
  security: 'platform',
  support: 'support',
  ai: 'ai',
  growth: 'growth',
};

export function buildWorkloads(b: EstateBuilder, c: DemoCatalog): Identity[] {
  const created: Identity[] = [];
  const leaverOf = (team: Team): Human | undefined => c.leavers.find((l) => l.team === team)?.human;
  SERVICES.forEach(([service, team, systemName, db, what], index) => {
    for (const env of ENVIRONMENTS) {
      const prod = env === 'prod';
      // Non-prod identities are sometimes nobody's: the hygiene gap the demo should show.
      const unowned = !prod && b.chance(0.2);
      const owner = unowned ? undefined : b.pick(c.team[team]);
      const labels = { team, service };
      const workload = b.identity({
        name: `${service}-${env}`,
        kind: 'workload',
        environment: env,
        origin: 'kubernetes',
        originExternalId: `system:serviceaccount:${NAMESPACE[team]}:${service}`,
        owner,
        purpose: unowned && b.chance(0.5) ? undefined : `Kubernetes workload that ${what}`,
        businessSystem: systemName,
        // Workloads use projected, auto-rotated tokens: no credential expiry, so a review date ends them.
        reviewDate: prod || b.chance(0.5) ? b.ago(-b.int(30, 330)) : undefined,
        labels,
        lastSeenDaysAgo: b.int(0, 2),
      });
      b.edge('member_of', workload.id, c.res[`k8s-${env}/${NAMESPACE[team]}`]!.id);
      b.grant(workload, c.res[`${db}-db-${env}`]!, ['read', 'write']);
      created.push(workload);

      // Schema migrations run as a separate Job with DDL rights: a quieter, more powerful sibling.
      const migrator = b.identity({
        name: `${service}-migrator-${env}`,
        kind: 'workload',
        environment: env,
        origin: 'kubernetes',
        originExternalId: `system:serviceaccount:${NAMESPACE[team]}:${service}-migrator`,
        owner,
        purpose: `runs schema migrations for ${service}`,
        businessSystem: systemName,
        reviewDate: prod || !unowned ? b.ago(-b.int(30, 330)) : undefined,
        labels,
        lastSeenDaysAgo: b.int(1, 40),
      });
      b.grant(migrator, c.res[`${db}-db-${env}`]!, ['admin']);
      b.edge('member_of', migrator.id, c.res[`k8s-${env}/${NAMESPACE[team]}`]!.id);
      created.push(migrator);
      if (prod) {
        created.push(
          b.identity({
            name: `${service}-mtls-${env}`,
            kind: 'certificate',
            environment: env,
            origin: 'cert-manager',
            owner,
            purpose: `mTLS client certificate of ${service}`,
            businessSystem: systemName,
            credential: { createdAt: b.ago(60), expiresAt: b.ago(-b.int(5, 90)) },
            labels,
          }),
        );
      }

      // Owner left: in prod, half were noticed (orphaned), half still look active.
      const leaver = prod && index % 4 === 1 ? leaverOf(team) : undefined;
      const rotated = b.int(5, 80);
      const dbUser = b.identity({
        name: `${service}-db-user-${env}`,
        kind: 'service_account',
        environment: env,
        origin: 'postgres',
        owner: leaver ?? owner,
        purpose: `database login of ${service}`,
        businessSystem: systemName,
        credential: {
          createdAt: b.ago(rotated + 200),
          lastRotatedAt: b.ago(rotated),
          rotationPeriodDays: 90,
          expiresAt: b.ago(rotated - 90),
        },
        status: leaver && index % 8 === 1 ? 'orphaned' : 'active',
        labels,
        lastSeenDaysAgo: b.int(0, 3),
      });
      const store = prod
        ? b.pick([c.res['vault-prod']!, c.res['aws-secrets-manager-prod']!])
        : env === 'staging'
          ? c.res['vault-nonprod']!
          : c.res['aws-secrets-manager-dev']!;
      b.storeSecret(dbUser, store, `kv/${env}/${service}/db`);
      b.grant(dbUser, c.res[`${db}-db-${env}`]!, ['read', 'write']);
      b.edge('can_assume', workload.id, dbUser.id);
      created.push(dbUser);

      // Every third service still has a long-lived IAM user key; in prod these are the stale ones.
      if (index % 3 === 0 && env !== 'staging') {
        const stale = prod || b.chance(0.5);
        const rotatedDaysAgo = stale ? b.int(410, 900) : b.int(10, 60);
        const key = b.identity({
          name: `${service}-iam-user-${env}`,
          kind: 'api_key',
          environment: env,
          origin: 'aws',
          originExternalId: `arn:aws:iam::${prod ? '412000000001' : '773000000002'}:user/${service}`,
          owner,
          purpose: `uploads ${service} exports to S3`,
          businessSystem: systemName,
          credential: {
            createdAt: b.ago(rotatedDaysAgo + 30),
            lastRotatedAt: b.ago(rotatedDaysAgo),
            rotationPeriodDays: 90,
            lastUsedAt: b.ago(b.int(0, 200)),
          },
          reviewDate: prod ? b.ago(-b.int(10, 90)) : undefined,
          labels,
          lastSeenDaysAgo: b.int(0, 120),
        });
        b.storeSecret(key, store, `kv/${env}/${service}/aws-access-key`);
        b.grant(key, c.res[prod ? 'data-lake-raw-prod' : 'data-lake-raw-dev']!, ['write']);
        created.push(key);
      }
    }
  });
  return created;
}

/** One IAM role every prod service assumes to upload its exports: one identity, many workloads (NHI9). */
export function buildSharedUploader(b: EstateBuilder, owner: Human): void {
  const uploader = b.identity({
    name: 'shared-s3-uploader',
    kind: 'service_account',
    environment: 'prod',
    origin: 'aws',
    originExternalId: 'arn:aws:iam::412000000001:role/shared-s3-uploader',
    owner,
    purpose: 'uploads exports to the data lake for every service',
    businessSystem: 'data-platform',
    reviewDate: b.ago(-90),
    labels: { team: 'platform' },
    lastSeenDaysAgo: 0,
  });
  const lake = b.resources.find((r) => r.name === 'data-lake-raw-prod');
  if (lake) b.grant(uploader, lake, ['write']);
  const workloads = b.identities.filter((i) => i.kind === 'workload' && i.environment === 'prod');
  for (const w of workloads.slice(0, 6)) b.edge('can_assume', w.id, uploader.id);
}
