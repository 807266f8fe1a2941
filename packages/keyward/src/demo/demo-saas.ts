import type { EstateBuilder } from './demo-builder.js';
import { type DemoCatalog, ENVIRONMENTS } from './demo-catalog.js';

export function buildSaas(b: EstateBuilder, c: DemoCatalog): void {
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

export function buildCertificatesAndBots(b: EstateBuilder, c: DemoCatalog): void {
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
