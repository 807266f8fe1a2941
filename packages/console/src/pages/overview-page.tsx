/**
 * Overview: the estate at a glance. KPIs against industry figures, what is live right now (refreshed
 * every 5 s), findings by OWASP NHI code and severity, open alerts by severity, and 30-day trends.
 */
import type { Overview } from '@keyward/sdk';
import { Link } from 'react-router';
import { useResource } from '../api/use-resource.js';
import { KpiCards } from '../overview/kpi-cards.js';
import { BarChart, LineChart, StackedBars } from '../ui/charts.js';
import { PageHeader } from '../ui/layout.js';
import { Loaded } from '../ui/states.js';

const SEVERITY_TONES = { critical: 'red', high: 'orange', medium: 'yellow', low: 'blue' } as const;
const SERIES: Record<string, { label: string; tone: string }> = {
  identitiesCreated: { label: 'identities created', tone: 'blue' },
  findingsOpened: { label: 'findings opened', tone: 'orange' },
  findingsResolved: { label: 'findings resolved', tone: 'green' },
  alertsRaised: { label: 'alerts raised', tone: 'red' },
  credentialsIssued: { label: 'credentials issued', tone: 'grey' },
};

function LiveNow({ live }: { live: Overview['live'] }) {
  const cells: Array<[string, number | null, string]> = [
    ['identities', live.identities, '/inventory'],
    ['active tasks', live.activeTasks, '/audit?type=task.created'],
    ['brokered leases', live.activeLeases, '/audit'],
    ['live access tokens', live.liveAccessTokens, '/audit'],
    ['pending approvals', live.pendingApprovals, '/approvals'],
    ['open alerts', live.openAlerts, '/alerts'],
    ['open findings', live.openFindings, '/findings'],
  ];
  return (
    <div className="live-grid" data-testid="live-now">
      {cells
        .filter(([, v]) => v !== null)
        .map(([label, value, to]) => (
          <Link key={label} to={to} className="kpi">
            <div className="value">{value}</div>
            <div className="label">{label}</div>
          </Link>
        ))}
    </div>
  );
}

export function OverviewPage() {
  const overview = useResource<Overview>('/v1/overview?days=30', { refreshMs: 5_000 });
  return (
    <>
      <PageHeader title="Overview" />
      <Loaded resource={overview} what="Loading the estate">
        {(o) => (
          <>
            <section className="panel">
              <h2>
                <span className="live-dot live" aria-hidden="true" />
                Live now
              </h2>
              <LiveNow live={o.live} />
            </section>
            <div className="grid">
              <section className="panel">
                <StackedBars
                  title="Open findings by OWASP NHI code"
                  stacks={o.findingsByCode.map((f) => ({
                    label: f.code,
                    href: `/findings?code=${f.code}`,
                    parts: (['critical', 'high', 'medium', 'low'] as const).map((s) => ({
                      name: s,
                      value: f[s],
                      tone: SEVERITY_TONES[s],
                    })),
                  }))}
                />
              </section>
              <section className="panel">
                <BarChart
                  title="Open alerts by severity"
                  bars={o.alertsBySeverity.map((a) => ({
                    label: a.severity,
                    value: a.open,
                    tone: SEVERITY_TONES[a.severity as keyof typeof SEVERITY_TONES] ?? 'grey',
                  }))}
                />
              </section>
              <section className="panel">
                <LineChart
                  title={`Last ${o.trends.days} days`}
                  series={o.trends.series.map((s) => ({
                    name: SERIES[s.name]?.label ?? s.name,
                    tone: SERIES[s.name]?.tone ?? 'grey',
                    points: s.points,
                  }))}
                />
              </section>
            </div>
          </>
        )}
      </Loaded>
      <section className="panel">
        <h2>Estate KPIs</h2>
        <KpiCards />
      </section>
    </>
  );
}
