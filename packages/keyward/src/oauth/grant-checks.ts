/**
 * Checks both grants share: the task (the acting agent's own, active, sponsor still active), the
 * requested scopes (only ever narrowing), the audience (RFC 8707 `resource`) and the TTL.
 */
import type { Store, Task, TaskScope } from '../storage/storage-types.js';
import { formatScopeList, parseScopeList, resourceWithin, scopesWithin } from '../tasks/task-scopes.js';
import type { FormParams } from './form-params.js';
import { param, required } from './form-params.js';
import type { GrantReads } from './grant-read-cache.js';
import { oauthError } from './oauth-error.js';

export async function loadAgentTask(
  store: Pick<Store, 'tasks' | 'humans'> | Pick<GrantReads, 'tasks' | 'humans'>,
  params: FormParams,
  agentId: string,
  now: Date,
): Promise<Task> {
  const taskId = required(params, 'task_id');
  const task = await store.tasks.get(taskId);
  if (!task || task.agentId !== agentId)
    throw oauthError('invalid_grant', 'task_id is not a task of this client');
  if (task.status !== 'active') throw oauthError('invalid_grant', `task ${task.id} is ${task.status}`);
  if (Date.parse(task.expiresAt) <= now.getTime())
    throw oauthError('invalid_grant', `task ${task.id} has expired`);
  const sponsor = await store.humans.get(task.sponsorId);
  if (!sponsor?.active) throw oauthError('invalid_grant', "the task's sponsor is not active");
  return task;
}

/** The requested scopes (default: all of `ceiling[0]`), which must lie within every ceiling. */
export function grantedScopes(
  params: FormParams,
  ceilings: ReadonlyArray<readonly TaskScope[]>,
): TaskScope[] {
  const text = param(params, 'scope');
  const requested = text === undefined ? [...ceilings[0]!] : parseScopeList(text);
  if (!requested)
    throw oauthError('invalid_scope', 'scope must be space-separated <action>:<resource> entries');
  for (const ceiling of ceilings) {
    if (!scopesWithin(requested, ceiling)) {
      throw oauthError('invalid_scope', `scope exceeds what is granted: ${formatScopeList(ceiling)}`);
    }
  }
  return requested;
}

/**
 * The token's `aud`: the `resource` parameter, which must be a configured resource-server
 * audience or lie within a granted scope's resource. Without `resource`, the one exact resource
 * the scopes name (if they name exactly one).
 */
export function audienceFor(
  params: FormParams,
  scopes: readonly TaskScope[],
  configured: readonly string[],
): string {
  const resource = param(params, 'resource');
  if (resource === undefined) {
    const names = [...new Set(scopes.map((s) => s.resource))];
    if (names.length === 1 && !names[0]!.endsWith('*')) return names[0]!;
    throw oauthError(
      'invalid_target',
      'resource is required when the scopes name several resources or a pattern',
    );
  }
  if (configured.includes(resource) || scopes.some((s) => resourceWithin(resource, s.resource))) {
    if (resource.endsWith('*')) throw oauthError('invalid_target', 'resource must not be a pattern');
    return resource;
  }
  throw oauthError(
    'invalid_target',
    `resource ${JSON.stringify(resource).slice(0, 100)} is not covered by the granted scopes`,
  );
}

/** Seconds until `iso`, floored. */
export const secondsUntil = (iso: string | number, now: Date): number =>
  Math.floor(((typeof iso === 'number' ? iso * 1000 : Date.parse(iso)) - now.getTime()) / 1000);
