/**
 * Turns an AuthZEN subject into the principal the engine evaluates and the facts around it. A
 * `token` subject is a Keyward access token, verified (signature, expiry, not revoked, task still
 * active) with the access-token verifier: the principal is the current actor (the outermost `act`,
 * else `sub`), the task and its scopes come from the token, and the delegation chain lists whom
 * the actor acts for, outermost first. An invalid token is not an error: the decision is a deny.
 */
import type { AccessTokenVerifier } from '../oauth/access-token-verifier.js';
import { chainActors, chainDepth } from '../oauth/delegation-chain.js';
import type { Task, TaskScope, TaskStore } from '../storage/storage-types.js';
import { parseScopeList } from '../tasks/task-scopes.js';
import type { EntityCatalog, EntitySlice } from './entity-catalog.js';

export interface AuthzenSubject {
  type: 'token' | 'identity' | 'human';
  id: string;
  properties?: Record<string, unknown> | undefined;
}

export interface ResolvedSubject {
  principal: EntitySlice;
  task: Task | null;
  /** The scopes the request must lie within (the token's, which never exceed its task's). */
  scopes: TaskScope[] | null;
  delegationChain: string[];
  depth: number;
}

export type SubjectResult =
  | { ok: true; subject: ResolvedSubject }
  | { ok: false; reason: string; actor: string };

export interface SubjectResolverDeps {
  catalog: EntityCatalog;
  accessTokens: Pick<AccessTokenVerifier, 'verifyActive'>;
  tasks: Pick<TaskStore, 'get'>;
}

export function createSubjectResolver(deps: SubjectResolverDeps) {
  async function principalById(id: string): Promise<EntitySlice | undefined> {
    return (await deps.catalog.get('identity', id)) ?? (await deps.catalog.get('human', id));
  }

  return async function resolve(subject: AuthzenSubject): Promise<SubjectResult> {
    if (subject.type !== 'token') {
      const principal = await deps.catalog.get(subject.type, subject.id);
      if (!principal)
        return {
          ok: false,
          reason: `unknown ${subject.type} ${JSON.stringify(subject.id)}`,
          actor: 'unknown',
        };
      return { ok: true, subject: { principal, task: null, scopes: null, delegationChain: [], depth: 0 } };
    }
    const verified = await deps.accessTokens.verifyActive(subject.id);
    if (!verified.ok)
      return { ok: false, reason: `subject token rejected: ${verified.reason}`, actor: 'unknown' };
    const claims = verified.claims;
    const actors = chainActors(claims.act);
    const actorId = actors[0] ?? claims.sub;
    const principal = await principalById(actorId);
    if (!principal)
      return {
        ok: false,
        reason: `the token's principal ${actorId} is not in the inventory`,
        actor: actorId,
      };
    const task = (await deps.tasks.get(claims.task_id)) ?? null;
    if (!task)
      return { ok: false, reason: `the token's task ${claims.task_id} does not exist`, actor: actorId };
    const chain = actors.length > 0 ? [claims.sub, ...actors.slice(1).reverse()] : [];
    return {
      ok: true,
      subject: {
        principal,
        task,
        scopes: parseScopeList(claims.scope) ?? [],
        delegationChain: chain,
        depth: chainDepth(claims.act),
      },
    };
  };
}

export type SubjectResolver = ReturnType<typeof createSubjectResolver>;
