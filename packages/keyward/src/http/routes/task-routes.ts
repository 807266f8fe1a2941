/**
 * Task routes. Creating a task is the agent's own act, proven by headers, never by an API token:
 *   X-Keyward-Client-Assertion  the agent's private_key_jwt assertion (or federated workload token)
 *   X-Keyward-Sponsor-Token     the sponsor's ID token from a trusted issuer (top-level tasks)
 *   X-Keyward-Parent-Token      a live access token of the parent task (child tasks)
 * Reading, completing and cancelling: an API token (read / write), or the task's own agent.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { KeywardError, validationFailed } from '../../errors.js';
import { TASK_STATUSES, type TaskFilter, type TaskScope } from '../../storage/storage-types.js';
import { parseScope } from '../../tasks/task-scopes.js';
import type { TaskService } from '../../tasks/task-service.js';
import {
  ASSERTION_HEADER,
  authenticateCaller,
  type CallerAuthDeps,
  callerId,
  headerOf,
} from '../caller-auth.js';
import * as S from '../schemas.js';

export interface TaskRouteDeps extends CallerAuthDeps {
  tasks: TaskService;
}

const strict = { additionalProperties: false } as const;
const TaskId = Type.String({ pattern: '^tsk_[0-9a-f]{32}$' });
const ScopeObject = Type.Object(
  {
    action: Type.String({ minLength: 1, maxLength: 64 }),
    resource: Type.String({ minLength: 1, maxLength: 201 }),
  },
  strict,
);
const ScopeItem = Type.Union([
  Type.String({ minLength: 3, maxLength: 270, description: '<action>:<resource>' }),
  ScopeObject,
]);
const TaskInput = Type.Object(
  {
    agent: S.Id,
    sponsor: Type.Optional(S.Id),
    intent: Type.String({ minLength: 1, maxLength: 2000 }),
    scopes: Type.Array(ScopeItem, { minItems: 1, maxItems: 50 }),
    environment: S.Environment,
    ttlSeconds: Type.Integer({ minimum: 1 }),
    parentTaskId: Type.Optional(TaskId),
  },
  strict,
);
const TaskStatus = Type.Union(TASK_STATUSES.map((s) => Type.Literal(s)));
const Task = Type.Object({
  id: Type.String(),
  agentId: Type.String(),
  sponsorId: Type.String(),
  intent: Type.String(),
  scopes: Type.Array(ScopeObject),
  environment: Type.String(),
  parentTaskId: S.Nullable(Type.String()),
  status: TaskStatus,
  createdAt: Type.String(),
  expiresAt: Type.String(),
  endedAt: S.Nullable(Type.String()),
  endReason: S.Nullable(Type.String()),
});
const Credential = Type.Object({
  database: Type.String(),
  leaseId: Type.String(),
  username: Type.String(),
  password: Type.String(),
  connectionUrl: Type.String(),
  validUntil: Type.String(),
});
const IdParams = Type.Object({ id: TaskId }, strict);
const ListQuery = Type.Object(
  {
    agentId: Type.Optional(Type.String()),
    sponsorId: Type.Optional(Type.String()),
    status: Type.Optional(TaskStatus),
    parentTaskId: Type.Optional(Type.String()),
    environment: Type.Optional(Type.String()),
    cursor: Type.Optional(Type.String()),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  strict,
);

function toScopes(items: Array<string | TaskScope>): TaskScope[] {
  return items.map((item, i) => {
    if (typeof item !== 'string') return item;
    const scope = parseScope(item);
    if (!scope)
      throw validationFailed(`scopes[${i}] is not <action>:<resource>`, [
        { path: `/scopes/${i}`, message: 'malformed scope' },
      ]);
    return scope;
  });
}

export function registerTaskRoutes(app: FastifyInstance, deps: TaskRouteDeps): void {
  const tags = ['tasks'];
  const config = { public: true };
  app.post(
    '/v1/tasks',
    {
      config,
      schema: {
        tags,
        summary: 'Open a task (agent + proven sponsor consent)',
        security: [],
        body: TaskInput,
        response: { 201: Type.Object({ task: Task, credentials: Type.Array(Credential) }) },
      },
    },
    async (request, reply) => {
      const body = request.body as Omit<Parameters<TaskService['create']>[0], 'scopes'> & {
        scopes: Array<string | TaskScope>;
      };
      const created = await deps.tasks.create(
        { ...body, scopes: toScopes(body.scopes) },
        {
          agentCredential: headerOf(request, ASSERTION_HEADER),
          sponsorToken: headerOf(request, 'x-keyward-sponsor-token'),
          parentToken: headerOf(request, 'x-keyward-parent-token'),
        },
      );
      reply.header('cache-control', 'no-store');
      return reply.code(201).send(created);
    },
  );
  app.get(
    '/v1/tasks',
    {
      config: { permission: 'read' },
      schema: {
        tags,
        summary: 'List tasks',
        querystring: ListQuery,
        response: { 200: Type.Object({ items: Type.Array(Task), nextCursor: S.Nullable(Type.String()) }) },
      },
    },
    async (request) => {
      const { cursor, limit, ...filter } = request.query as TaskFilter & { cursor?: string; limit?: number };
      return deps.tasks.list(filter, { cursor, limit });
    },
  );
  /** An agent may see and end only its own tasks. */
  async function authorized(
    request: Parameters<typeof authenticateCaller>[1],
    id: string,
    permission: 'read' | 'write',
  ) {
    const caller = await authenticateCaller(deps, request, permission);
    const task = await deps.tasks.get(id);
    if (caller.kind === 'agent' && caller.identity.id !== task.agentId) {
      throw new KeywardError('forbidden', 'an agent may only act on its own tasks');
    }
    return { caller, task };
  }
  app.get(
    '/v1/tasks/:id',
    { config, schema: { tags, summary: 'One task', params: IdParams, response: { 200: Task } } },
    async (request) => (await authorized(request, (request.params as { id: string }).id, 'read')).task,
  );
  app.post(
    '/v1/tasks/:id/complete',
    {
      config,
      schema: {
        tags,
        summary: 'Complete a task: its tokens, child tasks and brokered credentials are revoked',
        params: IdParams,
        response: { 200: Task },
      },
    },
    async (request) => {
      const { caller, task } = await authorized(request, (request.params as { id: string }).id, 'write');
      return deps.tasks.complete(callerId(caller), task.id);
    },
  );
  app.post(
    '/v1/tasks/:id/cancel',
    {
      config,
      schema: {
        tags,
        summary: 'Cancel a task (revokes as complete does)',
        params: IdParams,
        response: { 200: Task },
      },
    },
    async (request) => {
      const { caller, task } = await authorized(request, (request.params as { id: string }).id, 'write');
      const reason = (request.body as { reason?: unknown } | undefined)?.reason;
      if (reason !== undefined && (typeof reason !== 'string' || reason.length < 1 || reason.length > 500)) {
        throw validationFailed('reason must be 1-500 characters', [
          { path: '/reason', message: '1-500 characters' },
        ]);
      }
      return deps.tasks.cancel(callerId(caller), task.id, reason);
    },
  );
}
