/**
 * The decision API: `POST /v1/authorize` (OpenID AuthZEN evaluation shape) and
 * `POST /v1/authorize/batch` (AuthZEN evaluations: top-level fields are defaults for each item).
 * The caller is an API token with `write` (operator or admin); the subject is whoever the decision
 * is about. An invalid subject token is a deny, not a 401.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuditSource } from '../../audit/audit-types.js';
import type { AuthorizeResponse, AuthzenRequest } from '../../authz/authorize-service.js';
import { validationFailed } from '../../errors.js';

export interface AuthzRouteDeps {
  authz: { authorize(req: AuthzenRequest, source: AuditSource | null): Promise<AuthorizeResponse> };
}

const Properties = Type.Record(Type.String(), Type.Unknown());
const Subject = Type.Object(
  {
    type: Type.Union([Type.Literal('token'), Type.Literal('identity'), Type.Literal('human')]),
    id: Type.String({ minLength: 1, maxLength: 16384 }),
    properties: Type.Optional(Properties),
  },
  { additionalProperties: false },
);
const Action = Type.Object(
  {
    name: Type.String({
      pattern: '^[a-z][a-z0-9_]{0,63}$',
      description: 'a Keyward::Action id, e.g. read, write, call_tool',
    }),
    properties: Type.Optional(Properties),
  },
  { additionalProperties: false },
);
const Resource = Type.Object(
  {
    type: Type.Union(['resource', 'system', 'identity', 'tool'].map((t) => Type.Literal(t))),
    id: Type.String({ minLength: 1, maxLength: 512 }),
    properties: Type.Optional(Properties),
  },
  { additionalProperties: false },
);
const Context = Type.Object(
  {
    arguments: Type.Optional(Properties),
    source: Type.Optional(
      Type.Object(
        {
          ip: Type.Optional(Type.String({ maxLength: 64 })),
          userAgent: Type.Optional(Type.String({ maxLength: 512 })),
        },
        { additionalProperties: false },
      ),
    ),
    listing: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: true, description: 'other members are accepted and ignored' },
);
const Evaluation = Type.Object({
  decision: Type.Boolean(),
  context: Type.Object({
    outcome: Type.Union([Type.Literal('allow'), Type.Literal('deny'), Type.Literal('approval_required')]),
    decision_id: Type.String(),
    policy_ids: Type.Array(Type.String()),
    obligations: Type.Array(Type.Unknown()),
    reason: Type.String(),
    approval_id: Type.Optional(Type.String()),
    escalation: Type.Optional(Type.Boolean()),
  }),
});
const Single = Type.Object(
  { subject: Subject, action: Action, resource: Resource, context: Type.Optional(Context) },
  { additionalProperties: false },
);
const Partial = Type.Object(
  {
    subject: Type.Optional(Subject),
    action: Type.Optional(Action),
    resource: Type.Optional(Resource),
    context: Type.Optional(Context),
  },
  { additionalProperties: false },
);
const Batch = Type.Object(
  {
    subject: Type.Optional(Subject),
    action: Type.Optional(Action),
    resource: Type.Optional(Resource),
    context: Type.Optional(Context),
    evaluations: Type.Array(Partial, { minItems: 1, maxItems: 100 }),
  },
  { additionalProperties: false },
);

/** The request's own source, unless the caller (e.g. the MCP gateway) says whom it asks for. */
function sourceOf(request: FastifyRequest, context: Record<string, unknown> | undefined): AuditSource {
  const given = (context?.source ?? {}) as AuditSource;
  const ua = request.headers['user-agent'];
  return {
    ip: given.ip ?? request.ip,
    ...((given.userAgent ?? ua) ? { userAgent: given.userAgent ?? ua } : {}),
  };
}

export function registerAuthzRoutes(app: FastifyInstance, deps: AuthzRouteDeps): void {
  const tags = ['authorization'];
  const config = { permission: 'write' as const };
  app.post(
    '/v1/authorize',
    {
      config,
      schema: {
        tags,
        summary: 'Decide one request (AuthZEN evaluation): allow, deny or approval_required',
        body: Single,
        response: { 200: Evaluation },
      },
    },
    async (request) => {
      const body = request.body as AuthzenRequest;
      return deps.authz.authorize(body, sourceOf(request, body.context));
    },
  );
  app.post(
    '/v1/authorize/batch',
    {
      config,
      schema: {
        tags,
        summary: 'Decide up to 100 requests (AuthZEN evaluations; top-level fields are defaults)',
        body: Batch,
        response: { 200: Type.Object({ evaluations: Type.Array(Evaluation) }) },
      },
    },
    async (request) => {
      const { evaluations, ...defaults } = request.body as Partial<AuthzenRequest> & {
        evaluations: Array<Partial<AuthzenRequest>>;
      };
      const items = evaluations.map((item, i) => {
        const merged = { ...defaults, ...item };
        for (const field of ['subject', 'action', 'resource'] as const) {
          if (!merged[field]) {
            throw validationFailed(`evaluations[${i}] has no ${field} (and there is no default)`, [
              { path: `/evaluations/${i}/${field}`, message: 'required' },
            ]);
          }
        }
        return merged as AuthzenRequest;
      });
      const results = await Promise.all(
        items.map((item) => deps.authz.authorize(item, sourceOf(request, item.context))),
      );
      return { evaluations: results };
    },
  );
}
