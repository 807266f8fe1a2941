/**
 * generateDemoEstate: a deterministic (seeded), realistic estate of ~300 NHIs for demos, docs and
 * tests — AWS roles with a can_assume chain from CI to an admin role, Kubernetes workloads, GitHub
 * apps/PATs/deploy keys, SaaS OAuth apps, certificates, bots and AI agents with sub-agents, plus the
 * hygiene problems Keyward exists to surface (stale keys, expired certs, owners who left, cross-env
 * reuse). Pure: no I/O; only ids (newId) differ between runs with the same seed and `now`.
 */
import type { Human } from '@keyward/sdk';
import { buildAgents } from './demo-agents.js';
import { type DemoEstate, EstateBuilder } from './demo-builder.js';
import { buildCatalog, type DemoCatalog, ENVIRONMENTS } from './demo-catalog.js';
import { buildCertificatesAndBots, buildSaas } from './demo-saas.js';
import { buildSharedUploader, buildWorkloads } from './demo-workloads.js';

export type { DemoEstate } from './demo-builder.js';

export interface DemoEstateOptions {
  seed?: number | undefined;
  now?: Date | undefined;
}

export function generateDemoEstate(options: DemoEstateOptions = {}): DemoEstate {
  const b = new EstateBuilder(options.seed ?? 42, options.now ?? new Date());
  const c = buildCatalog(b);
  buildWorkloads(b, c);
  buildAwsAndCi(b, c);
  buildGithub(b, c);
  buildSaas(b, c);
  buildCertificatesAndBots(b, c);
  buildAgents(b, c);
  // Last, so the seeded choices of everything before stay as they were.
  buildSharedUploader(b, lead(c, 'platform'));
  return {
    humans: b.humans,
    systems: b.systems,
    resources: b.resources,
    identities: b.identities,
    edges: b.edges,
  };
}

const lead = (c: DemoCatalog, team: keyof DemoCatalog['team']): Human => c.team[team][0]!;

/** IAM roles and the CI chain: ci-deployer → ci-deploy-role → terraform-apply-role → org-admin-role. */
function buildAwsAndCi(b: EstateBuilder, c: DemoCatalog): void {
  const platform = lead(c, 'platform');
  const role = (name: string, purpose: string, owner: Human = platform) =>
    b.identity({
      name,
      kind: 'service_account',
      environment: 'prod',
      origin: 'aws',
      originExternalId: `arn:aws:iam::412000000001:role/${name}`,
      owner,
      purpose,
      businessSystem: 'ci-cd',
      reviewDate: b.ago(-b.int(30, 180)),
      labels: { team: 'platform' },
      lastSeenDaysAgo: b.int(0, 5),
    });
  const ciDeployer = b.identity({
    name: 'ci-deployer',
    kind: 'oauth_app',
    environment: 'prod',
    origin: 'github',
    originExternalId: 'github-actions-oidc:acme/*',
    owner: platform,
    purpose: 'GitHub Actions OIDC principal that deploys every service',
    businessSystem: 'ci-cd',
    reviewDate: b.ago(-60),
    labels: { team: 'platform' },
    lastSeenDaysAgo: 0,
  });
  const deployRole = role('ci-deploy-role', 'deploys workloads to EKS and pushes images');
  const terraform = role('terraform-apply-role', 'applies infra-terraform plans');
  const admin = role('org-admin-role', 'break-glass organisation administrator', lead(c, 'security'));
  const audit = role('security-audit-role', 'read-only audit of every account', lead(c, 'security'));
  const backup = role('backup-role', 'snapshots databases and buckets nightly');
  b.edge('can_assume', ciDeployer.id, deployRole.id);
  b.edge('can_assume', deployRole.id, terraform.id);
  b.edge('can_assume', terraform.id, admin.id);
  b.edge('member_of', admin.id, c.res['aws-org-admins']!.id);
  for (const res of b.resources) {
    if (res.environment === 'prod' || res.environment === null) b.grant(admin, res, ['admin']);
    if (res.kind === 'database' || res.kind === 'bucket') b.grant(backup, res, ['read']);
    if (res.environment === 'prod') b.grant(audit, res, ['read']);
  }
  for (const env of ENVIRONMENTS) b.grant(deployRole, c.res[`k8s-${env}`]!, ['deploy']);
  b.grant(deployRole, c.res['ci-artifacts']!, ['read', 'write']);
  b.grant(terraform, c.res['github/acme/infra-terraform']!, ['read']);
  b.storeSecret(ciDeployer, c.res['github-actions-secrets']!, 'acme/AWS_ROLE_ARN');

  // Cross-environment reuse: one analytics key reads prod and dev, and a dev key lives in the prod vault.
  const shared = b.identity({
    name: 'analytics-shared-key',
    kind: 'api_key',
    environment: 'prod',
    origin: 'snowflake',
    owner: lead(c, 'data'),
    purpose: 'dbt runs against the warehouse (shared by prod and dev jobs)',
    businessSystem: 'data-platform',
    credential: {
      createdAt: b.ago(500),
      lastRotatedAt: b.ago(450),
      rotationPeriodDays: 90,
      expiresAt: b.ago(-40),
    },
    labels: { team: 'data' },
    lastSeenDaysAgo: 0,
  });
  b.grant(shared, c.res['snowflake-analytics-prod']!, ['read', 'write']);
  b.grant(shared, c.res['snowflake-analytics-dev']!, ['read', 'write']);
  b.grant(shared, c.res['customer-db-dev']!, ['read']);
  b.storeSecret(shared, c.res['vault-prod']!, 'kv/prod/data/snowflake');
  const devKey = b.identity({
    name: 'checkout-web-stripe-test-key-dev',
    kind: 'api_key',
    environment: 'dev',
    origin: 'stripe',
    owner: c.team.growth[1],
    purpose: 'Stripe test-mode key for local checkout development',
    labels: { team: 'growth' },
  });
  b.storeSecret(devKey, c.res['vault-prod']!, 'kv/prod/checkout/stripe-test');

  // Legacy IAM users from before SSO: personal-ish, stale, some owned by people who left.
  const legacy = [
    'legacy-backup-user',
    'jenkins-old',
    'terraform-local',
    'quicksight-export',
    'redshift-loader',
  ];
  legacy.forEach((name, i) => {
    const leaver = c.leavers[i % c.leavers.length]!.human;
    const key = b.identity({
      name,
      kind: 'api_key',
      environment: 'prod',
      origin: 'aws',
      originExternalId: `arn:aws:iam::412000000001:user/${name}`,
      owner: leaver,
      purpose: `legacy IAM user (${name})`,
      credential: {
        createdAt: b.ago(1100),
        lastRotatedAt: b.ago(b.int(420, 1000)),
        rotationPeriodDays: 90,
        lastUsedAt: b.ago(b.int(100, 400)),
      },
      reviewDate: b.ago(b.int(10, 200)),
      status: i % 2 === 0 ? 'orphaned' : 'active',
      labels: { team: 'platform', legacy: 'true' },
      lastSeenDaysAgo: b.int(100, 400),
    });
    b.edge('member_of', key.id, c.res['aws-org-admins']!.id);
    if (i < 2) b.edge('can_assume', key.id, admin.id);
  });
}

function buildGithub(b: EstateBuilder, c: DemoCatalog): void {
  const repos = b.resources.filter((r) => r.kind === 'repository');
  const deployer = b.identities.find((i) => i.name === 'ci-deployer')!;
  for (const repo of repos) {
    const short = repo.name.split('/').pop()!;
    const key = b.identity({
      name: `${short}-deploy-key`,
      kind: 'api_key',
      environment: 'prod',
      origin: 'github',
      owner: lead(c, 'platform'),
      purpose: `read-only deploy key for ${short}`,
      credential: { createdAt: b.ago(600), lastRotatedAt: b.ago(b.int(100, 600)), rotationPeriodDays: 365 },
      reviewDate: b.ago(-b.int(20, 200)),
      labels: { team: 'platform' },
    });
    b.grant(key, repo, ['read']);
    b.storeSecret(key, c.res['vault-prod']!, `kv/prod/github/${short}/deploy-key`);
    b.grant(deployer, repo, ['read']);
  }
  for (const app of ['renovate-bot', 'codecov-app', 'release-please', 'sonar-scanner', 'dependabot-proxy']) {
    const identity = b.identity({
      name: app,
      kind: 'bot',
      environment: 'prod',
      origin: 'github',
      owner: b.pick(c.team.platform),
      purpose: `GitHub App ${app}`,
      reviewDate: b.ago(-b.int(30, 300)),
      labels: { team: 'platform' },
      lastSeenDaysAgo: b.int(0, 10),
    });
    // Renovate holds admin on the repositories it is installed on: a third-party app with broad grants (NHI3).
    const actions = app === 'renovate-bot' ? ['admin'] : ['read', 'write'];
    for (const repo of repos) if (b.chance(0.6)) b.grant(identity, repo, actions);
  }
  // Personal access tokens used by scripts: the humans' own shadow NHIs.
  for (const p of c.people) {
    if (!b.chance(0.9)) continue;
    const handle = p.human.email.split('@')[0]!.replace('.', '-');
    const expired = b.chance(0.3);
    const pat = b.identity({
      name: `${handle}-github-pat`,
      kind: 'token',
      environment: b.chance(0.5) ? 'dev' : 'staging',
      origin: 'github',
      owner: p.human,
      purpose: b.chance(0.7) ? 'scripts and local automation' : undefined,
      credential: { createdAt: b.ago(300), expiresAt: expired ? b.ago(b.int(5, 100)) : b.ago(-b.int(5, 90)) },
      status: p.human.active ? 'active' : b.pick(['active', 'orphaned'] as const),
      labels: { team: p.team },
    });
    b.grant(pat, b.pick(repos), ['read', 'write']);
  }
}
