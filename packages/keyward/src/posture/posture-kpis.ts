/**
 * Estate KPIs: visibility (owner, purpose, end), rotation within policy, over-privilege, standing vs
 * just-in-time credentials, credential age, orphans, open findings, time-to-revoke leaked secrets,
 * each beside the published industry figure where one exists. Computed on demand from the store
 * (one pass over identities, humans, edges, found credentials, recent tasks and leases); nothing
 * is stored. Findings are read as counts: the rules that raise them live elsewhere.
 */
import type { Identity, PostureIndustryFigure, PostureKpi, PostureKpis } from '@keyward/sdk';
import type { FindingService } from '../discovery/finding-service.js';
import type { Store } from '../storage/storage-types.js';
import { INDUSTRY_FIGURES, type IndustryFigure, type IndustryFigureKey } from './industry-figures.js';
import { countFindings, median, share } from './posture-math.js';
import { allPages, justInTime, overPrivileged, standingCredentials } from './posture-sources.js';

const DAY_MS = 86_400_000;
export const DEFAULT_ROTATION_PERIOD_DAYS = 90;
const MAX_EXAMPLES = 20;

export interface PostureKpiDeps {
  store: Store;
  now: () => Date;
  /** Leaked-secret figures (time-to-revoke); the finding service's. */
  findings: Pick<FindingService, 'figures'>;
}

const wireFigure = ({ value, unit, wording, short, source }: IndustryFigure): PostureIndustryFigure => ({
  value,
  unit,
  wording,
  short,
  source,
});

const isLive = (i: Identity) => i.status === 'active' || i.status === 'orphaned';

export function createPostureKpis({ store, now, findings }: PostureKpiDeps) {
  function kpi(
    key: string,
    label: string,
    value: number | null,
    unit: PostureKpi['unit'],
    extra: { count?: number; of?: number; industry?: IndustryFigureKey; note?: string } = {},
  ): PostureKpi {
    const figure = extra.industry ? INDUSTRY_FIGURES[extra.industry] : undefined;
    let verdict: PostureKpi['verdict'] = null;
    if (figure && value !== null) {
      verdict =
        value === figure.value ? 'same' : value > figure.value === figure.higherIsBetter ? 'better' : 'worse';
    }
    return {
      key,
      label,
      value,
      unit,
      ...(extra.count !== undefined ? { count: extra.count, of: extra.of } : {}),
      industry: figure ? wireFigure(figure) : null,
      verdict,
      ...(extra.note ? { note: extra.note } : {}),
    };
  }

  async function compute(): Promise<PostureKpis> {
    const at = now().getTime();
    const inactive = new Map<string, string>();
    for await (const h of allPages((cursor) => store.humans.list({ active: false }, { cursor, limit: 1000 })))
      inactive.set(h.id, h.name);
    const live = new Map<string, Identity>();
    for await (const i of allPages((cursor) => store.identities.list({}, { cursor, limit: 1000 })))
      if (isLive(i)) live.set(i.id, i);

    let withOwner = 0;
    let withPurpose = 0;
    let withEnd = 0;
    let full = 0;
    let orphans = 0;
    let identitiesOfOwnersLeft = 0;
    const ownersLeft = new Set<string>();
    const examples: PostureKpis['offboarding']['examples'] = [];
    for (const i of live.values()) {
      const owner = i.ownerId !== null && i.ownerId !== '';
      const purpose = (i.purpose ?? '').trim() !== '';
      const end = Boolean(i.credential.expiresAt) || Boolean(i.reviewDate);
      if (owner) withOwner++;
      if (purpose) withPurpose++;
      if (end) withEnd++;
      if (owner && purpose && end) full++;
      const ownerLeft = owner && inactive.has(i.ownerId as string);
      if (ownerLeft) {
        identitiesOfOwnersLeft++;
        ownersLeft.add(i.ownerId as string);
        examples.push({ id: i.id, name: i.name, ownerName: inactive.get(i.ownerId as string) ?? '' });
      }
      if (i.status === 'orphaned' || ownerLeft) orphans++;
    }

    const standing = await standingCredentials(store, live);
    let rotated = 0;
    const ages: number[] = [];
    for (const [id, issued] of standing) {
      const period = (live.get(id)?.credential.rotationPeriodDays ?? DEFAULT_ROTATION_PERIOD_DAYS) * DAY_MS;
      if (issued.every((t) => at - t <= period)) rotated++;
      for (const t of issued) ages.push((at - t) / DAY_MS);
    }
    const standingCount = [...standing.values()].reduce((n, list) => n + list.length, 0);
    const jit = await justInTime(store, at);
    const over = await overPrivileged(store, live);
    const counted = countFindings(await store.findings.countBy());
    const leaks = (await findings.figures()).leakedSecrets;

    const n = live.size;
    const holders = standing.size;
    const round = (v: number | null, digits = 1) => (v === null ? null : Number(v.toFixed(digits)));
    const kpis: PostureKpi[] = [
      kpi('withOwner', 'NHIs with an owner', share(withOwner, n), '%', { count: withOwner, of: n }),
      kpi('withPurpose', 'NHIs with a purpose', share(withPurpose, n), '%', { count: withPurpose, of: n }),
      kpi('withEnd', 'NHIs with an end date (expiry or review)', share(withEnd, n), '%', {
        count: withEnd,
        of: n,
      }),
      kpi('fullVisibility', 'NHIs with owner, purpose and end (full visibility)', share(full, n), '%', {
        count: full,
        of: n,
        industry: 'fullVisibility',
      }),
      kpi(
        'rotatedWithinPolicy',
        'NHIs with standing credentials rotated within policy',
        share(rotated, holders),
        '%',
        {
          count: rotated,
          of: holders,
        },
      ),
      kpi(
        'notRotatedInTime',
        'NHIs with standing credentials not rotated in time',
        share(holders - rotated, holders),
        '%',
        {
          count: holders - rotated,
          of: holders,
          industry: 'notRotatedInTime',
        },
      ),
      kpi(
        'overPrivileged',
        'NHIs over-privileged (wildcard/admin grants, write on critical, NHI5)',
        share(over.size, n),
        '%',
        {
          count: over.size,
          of: n,
          industry: 'overPrivileged',
        },
      ),
      kpi(
        'standingCredentials',
        'Standing credentials (vs just-in-time in the last 24 h)',
        share(standingCount, standingCount + jit),
        '%',
        {
          count: standingCount,
          of: standingCount + jit,
        },
      ),
      kpi('medianCredentialAgeDays', 'Median standing credential age', round(median(ages)), 'days'),
      kpi('orphans', 'Orphaned NHIs (status orphaned, or owner left)', orphans, 'count'),
      kpi(
        'ownerLeftIdentities',
        'Live NHIs still owned by people who left',
        identitiesOfOwnersLeft,
        'count',
        {
          note: `offboarding is built in (orphaned, then disabled after the grace period: keyward lifecycle offboarding); ${ownersLeft.size} people who left still own live identities`,
        },
      ),
      kpi('openFindings', 'Open findings (all NHI codes)', counted.open, 'count'),
      kpi(
        'medianHoursToRevoke',
        'Median time to revoke a leaked secret',
        round(leaks.medianHoursToRevoke),
        'hours',
        {
          note: `${leaks.open} leaked secrets open, ${leaks.revoked} revoked`,
        },
      ),
    ];
    // Offboarding: the surveys count organisations with a formal process; with none built in, an
    // estate compares on outcome: nobody who left still owns a live identity.
    const offboarding = kpis.find((k) => k.key === 'ownerLeftIdentities') as PostureKpi;
    offboarding.industry = wireFigure(INDUSTRY_FIGURES.offboarding);
    offboarding.verdict = identitiesOfOwnersLeft === 0 ? 'better' : 'worse';

    return {
      generatedAt: new Date(at).toISOString(),
      liveIdentities: n,
      defaultRotationPeriodDays: DEFAULT_ROTATION_PERIOD_DAYS,
      kpis,
      credentials: {
        standing: standingCount,
        justInTime: jit,
        standingShare: share(standingCount, standingCount + jit),
      },
      findings: counted,
      offboarding: {
        builtIn: true,
        ownersLeft: ownersLeft.size,
        identitiesOfOwnersLeft,
        examples: examples.sort((a, b) => a.name.localeCompare(b.name)).slice(0, MAX_EXAMPLES),
      },
      leakedSecrets: {
        open: leaks.open,
        revoked: leaks.revoked,
        medianHoursToRevoke: leaks.medianHoursToRevoke,
      },
    };
  }

  return { kpis: compute };
}

export type PostureKpiService = ReturnType<typeof createPostureKpis>;
