/** Estate KPIs from `/v1/posture/kpis`, each with the industry figure beside it where one exists. */
import type { PostureKpis } from '@keyward/sdk';
import { useResource } from '../api/use-resource.js';
import { Loaded } from '../ui/states.js';

export function KpiCards() {
  const kpis = useResource<PostureKpis>('/v1/posture/kpis', { refreshMs: 30_000 });
  return (
    <Loaded resource={kpis} what="Loading KPIs">
      {(k) => (
        <div className="kpis" data-testid="kpis">
          {k.kpis.map((x) => (
            <div className="kpi" key={x.key} data-kpi={x.key}>
              <div className="value">
                {x.value}
                {x.unit === '%' ? '%' : x.unit === 'days' ? ' days' : ''}
              </div>
              <div className="label">{x.label}</div>
              {x.industry ? (
                <div className={`industry verdict-${x.verdict ?? 'same'}`} title={x.industry.source}>
                  Industry: {x.industry.value}
                  {x.industry.unit === '%' ? '%' : ''} {x.industry.short}
                  {x.verdict ? ` · ${x.verdict}` : ''}
                </div>
              ) : null}
            </div>
          ))}
        </div>
      )}
    </Loaded>
  );
}
