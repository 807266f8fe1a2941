/**
 * The proofs a task request must carry besides the agent's own: the sponsor's consent (their ID
 * token from a trusted issuer, mapped to that human by the federation rules) or, for a child task,
 * a live access token of the parent task — and the child's scopes and TTL only narrowing.
 */
import type { Human, Identity } from '@keyward/sdk';
import { KeywardError } from '../errors.js';
import type { Task } from '../storage/storage-types.js';
import { scopesWithin } from './task-scopes.js';
import type { TaskInput, TaskProof, TaskServiceDeps } from './task-service.js';

export const forbidden = (message: string): KeywardError => new KeywardError('forbidden', message);

/** The sponsor, proven by their own federated ID token. */
export async function provenSponsor(
  deps: Pick<TaskServiceDeps, 'workloadAuth'>,
  input: TaskInput,
  proof: TaskProof,
): Promise<Human> {
  if (!proof.sponsorToken) {
    throw new KeywardError('unauthenticated', "send the sponsor's ID token in X-Keyward-Sponsor-Token");
  }
  const principal = await deps.workloadAuth.authenticateFederatedToken(proof.sponsorToken);
  if (principal.kind !== 'human') throw forbidden('the sponsor token does not identify a human');
  if (input.sponsor !== undefined && principal.human.id !== input.sponsor) {
    throw forbidden('the sponsor token belongs to another human than `sponsor`');
  }
  return principal.human;
}

/** The parent task, proven by a live access token of it; checks the child only narrows. */
export async function provenParent(
  deps: Pick<TaskServiceDeps, 'accessTokens' | 'store' | 'now'>,
  input: TaskInput,
  proof: TaskProof,
  agent: Identity,
): Promise<Task> {
  const { store, now } = deps;
  if (!proof.parentToken) {
    throw new KeywardError(
      'unauthenticated',
      'send a live access token of the parent task in X-Keyward-Parent-Token',
    );
  }
  const verified = await deps.accessTokens.verifyActive(proof.parentToken);
  if (!verified.ok) throw forbidden(`the parent token is not live (${verified.reason})`);
  if (verified.claims.task_id !== input.parentTaskId) throw forbidden('the parent token is for another task');
  const parent = await store.tasks.get(input.parentTaskId!);
  if (parent?.status !== 'active') throw forbidden('the parent task is not active');
  if (input.sponsor !== undefined && input.sponsor !== parent.sponsorId) {
    throw forbidden('a child task has its parent task’s sponsor');
  }
  if (!scopesWithin(input.scopes, parent.scopes)) {
    throw new KeywardError('policy_violation', "a child task's scopes must be within its parent's", {
      errors: [{ path: '/scopes', message: 'wider than the parent task' }],
    });
  }
  const remaining = Math.floor((Date.parse(parent.expiresAt) - now().getTime()) / 1000);
  if (input.ttlSeconds > remaining) {
    throw new KeywardError(
      'policy_violation',
      `ttlSeconds exceeds the parent task's remaining ${remaining} s`,
      {
        errors: [{ path: '/ttlSeconds', message: `at most ${remaining}` }],
      },
    );
  }
  if (parent.environment !== agent.environment)
    throw forbidden('the parent task runs in another environment');
  return parent;
}
