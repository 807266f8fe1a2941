/**
 * generateDemoEstate: a deterministic (seeded), realistic estate of ~300 NHIs for demos, docs and
 * tests — AWS roles with a can_assume chain from CI to an admin role, Kubernetes workloads, GitHub
 * apps/PATs/deploy keys, SaaS OAuth apps, certificates, bots and AI agents with sub-agents, plus the
 * hygiene problems Keyward exists to surface (stale keys, expired certs, owners who left, cross-env
 * reuse). Pure: no I/O; only ids (newId) differ between runs with the same seed and `now`.
 */
import type { Human, Identity, IdentityKind } from '@keyward/sdk';
import { type DemoEstate, EstateBuilder } from './demo-builder.js';
import { buildCatalog, type DemoCatalog, ENVIRONMENTS } from './demo-catalog.js';
import { buildWorkloads } from './demo-workloads.js';

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
    for (const repo of repos) if (b.chance(0.6)) b.grant(identity, repo, ['read', 'write']);
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

function buildSaas(b: EstateBuilder, c: DemoCatalog): void {
  const apps: Array<[string, string, keyof DemoCatalog['team'], string, string[]]> = [
    [
      'salesforce-sync',
      'salesforce-crm',
      'growth',
      'syncs accounts from the customer DB to Salesforce',
      ['read', 'write'],
    ],
    ['hubspot-import', 'salesforce-crm', 'growth', 'imports leads into the CRM', ['write']],
    ['slack-alerts', 'slack-workspace', 'platform', 'posts alerts to #incidents', ['write']],
    ['zendesk-integration', 'zendesk', 'support', 'links tickets to customer records', ['read', 'write']],
    ['datadog-aws-integration', 'datadog', 'platform', 'pulls CloudWatch metrics into Datadog', ['read']],
    ['stripe-webhooks', 'stripe-api', 'payments', 'verifies Stripe webhook signatures', ['read']],
    ['stripe-payouts-key', 'stripe-api', 'payments', 'restricted key for payouts', ['write']],
    ['looker-snowflake', 'snowflake-analytics-prod', 'data', 'Looker dashboards on the warehouse', ['read']],
    ['fivetran-connector', 'snowflake-analytics-prod', 'data', 'loads SaaS data into Snowflake', ['write']],
    ['pagerduty-slack', 'slack-workspace', 'platform', 'pages on-call via Slack', ['write']],
    ['gong-salesforce', 'salesforce-crm', 'growth', 'call recordings into Salesforce', ['read', 'write']],
    ['intercom-sync', 'zendesk', 'support', 'mirrors chats into tickets', ['write']],
  ];
  for (const [name, target, team, purpose, actions] of apps) {
    for (const env of name.startsWith('stripe') ? (['prod', 'dev'] as const) : (['prod'] as const)) {
      const app = b.identity({
        name: env === 'prod' ? name : `${name}-${env}`,
        kind: name.endsWith('key') ? 'api_key' : 'oauth_app',
        environment: env,
        origin: 'saas',
        owner: b.pick(c.team[team]),
        purpose,
        credential: {
          createdAt: b.ago(400),
          lastRotatedAt: b.ago(b.int(30, 500)),
          rotationPeriodDays: 180,
          expiresAt: b.ago(-b.int(20, 300)),
        },
        labels: { team },
        lastSeenDaysAgo: b.int(0, 30),
      });
      b.grant(app, c.res[target]!, actions);
      b.storeSecret(
        app,
        c.res[env === 'prod' ? 'aws-secrets-manager-prod' : 'aws-secrets-manager-dev']!,
        `saas/${name}`,
      );
    }
  }
}

function buildCertificatesAndBots(b: EstateBuilder, c: DemoCatalog): void {
  const hosts = ['api', 'checkout', 'payments', 'auth', 'webhooks', 'support', 'admin', 'status'];
  for (const env of ENVIRONMENTS) {
    for (const host of hosts) {
      if (env !== 'prod' && b.chance(0.5)) continue;
      const expired = env !== 'prod' ? b.chance(0.4) : host === 'status';
      b.identity({
        name: `tls-${host}.${env === 'prod' ? '' : `${env}.`}acme.com`,
        kind: 'certificate',
        environment: env,
        origin: 'acm',
        owner: b.pick(c.team.platform),
        purpose: `TLS certificate for ${host}`,
        credential: {
          createdAt: b.ago(400),
          expiresAt: expired ? b.ago(b.int(3, 60)) : b.ago(-b.int(15, 365)),
        },
        labels: { team: 'platform' },
      });
    }
  }
  const bots: Array<[string, keyof DemoCatalog['team'], string]> = [
    ['oncall-slack-bot', 'platform', 'slack-workspace'],
    ['standup-bot', 'growth', 'slack-workspace'],
    ['refund-approval-bot', 'payments', 'stripe-api'],
    ['jira-triage-bot', 'support', 'zendesk'],
    ['cost-report-bot', 'platform', 'datadog'],
    ['data-quality-bot', 'data', 'snowflake-analytics-prod'],
  ];
  for (const [name, team, target] of bots) {
    const bot = b.identity({
      name,
      kind: 'bot',
      environment: 'prod',
      origin: 'saas',
      owner: b.pick(c.team[team]),
      purpose: `${name.replaceAll('-', ' ')}`,
      reviewDate: b.ago(-b.int(10, 200)),
      labels: { team },
      lastSeenDaysAgo: b.int(0, 150),
    });
    b.grant(bot, c.res[target]!, ['read', 'write']);
  }
}

/** Agents: a human sponsors each, CI or a human created it, and it delegates to narrower sub-agents. */
function buildAgents(b: EstateBuilder, c: DemoCatalog): void {
  const deployer = b.identities.find((i) => i.name === 'ci-deployer')!;
  const agents: Array<[string, keyof DemoCatalog['team'], string, Array<[string, string, string[]]>]> = [
    [
      'support-triage-agent',
      'support',
      'classifies and routes tickets',
      [
        ['kb-search', 'zendesk', ['read']],
        ['refund', 'stripe-api', ['write']],
        ['customer-lookup', 'customer-db-prod', ['read']],
      ],
    ],
    [
      'fraud-review-agent',
      'payments',
      'reviews flagged transactions',
      [
        ['txn-history', 'payments-db-prod', ['read']],
        ['case-writer', 'zendesk', ['write']],
      ],
    ],
    [
      'data-analyst-agent',
      'data',
      'answers analytics questions in Slack',
      [
        ['sql-runner', 'snowflake-analytics-prod', ['read']],
        ['chart-renderer', 'slack-workspace', ['write']],
      ],
    ],
    [
      'incident-copilot',
      'platform',
      'summarises incidents and suggests runbooks',
      [
        ['log-reader', 'datadog', ['read']],
        ['k8s-inspector', 'k8s-prod', ['read']],
        ['pager', 'slack-workspace', ['write']],
      ],
    ],
    [
      'code-review-agent',
      'ai',
      'reviews pull requests',
      [
        ['repo-reader', 'github/acme/payments-service', ['read']],
        ['test-runner', 'ci-artifacts', ['read', 'write']],
      ],
    ],
    ['sales-email-agent', 'growth', 'drafts outbound emails', [['crm-reader', 'salesforce-crm', ['read']]]],
    [
      'onboarding-agent',
      'support',
      'guides new merchants',
      [
        ['doc-search', 'zendesk', ['read']],
        ['account-setup', 'customer-db-prod', ['write']],
      ],
    ],
    ['ml-eval-agent', 'ai', 'evaluates model releases', [['dataset-reader', 'ml-training-data', ['read']]]],
  ];
  agents.forEach(([name, team, purpose, subs], index) => {
    for (const env of index % 3 === 0 ? (['prod', 'staging'] as const) : (['prod'] as const)) {
      const sponsor = b.pick(c.team[team]);
      const agentName = env === 'prod' ? name : `${name}-${env}`;
      const spec = (n: string, p: string, kind: IdentityKind = 'agent') => ({
        name: n,
        kind,
        environment: env,
        origin: 'ai-platform',
        owner: sponsor,
        purpose: p,
        businessSystem: 'ai-platform',
        credential: { createdAt: b.ago(60), expiresAt: b.ago(-b.int(7, 60)) },
        labels: { team, agent: name },
        lastSeenDaysAgo: b.int(0, 3),
      });
      const agent = b.identity(spec(agentName, purpose));
      b.edge('sponsors', sponsor.id, agent.id);
      b.edge('created', index % 2 === 0 ? deployer.id : sponsor.id, agent.id);
      b.grant(agent, c.res['openai-api']!, ['invoke']);
      b.storeSecret(
        agent,
        c.res[env === 'prod' ? 'vault-prod' : 'vault-nonprod']!,
        `kv/${env}/agents/${name}`,
      );
      for (const [sub, target, actions] of subs) {
        const subAgent = b.identity(
          spec(`${agentName}.${sub}`, `sub-agent of ${name}: ${sub.replaceAll('-', ' ')}`),
        );
        b.edge('delegates_to', agent.id, subAgent.id);
        b.edge('created', agent.id, subAgent.id);
        b.grant(subAgent, c.res[target]!, actions);
      }
    }
  });
  // An agent whose sponsor left: still running, nobody to ask.
  const leaver = c.leavers.find((l) => l.team === 'ai')!.human;
  const orphan: Identity = b.identity({
    name: 'pricing-experiment-agent',
    kind: 'agent',
    environment: 'staging',
    origin: 'ai-platform',
    owner: leaver,
    purpose: 'A/B tests price points',
    credential: { createdAt: b.ago(200), expiresAt: b.ago(20) },
    status: 'orphaned',
    labels: { team: 'ai' },
    lastSeenDaysAgo: 25,
  });
  b.edge('sponsors', leaver.id, orphan.id);
  b.grant(orphan, c.res['orders-db-staging']!, ['read']);
}
