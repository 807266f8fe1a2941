/**
 * The policy store over HTTP: the active set, versions, apply and rollback (admin), and diff (replay
 * recent decisions against a candidate set). Validation and tests run offline in the CLI; apply
 * validates again here, so an invalid set never becomes a version.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Authz } from '../../authz/authz-module.js';
import type { PolicyFile } from '../../authz/policy-set.js';
import { actorOf } from '../auth-hook.js';

export interface PolicyRouteDeps {
  authz: Pick<Authz, 'policies' | 'diff'>;
}

const strict = { additionalProperties: false } as const;
const Files = Type.Array(
  Type.Object(
    {
      name: Type.String({ pattern: '^[A-Za-z0-9_][A-Za-z0-9_./-]{0,199}$' }),
      text: Type.String({ maxLength: 1_000_000 }),
    },
    strict,
  ),
  { minItems: 0, maxItems: 500 },
);
const Reason = Type.String({ minLength: 1, maxLength: 500 });
const VersionNumber = Type.Integer({ minimum: 0 });
const VersionMeta = {
  version: Type.Integer(),
  hash: Type.String(),
  kind: Type.String(),
  restoredFrom: Type.Union([Type.Integer(), Type.Null()]),
  createdAt: Type.Union([Type.String(), Type.Null()]),
  createdBy: Type.Union([Type.String(), Type.Null()]),
  reason: Type.String(),
};
const SetView = Type.Object({
  ...VersionMeta,
  policyIds: Type.Array(Type.String()),
  approvalPolicyIds: Type.Array(Type.String()),
  files: Type.Array(Type.Object({ name: Type.String(), text: Type.String() })),
});
const HistoryItem = Type.Object({ ...VersionMeta, replaces: Type.Union([Type.Integer(), Type.Null()]) });
const Change = Type.Object({
  decisionId: Type.String(),
  time: Type.String(),
  count: Type.Integer(),
  principal: Type.String(),
  action: Type.String(),
  resource: Type.String(),
  recorded: Type.String(),
  current: Type.String(),
  candidate: Type.String(),
  candidatePolicyIds: Type.Array(Type.String()),
  candidateReason: Type.String(),
});

export function registerPolicyRoutes(app: FastifyInstance, deps: PolicyRouteDeps): void {
  const tags = ['policies'];
  const { policies } = deps.authz;
  app.get(
    '/v1/policies',
    {
      config: { permission: 'read' },
      schema: { tags, summary: 'The active policy set', response: { 200: SetView } },
    },
    async () => {
      await policies.refresh();
      return policies.active();
    },
  );
  app.get(
    '/v1/policies/versions',
    {
      config: { permission: 'read' },
      schema: {
        tags,
        summary: 'Policy versions, newest first',
        querystring: Type.Object(
          {
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
            before: Type.Optional(VersionNumber),
          },
          strict,
        ),
        response: { 200: Type.Object({ items: Type.Array(HistoryItem) }) },
      },
    },
    async (request) => {
      const q = request.query as { limit?: number; before?: number };
      const items = await policies.history(q.limit ?? 100, q.before);
      return { items: items.map(({ files: _files, ...meta }) => meta) };
    },
  );
  app.get(
    '/v1/policies/versions/:version',
    {
      config: { permission: 'read' },
      schema: {
        tags,
        summary: 'One policy version (0: the built-in default set)',
        params: Type.Object({ version: VersionNumber }, strict),
        response: { 200: SetView },
      },
    },
    async (request) => policies.version((request.params as { version: number }).version),
  );
  app.post(
    '/v1/policies',
    {
      config: { permission: 'admin' },
      schema: {
        tags,
        summary:
          'Apply a policy set: validated, stored as a new version, active at once (audited as policy.applied)',
        body: Type.Object({ files: Files, reason: Reason }, strict),
        response: { 201: SetView },
      },
    },
    async (request, reply) => {
      const body = request.body as { files: PolicyFile[]; reason: string };
      return reply.code(201).send(await policies.apply(actorOf(request), body.files, body.reason));
    },
  );
  app.post(
    '/v1/policies/rollback',
    {
      config: { permission: 'admin' },
      schema: {
        tags,
        summary: 'Make an earlier version active again (default: the one the active version replaced)',
        body: Type.Object({ to: Type.Optional(VersionNumber), reason: Reason }, strict),
        response: { 201: SetView },
      },
    },
    async (request, reply) => {
      const body = request.body as { to?: number; reason: string };
      return reply.code(201).send(await policies.rollback(actorOf(request), body.to, body.reason));
    },
  );
  app.post(
    '/v1/policies/diff',
    {
      config: { permission: 'read' },
      schema: {
        tags,
        summary: 'Replay recent decisions against a candidate set; list every decision that would change',
        body: Type.Object(
          { files: Files, limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })) },
          strict,
        ),
        response: {
          200: Type.Object({
            replayed: Type.Integer(),
            distinct: Type.Integer(),
            skipped: Type.Integer(),
            changed: Type.Integer(),
            changes: Type.Array(Change),
          }),
        },
      },
    },
    async (request) => {
      const body = request.body as { files: PolicyFile[]; limit?: number };
      return deps.authz.diff(body.files, body.limit);
    },
  );
}
