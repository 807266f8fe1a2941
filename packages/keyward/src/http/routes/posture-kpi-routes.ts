/** Posture routes: the estate KPIs as JSON, and as a Markdown or HTML report. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { PostureKpiService } from '../../posture/posture-kpis.js';
import { type ReportFormat, renderReport } from '../../posture/posture-report.js';

export interface PostureRouteDeps {
  posture: PostureKpiService;
}

const CONTENT_TYPES: Record<ReportFormat, string> = {
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
};

export function registerPostureKpiRoutes(app: FastifyInstance, { posture }: PostureRouteDeps): void {
  app.get(
    '/v1/posture/kpis',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['posture'],
        summary:
          'Estate KPIs (visibility, rotation, over-privilege, standing vs just-in-time, orphans, findings, time-to-revoke) beside the industry figures',
        response: { 200: Type.Object({}, { additionalProperties: true }) },
      },
    },
    async () => posture.kpis(),
  );
  app.get(
    '/v1/posture/report',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['posture'],
        summary:
          'The estate KPIs as a report: text/markdown (format=md, default) or a self-contained text/html page',
        querystring: Type.Object(
          { format: Type.Optional(Type.Union([Type.Literal('md'), Type.Literal('html')])) },
          { additionalProperties: false },
        ),
        response: { 200: Type.String() },
      },
    },
    async (request, reply) => {
      const format = (request.query as { format?: ReportFormat }).format ?? 'md';
      reply.type(CONTENT_TYPES[format]);
      return renderReport(await posture.kpis(), format);
    },
  );
}
