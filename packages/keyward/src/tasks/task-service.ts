/**
 * Tasks: an agent acting for a human sponsor, with a declared intent, scopes, one environment and
 * a TTL. The agent proves who it is (client assertion or federated token); the sponsor's consent
 * is proven by the sponsor's own ID token from a trusted issuer (mapped to that human by the
 * federation rules), or — for a child task — by a live access token of the parent task, whose
 * sponsor the child inherits. Child scopes and TTL only narrow.
 *
 * A `postgres:<db>` scope gets a brokered credential right after the task commits (network work,
 * never inside the transaction); if issuing fails the task is cancelled again, credentials and all.
 * Ending a task (complete, cancel, expire) goes through the revocation service.
 */
import type { Page, PageRequest } from '@keyward/sdk';
import type { AuditRecorder } from '../audit/audit-recorder.js';
import type { BrokeredDatabaseService } from '../brokers/brokered-database-service.js';
import type { CredentialBroker, IssuedCredential } from '../brokers/credential-broker.js';
import { KeywardError, notFound, validationFailed } from '../errors.js';
import { newId } from '../ids.js';
import type { AccessTokenVerifier } from '../oauth/access-token-verifier.js';
import type { WorkloadAuthenticator } from '../oauth/workload-credential.js';
import type { RevocationService } from '../revocation/revocation-service.js';
import type { Store, Task, TaskFilter, TaskScope } from '../storage/storage-types.js';
import type { WorkloadAuthService } from '../workload-auth/workload-auth-service.js';
import { forbidden, provenParent, provenSponsor } from './task-proofs.js';
import { brokeredDatabasesOf, checkScopes } from './task-scopes.js';

export interface TaskInput {
  agent: string;
  sponsor?: string | undefined;
  intent: string;
  scopes: TaskScope[];
  environment: string;
  ttlSeconds: number;
  parentTaskId?: string | undefined;
}

/** What proves the request: the agent's own JWT, and the sponsor's ID token or the parent's token. */
export interface TaskProof {
  agentCredential?: string | undefined;
  sponsorToken?: string | undefined;
  parentToken?: string | undefined;
}

export interface BrokeredCredentialView {
  database: string;
  leaseId: string;
  username: string;
  password: string;
  connectionUrl: string;
  validUntil: string;
}

export interface TaskServiceDeps {
  store: Store;
  audit: AuditRecorder;
  now: () => Date;
  authenticateWorkload: WorkloadAuthenticator;
  workloadAuth: Pick<WorkloadAuthService, 'authenticateFederatedToken'>;
  accessTokens: Pick<AccessTokenVerifier, 'verifyActive'>;
  broker: Pick<CredentialBroker, 'issue'>;
  brokeredDatabases: Pick<BrokeredDatabaseService, 'getRecord'>;
  revocation: Pick<RevocationService, 'endTask'>;
  /** Audiences a task-creation assertion may name. */
  audiences: () => string[];
  maxTaskTtlSeconds: number;
}

export function createTaskService(deps: TaskServiceDeps) {
  const { store, audit, now } = deps;

  function checkInput(input: TaskInput): void {
    checkScopes(input.scopes);
    const max = deps.maxTaskTtlSeconds;
    if (!Number.isInteger(input.ttlSeconds) || input.ttlSeconds < 1 || input.ttlSeconds > max) {
      throw validationFailed(`ttlSeconds must be an integer from 1 to ${max}`, [
        { path: '/ttlSeconds', message: `1 to ${max}` },
      ]);
    }
  }

  async function create(
    input: TaskInput,
    proof: TaskProof,
  ): Promise<{ task: Task; credentials: BrokeredCredentialView[] }> {
    checkInput(input);
    if (!proof.agentCredential) {
      throw new KeywardError(
        'unauthenticated',
        "send the agent's client assertion in X-Keyward-Client-Assertion",
      );
    }
    const agent = await deps.authenticateWorkload(proof.agentCredential, deps.audiences());
    if (agent.id !== input.agent)
      throw forbidden('the client assertion authenticates another identity than `agent`');
    if (input.environment !== agent.environment) {
      throw new KeywardError(
        'policy_violation',
        `agent ${agent.id} runs in ${agent.environment}, not ${input.environment}`,
        {
          errors: [{ path: '/environment', message: `must be ${agent.environment}` }],
        },
      );
    }
    const parent = input.parentTaskId ? await provenParent(deps, input, proof, agent) : undefined;
    const sponsorId = parent ? parent.sponsorId : (await provenSponsor(deps, input, proof)).id;
    const databases = brokeredDatabasesOf(input.scopes);
    const maxTtls = new Map<string, number>();
    for (const name of databases)
      maxTtls.set(name, (await deps.brokeredDatabases.getRecord(name)).maxTtlSeconds);
    const at = now();
    const task: Task = {
      id: newId('task'),
      agentId: agent.id,
      sponsorId,
      intent: input.intent,
      scopes: input.scopes.map((s) => ({ action: s.action, resource: s.resource })),
      environment: input.environment,
      parentTaskId: parent?.id ?? null,
      status: 'active',
      createdAt: at.toISOString(),
      expiresAt: new Date(at.getTime() + input.ttlSeconds * 1000).toISOString(),
      endedAt: null,
      endReason: null,
    };
    await store.transaction(async (tx) => {
      // Re-read inside the transaction: a sponsor deactivated a moment ago must not sponsor anything.
      const sponsor = await tx.humans.get(sponsorId);
      if (!sponsor?.active) throw forbidden('the sponsor is not active');
      const current = await tx.identities.get(agent.id);
      if (current?.status !== 'active') throw forbidden('the agent is not active');
      await tx.tasks.create(task);
      await tx.audit.append(
        audit.event(agent.id, 'task.created', task.id, {
          sponsor: sponsorId,
          intent: task.intent,
          scopes: task.scopes,
          environment: task.environment,
          parentTaskId: task.parentTaskId,
          expiresAt: task.expiresAt,
        }),
      );
    });
    const credentials: BrokeredCredentialView[] = [];
    try {
      for (const database of databases) {
        const ttlSeconds = Math.min(input.ttlSeconds, maxTtls.get(database)!);
        credentials.push(
          view(await deps.broker.issue({ database, ownerRef: task.id, ttlSeconds, actor: agent.id })),
        );
      }
    } catch (err) {
      await deps.revocation.endTask(
        'system',
        task.id,
        'cancelled',
        'brokered credential could not be issued',
      );
      throw err;
    }
    return { task, credentials };
  }

  const view = (c: IssuedCredential & { lease: { database: string } }): BrokeredCredentialView => ({
    database: c.lease.database,
    leaseId: c.leaseId,
    username: c.username,
    password: c.password,
    connectionUrl: c.connectionUrl,
    validUntil: c.validUntil,
  });

  async function get(id: string): Promise<Task> {
    const task = await store.tasks.get(id);
    if (!task) throw notFound('task', id);
    return task;
  }

  const list = (filter: TaskFilter, page: PageRequest): Promise<Page<Task>> => store.tasks.list(filter, page);

  const complete = async (actor: string, id: string) => {
    await deps.revocation.endTask(actor, id, 'completed', 'task completed');
    return get(id);
  };
  const cancel = async (actor: string, id: string, reason?: string) => {
    await deps.revocation.endTask(actor, id, 'cancelled', reason ?? 'task cancelled');
    return get(id);
  };

  /** Ends active tasks whose TTL has elapsed (the maintenance loop calls this). */
  async function expireDue(): Promise<number> {
    let n = 0;
    for (const task of await store.tasks.listExpired(now().toISOString(), 100)) {
      try {
        n +=
          (await deps.revocation.endTask('system', task.id, 'expired', 'task TTL elapsed')).length > 0
            ? 1
            : 0;
      } catch (err) {
        if (!(err instanceof KeywardError && err.code === 'task_not_active')) throw err;
      }
    }
    return n;
  }

  return { create, get, list, complete, cancel, expireDue };
}

export type TaskService = ReturnType<typeof createTaskService>;
