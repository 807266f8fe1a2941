/**
 * The demo's people, business systems and resources: ~25 humans in teams (five of whom have left),
 * eight systems, and the databases, buckets, secret stores, repos, clusters and SaaS tenants that the
 * identities reach.
 */
import type { Human, Resource, System } from '@keyward/sdk';
import type { EstateBuilder } from './demo-builder.js';

export const ENVIRONMENTS = ['prod', 'staging', 'dev'] as const;
export type DemoEnv = (typeof ENVIRONMENTS)[number];

export const TEAMS = ['payments', 'platform', 'data', 'security', 'support', 'ai', 'growth'] as const;
export type Team = (typeof TEAMS)[number];

/** [first, last, title, team, active] */
const PEOPLE: Array<[string, string, string, Team, boolean]> = [
  ['Ana', 'Ruiz', 'Payments lead', 'payments', true],
  ['Bo', 'Lindqvist', 'Senior engineer', 'payments', true],
  ['Chen', 'Wei', 'Engineer', 'payments', false],
  ['Dara', 'Okafor', 'Platform lead', 'platform', true],
  ['Eli', 'Novak', 'SRE', 'platform', true],
  ['Farah', 'Haddad', 'SRE', 'platform', false],
  ['Gus', 'Moreau', 'DevOps engineer', 'platform', true],
  ['Hana', 'Sato', 'Data lead', 'data', true],
  ['Ivan', 'Petrov', 'Data engineer', 'data', false],
  ['Jade', 'Kim', 'Analytics engineer', 'data', true],
  ['Kofi', 'Mensah', 'Data engineer', 'data', true],
  ['Lena', 'Fischer', 'Security lead', 'security', true],
  ['Marco', 'Bianchi', 'Security engineer', 'security', true],
  ['Nia', 'Thompson', 'Support engineering lead', 'support', true],
  ['Omar', 'Aziz', 'Support tooling engineer', 'support', false],
  ['Priya', 'Raman', 'Support engineer', 'support', true],
  ['Quinn', 'Walsh', 'AI platform lead', 'ai', true],
  ['Rosa', 'Delgado', 'ML engineer', 'ai', true],
  ['Sami', 'Laine', 'ML engineer', 'ai', true],
  ['Tomas', 'Havel', 'Agent engineer', 'ai', false],
  ['Uma', 'Iyer', 'Growth lead', 'growth', true],
  ['Victor', 'Costa', 'Marketing ops', 'growth', true],
  ['Wren', 'Baker', 'CTO', 'platform', true],
  ['Xin', 'Zhao', 'Engineer', 'growth', true],
  ['Yara', 'Nasser', 'IT admin', 'security', true],
];

export interface DemoCatalog {
  people: Array<{ human: Human; team: Team }>;
  /** Active members per team; the first is the lead. */
  team: Record<Team, Human[]>;
  /** People who have left, with their team. */
  leavers: Array<{ human: Human; team: Team }>;
  systems: Record<string, System>;
  /** Resources by name. */
  res: Record<string, Resource>;
}

export function buildCatalog(b: EstateBuilder): DemoCatalog {
  const people = PEOPLE.map(([first, last, title, team, active]) => ({
    human: b.human(
      `${first.toLowerCase()}.${last.toLowerCase()}@example.com`,
      `${first} ${last}`,
      title,
      active,
    ),
    team,
  }));
  const team = Object.fromEntries(TEAMS.map((t) => [t, [] as Human[]])) as Record<Team, Human[]>;
  for (const p of people) if (p.human.active) team[p.team].push(p.human);
  const leavers = people.filter((p) => !p.human.active);
  const lead = (t: Team) => team[t][0]!;

  const systems: Record<string, System> = {};
  const sys = (name: string, s: System['sensitivity'], owner: Human, description: string) => {
    systems[name] = b.system(name, s, owner, description);
    return systems[name];
  };
  const payments = sys('payments', 'critical', lead('payments'), 'Card payments, payouts and the ledger');
  const customer = sys('customer-data', 'critical', lead('data'), 'Customer profiles and PII');
  const data = sys('data-platform', 'high', lead('data'), 'Warehouse, lake and pipelines');
  const cicd = sys('ci-cd', 'high', lead('platform'), 'Build, test and deploy pipelines');
  const support = sys('support', 'medium', lead('support'), 'Ticketing and support automation');
  const obs = sys('observability', 'medium', lead('platform'), 'Logs, metrics and alerting');
  const ai = sys('ai-platform', 'high', lead('ai'), 'LLM agents, model serving and training data');
  const growth = sys('growth', 'low', lead('growth'), 'CRM and marketing automation');

  const res: Record<string, Resource> = {};
  const r = (...args: Parameters<EstateBuilder['resource']>) => {
    const created = b.resource(...args);
    res[created.name] = created;
    return created;
  };
  for (const env of ENVIRONMENTS) {
    const prod = env === 'prod';
    r(`payments-db-${env}`, 'database', prod ? 'critical' : 'medium', payments, env, {
      engine: 'rds-postgres',
    });
    r(`customer-db-${env}`, 'database', prod ? 'critical' : 'medium', customer, env, {
      engine: 'rds-postgres',
    });
    r(`orders-db-${env}`, 'database', prod ? 'high' : 'low', payments, env, { engine: 'postgres' });
    r(`k8s-${env}`, 'cluster', prod ? 'high' : 'medium', cicd, env, { provider: 'eks' });
    for (const ns of ['payments', 'data', 'support', 'ai', 'growth', 'platform']) {
      r(`k8s-${env}/${ns}`, 'namespace', prod ? 'medium' : 'low', cicd, env);
    }
  }
  r('vault-prod', 'secret_store', 'critical', cicd, 'prod', { product: 'hashicorp-vault' });
  r('vault-nonprod', 'secret_store', 'high', cicd, 'staging', { product: 'hashicorp-vault' });
  r('aws-secrets-manager-prod', 'secret_store', 'critical', cicd, 'prod', { account: '4120-prod' });
  r('aws-secrets-manager-dev', 'secret_store', 'medium', cicd, 'dev', { account: '7730-dev' });
  r('github-actions-secrets', 'secret_store', 'high', cicd, null);
  r('customer-exports-prod', 'bucket', 'critical', customer, 'prod', { provider: 's3' });
  r('data-lake-raw-prod', 'bucket', 'high', data, 'prod', { provider: 's3' });
  r('data-lake-raw-dev', 'bucket', 'low', data, 'dev', { provider: 's3' });
  r('ml-training-data', 'bucket', 'high', ai, 'prod', { provider: 's3' });
  r('ci-artifacts', 'bucket', 'medium', cicd, null, { provider: 's3' });
  r('logs-archive', 'bucket', 'medium', obs, 'prod', { provider: 's3' });
  r('snowflake-analytics-prod', 'database', 'high', data, 'prod', { engine: 'snowflake' });
  r('snowflake-analytics-dev', 'database', 'low', data, 'dev', { engine: 'snowflake' });
  for (const repo of [
    'payments-service',
    'checkout-web',
    'infra-terraform',
    'data-pipelines',
    'agent-platform',
    'support-tools',
  ]) {
    r(`github/acme/${repo}`, 'repository', repo === 'infra-terraform' ? 'critical' : 'medium', cicd, null);
  }
  r('stripe-api', 'api', 'critical', payments, 'prod', { vendor: 'stripe' });
  r('salesforce-crm', 'saas', 'high', growth, 'prod', { vendor: 'salesforce' });
  r('slack-workspace', 'saas', 'medium', support, 'prod', { vendor: 'slack' });
  r('zendesk', 'saas', 'high', support, 'prod', { vendor: 'zendesk' });
  r('datadog', 'saas', 'medium', obs, 'prod', { vendor: 'datadog' });
  r('openai-api', 'api', 'high', ai, 'prod', { vendor: 'openai' });
  r('aws-org-admins', 'group', 'critical', cicd, 'prod');
  r('data-readers', 'group', 'high', data, 'prod');
  return { people, team, leavers, systems, res };
}
