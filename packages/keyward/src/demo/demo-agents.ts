/** AI agents of the demo estate: human sponsors, creators (CI or a human) and delegated sub-agents. */
import type { Identity, IdentityKind } from '@keyward/sdk';
import type { EstateBuilder } from './demo-builder.js';
import type { DemoCatalog } from './demo-catalog.js';

/** Agents: a human sponsors each, CI or a human created it, and it delegates to narrower sub-agents. */
export function buildAgents(b: EstateBuilder, c: DemoCatalog): void {
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
