/**
 * Console read routes: `GET /v1/overview` (live counts, findings by NHI code, alerts by severity,
 * per-day trends) and `GET /v1/findings/counts` (open findings of a page of identities). The
 * static `/v1/findings/counts` wins over `/v1/findings/:id` in Fastify's router, and `counts` is
 * no finding id (those are `fnd_` + 32 hex) either way.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ALERT_SEVERITIES } from '../../detection/alert-types.js';
import { FINDING_SEVERITIES } from '../../discovery/discovery-types.js';
import { KeywardError } from '../../errors.js';
import { ID_PREFIX, isWellFormedId } from '../../ids.js';
import {
  MAX_COUNT_IDS,
  OVERVIEW_DEFAULT_DAYS,
  OVERVIEW_MAX_DAYS,
  type OverviewService,
} from '../../posture/overview-service.js';

export interface OverviewRouteDeps {
  overview: OverviewService;
}

const strict = { additionalProperties: false };
const Count = Type.Integer({ minimum: 0 });
const literals = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));
const WORST_FIRST = [...FINDING_SEVERITIES].reverse();

const OverviewQuery = Type.Object(
  {
    days: Type.Optional(
      Type.Integer({ minimum: 1, maximum: OVERVIEW_MAX_DAYS, default: OVERVIEW_DEFAULT_DAYS }),
    ),
  },
  strict,
);

const OverviewResponse = Type.Object({
  generatedAt: Type.String({ format: 'date-time' }),
  live: Type.Object({
    identities: Type.Integer({ description: 'active or orphaned (not disabled or revoked)' }),
    activeTasks: Type.Integer({ description: 'status active and not expired' }),
    activeLeases: Type.Integer({ description: 'brokered credential leases in status active' }),
    liveAccessTokens: Type.Union([Type.Integer(), Type.Null()], {
      description: 'issued access tokens neither revoked nor expired',
    }),
    pendingApprovals: Type.Integer({ description: 'pending and not expired' }),
    openAlerts: Type.Integer({ description: 'alerts in status open' }),
    openFindings: Type.Integer({ description: 'findings in status open (accepted ones are not)' }),
  }),
  findingsByCode: Type.Array(
    Type.Object({
      code: Type.String(),
      ...Object.fromEntries(WORST_FIRST.map((s) => [s, Count])),
      total: Count,
    }),
    { description: 'open findings of NHI1 … NHI10, in that order, every code present' },
  ),
  alertsBySeverity: Type.Array(Type.Object({ severity: literals(ALERT_SEVERITIES), open: Count }), {
    description: 'critical, high, medium, low',
  }),
  trends: Type.Object({
    days: Type.Integer(),
    series: Type.Array(
      Type.Object({
        name: literals([
          'identitiesCreated',
          'findingsOpened',
          'findingsResolved',
          'alertsRaised',
          'credentialsIssued',
        ]),
        points: Type.Array(Type.Object({ t: Type.String({ format: 'date' }), v: Count }), {
          description: 'one per UTC day of the window, oldest first, zeros included',
        }),
      }),
    ),
  }),
});

const CountsQuery = Type.Object(
  {
    identityIds: Type.String({
      minLength: 1,
      // Room for more ids than allowed, so that too many gets its own message (parseIds).
      maxLength: 16_384,
      description: `comma-separated identity ids, at most ${MAX_COUNT_IDS}`,
    }),
  },
  strict,
);

const CountsResponse = Type.Object({
  counts: Type.Record(
    Type.String(),
    Type.Object({ open: Count, worst: Type.Union([literals(WORST_FIRST), Type.Null()]) }),
    { description: 'every asked identity id, with its open findings and their worst severity' },
  ),
});

/** The asked ids, checked: identity ids only, at most MAX_COUNT_IDS distinct. */
function parseIds(raw: string): string[] {
  const ids = [...new Set(raw.split(',').map((s) => s.trim()))];
  const bad = ids.find((id) => !isWellFormedId(id) || !id.startsWith(ID_PREFIX.identity));
  if (bad !== undefined) {
    throw new KeywardError('validation_failed', 'identityIds must be identity ids', {
      errors: [{ path: '/identityIds', message: `not an identity id: ${JSON.stringify(bad.slice(0, 40))}` }],
    });
  }
  if (ids.length > MAX_COUNT_IDS) {
    throw new KeywardError('validation_failed', `at most ${MAX_COUNT_IDS} identity ids`, {
      errors: [{ path: '/identityIds', message: `${ids.length} ids, at most ${MAX_COUNT_IDS}` }],
    });
  }
  return ids;
}

export function registerOverviewRoutes(app: FastifyInstance, { overview }: OverviewRouteDeps): void {
  app.get(
    '/v1/overview',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['posture'],
        summary:
          'Console overview: live counts, open findings by NHI code and severity, open alerts by severity, per-day trends (UTC days)',
        querystring: OverviewQuery,
        response: { 200: OverviewResponse },
      },
    },
    async (request) => overview.overview((request.query as { days?: number }).days),
  );

  app.get(
    '/v1/findings/counts',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['discovery'],
        summary: 'Open findings and their worst severity per identity, for a page of identities',
        querystring: CountsQuery,
        response: { 200: CountsResponse },
      },
    },
    async (request) =>
      overview.findingCounts(parseIds((request.query as { identityIds: string }).identityIds)),
  );
}
