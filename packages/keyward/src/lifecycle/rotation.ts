/**
 * The rotation workflow for credentials Keyward can rotate itself: its own API keys
 * (`api-key:<name>`) and its token-signing key (`signing-key`). Each rotation is a persisted record
 * (storage/rotation-stores.ts) moved step by step by conditional updates, each step in one
 * transaction with its audit event:
 *
 * - API key: pending → overlapping: a new token (same name and role, same lifetime length) is
 *   created in the transaction that records the step, so the record never names a token that does
 *   not exist; its secret goes to the caller of `run` only. The old token stays valid until
 *   overlapUntil; then the scheduler job revokes it and marks the record done (overlapping → done),
 *   once, whichever replica or restart gets there. A pending API key rotation is resumed only by
 *   `run` (someone must receive the new secret), never by the job.
 * - Signing key: pending → done through signing-key-service's rotate (the retired key stays
 *   published). A record left pending by a restart is finished by the job: if the active kid is
 *   no longer the one recorded, the rotation happened and is only marked done.
 *
 * - PostgreSQL role (`pg-role:<brokered database>`): rotation-postgres.ts (pending → applying →
 *   done); the job resumes one a restart interrupted.
 *
 * Reduce first, then rotate: a rotation requested with a proposal (a right-sized grant, opaque
 * JSON) starts `waiting` and does nothing until the proposal is accepted or dismissed
 * (`decide`), which makes it pending; `run` on a waiting target is refused.
 */
import type { ApiToken } from '@keyward/sdk';
import type { AuditRecorder } from '../audit/audit-recorder.js';
import type { ApiTokenService } from '../auth/api-token-service.js';
import { KeywardError, notFound, validationFailed } from '../errors.js';
import { newId } from '../ids.js';
import type { SigningKeyService } from '../keys/signing-key-service.js';
import type { Rotation } from '../storage/rotation-stores.js';
import type { Store } from '../storage/storage-types.js';
import { SYSTEM_ACTOR } from './offboarding-steps.js';
import { type createPostgresRotation, PG_ROLE } from './rotation-postgres.js';
import type { RotationReducer } from './rotation-reducer.js';
import { createRotationSchedules, dueState, newestLiveToken } from './rotation-schedules.js';

export const DEFAULT_OVERLAP_SECONDS = 86_400;

export interface RotationDeps {
  store: Store;
  audit: AuditRecorder;
  now: () => Date;
  tokens: Pick<ApiTokenService, 'create' | 'invalidate'>;
  signingKeys: Pick<SigningKeyService, 'rotate'>;
  /** Rotation of brokered PostgreSQL role passwords; absent: `pg-role:` targets are refused. */
  postgres?: ReturnType<typeof createPostgresRotation> | undefined;
  overlapSeconds?: number | undefined;
  /** Right-sizes an identity before its rotation; absent: `rightSize` requests are refused. */
  reducer?: RotationReducer | undefined;
}

export interface RunOptions {
  overlapSeconds?: number | undefined;
  proposal?: unknown;
  /** Propose the right-sized grant of this identity (from its real use) and wait for a decision. */
  rightSize?: { identityId: string; windowDays?: number | undefined } | undefined;
}

export interface RotationRun {
  rotation: Rotation;
  /** The new API key's secret, shown once. */
  secret?: string;
}

export interface RotationJobRun {
  completed: string[];
  rotated: string[];
}

/** Rolls a step's transaction back when another runner took the step first. */
class StepTaken extends Error {}

export function validTarget(target: string): string {
  if (target === 'signing-key' || /^(api-key|pg-role):.+$/.test(target)) return target;
  throw validationFailed(
    `cannot rotate "${target}": targets are api-key:<name>, signing-key and pg-role:<brokered database>`,
  );
}

export function createRotation(deps: RotationDeps) {
  const { store, audit, now } = deps;
  const schedules = createRotationSchedules(deps);
  const stamp = () => now().toISOString();

  async function get(id: string): Promise<Rotation> {
    const r = await store.rotations.get(id);
    if (!r) throw notFound('rotation', id);
    return r;
  }

  async function oldRefOf(target: string): Promise<string> {
    if (target === 'signing-key') return (await store.signingKeys.getActive())?.kid ?? '';
    if (target.startsWith(PG_ROLE)) {
      if (!deps.postgres) throw validationFailed('PostgreSQL role rotation is not configured');
      return deps.postgres.roleOf(target);
    }
    const token = await newestLiveToken(store, target.slice('api-key:'.length), now());
    if (!token) throw notFound('live API key', target.slice('api-key:'.length));
    return token.id;
  }

  async function request(actor: string, target: string, asked: RunOptions): Promise<Rotation> {
    let options = asked;
    if (asked.rightSize) {
      if (!deps.reducer) throw validationFailed('right-sizing is not available here');
      const proposal = await deps.reducer.propose(asked.rightSize.identityId, asked.rightSize.windowDays);
      options = { ...asked, proposal };
    }
    const at = stamp();
    const hasProposal = options.proposal !== undefined && options.proposal !== null;
    const overlap = options.overlapSeconds ?? deps.overlapSeconds ?? DEFAULT_OVERLAP_SECONDS;
    if (!Number.isInteger(overlap) || overlap < 0)
      throw validationFailed('overlap must be whole seconds >= 0');
    const r: Rotation = {
      id: newId('rotation'),
      target,
      state: hasProposal ? 'waiting' : 'pending',
      oldRef: await oldRefOf(target),
      newRef: null,
      overlapSeconds: target.startsWith('api-key:') ? overlap : 0,
      overlapUntil: null,
      proposal: hasProposal ? options.proposal : null,
      proposalState: hasProposal ? 'pending' : null,
      requestedBy: actor,
      createdAt: at,
      updatedAt: at,
    };
    await store.transaction(async (tx) => {
      await tx.rotations.create(r);
      await tx.audit.append(
        audit.event(actor, 'rotation.requested', r.id, {
          target,
          oldRef: r.oldRef,
          waitsForProposal: hasProposal,
        }),
      );
    });
    return r;
  }

  /** Rotates the target now (or resumes its pending rotation); a proposal makes it wait instead. */
  async function run(actor: string, target: string, options: RunOptions = {}): Promise<RotationRun> {
    validTarget(target);
    const open = await store.rotations.open(target);
    if (open?.state === 'waiting') {
      throw new KeywardError(
        'rotation_in_progress',
        `rotation ${open.id} waits for its proposal to be accepted or dismissed`,
      );
    }
    if (open?.state === 'applying' && target.startsWith(PG_ROLE))
      return { rotation: await rotatePostgres(actor, open) };
    if (open?.state === 'overlapping') {
      throw new KeywardError(
        'rotation_in_progress',
        `rotation ${open.id} overlaps until ${open.overlapUntil}`,
      );
    }
    const r = open ?? (await request(actor, target, options));
    if (r.state === 'waiting') return { rotation: r };
    if (target === 'signing-key') return { rotation: await rotateSigningKey(actor, r) };
    if (target.startsWith(PG_ROLE)) return { rotation: await rotatePostgres(actor, r) };
    return rotateApiKey(actor, r);
  }

  function rotatePostgres(actor: string, r: Rotation): Promise<Rotation> {
    if (!deps.postgres) throw validationFailed('PostgreSQL role rotation is not configured');
    return deps.postgres.rotate(actor, r);
  }

  async function rotateApiKey(actor: string, r: Rotation): Promise<RotationRun> {
    const old = r.oldRef ? await store.apiTokens.get(r.oldRef) : undefined;
    if (!old) throw notFound('API token', r.oldRef ?? '');
    const at = now();
    const overlapUntil = new Date(at.getTime() + r.overlapSeconds * 1000).toISOString();
    const lifetime = old.expiresAt ? Date.parse(old.expiresAt) - Date.parse(old.createdAt) : null;
    let created: { token: ApiToken; secret: string };
    try {
      created = await deps.tokens.create(
        actor,
        {
          name: old.name,
          role: old.role,
          ...(lifetime ? { expiresAt: new Date(at.getTime() + lifetime).toISOString() } : {}),
        },
        {
          alsoInTx: async (tx, token) => {
            const patch = {
              state: 'overlapping' as const,
              newRef: token.id,
              overlapUntil,
              updatedAt: at.toISOString(),
            };
            if (!(await tx.rotations.advance(r.id, 'pending', patch))) throw new StepTaken();
            await tx.audit.append(
              audit.event(actor, 'rotation.overlapping', r.id, {
                target: r.target,
                oldRef: old.id,
                newRef: token.id,
                overlapUntil,
              }),
            );
          },
        },
      );
    } catch (err) {
      if (err instanceof StepTaken)
        throw new KeywardError('rotation_in_progress', `rotation ${r.id} already ran`);
      throw err;
    }
    if (r.overlapSeconds === 0) await finishOverlap(await get(r.id));
    return { rotation: await get(r.id), secret: created.secret };
  }

  async function rotateSigningKey(actor: string, r: Rotation): Promise<Rotation> {
    const active = await store.signingKeys.getActive();
    // A restart between rotate and the record: the key already changed, only the record remains.
    const newKid =
      active && active.kid !== r.oldRef
        ? active.kid
        : (await deps.signingKeys.rotate(actor, `rotation ${r.id}`)).kid;
    await store.transaction(async (tx) => {
      const patch = { state: 'done' as const, newRef: newKid, updatedAt: stamp() };
      if (!(await tx.rotations.advance(r.id, 'pending', patch))) return;
      await tx.audit.append(
        audit.event(actor, 'rotation.completed', r.id, {
          target: r.target,
          oldRef: r.oldRef,
          newRef: newKid,
        }),
      );
    });
    return get(r.id);
  }

  /** Revokes the old API key of an overlapping rotation and marks it done; false if taken. */
  async function finishOverlap(r: Rotation): Promise<boolean> {
    const at = stamp();
    try {
      return await store.transaction(async (tx) => {
        if (!(await tx.rotations.advance(r.id, 'overlapping', { state: 'done', updatedAt: at })))
          return false;
        if (r.oldRef && (await tx.apiTokens.revoke(r.oldRef, at))) {
          await tx.audit.append(
            audit.event(SYSTEM_ACTOR, 'api_token.revoked', r.oldRef, { reason: `rotated (${r.id})` }),
          );
        }
        await tx.audit.append(
          audit.event(SYSTEM_ACTOR, 'rotation.completed', r.id, {
            target: r.target,
            oldRef: r.oldRef,
            newRef: r.newRef,
          }),
        );
        return true;
      });
    } finally {
      deps.tokens.invalidate();
    }
  }

  /** Accepts or dismisses a waiting rotation's proposal; the rotation becomes pending. */
  async function decide(actor: string, id: string, decision: 'accept' | 'dismiss'): Promise<Rotation> {
    const r = await get(id);
    const proposalState = decision === 'accept' ? ('accepted' as const) : ('dismissed' as const);
    // Reduce before the rotation may proceed (idempotent, so a repeat after a crash is safe).
    const removedGrants =
      decision === 'accept' && r.state === 'waiting' && deps.reducer
        ? await deps.reducer.apply(actor, r.proposal)
        : 0;
    const done = await store.transaction(async (tx) => {
      if (
        !(await tx.rotations.advance(id, 'waiting', { state: 'pending', proposalState, updatedAt: stamp() }))
      )
        return false;
      await tx.audit.append(
        audit.event(actor, `rotation.proposal_${proposalState}`, id, {
          target: r.target,
          proposal: r.proposal,
          removedGrants,
        }),
      );
      return true;
    });
    if (!done)
      throw new KeywardError('rotation_in_progress', `rotation ${id} has no proposal waiting (${r.state})`);
    return get(id);
  }

  /**
   * The scheduler job: ends every overlap that is over, finishes pending signing key rotations and
   * rotates the signing key when its schedule says it is overdue.
   */
  async function runJob(): Promise<RotationJobRun> {
    const at = now();
    const result: RotationJobRun = { completed: [], rotated: [] };
    for (const r of await store.rotations.inState('overlapping')) {
      if (r.overlapUntil && Date.parse(r.overlapUntil) <= at.getTime() && (await finishOverlap(r)))
        result.completed.push(r.id);
    }
    for (const r of await store.rotations.inState('pending')) {
      if (r.target === 'signing-key') result.completed.push((await rotateSigningKey(SYSTEM_ACTOR, r)).id);
      else if (r.target.startsWith(PG_ROLE))
        result.completed.push((await rotatePostgres(SYSTEM_ACTOR, r)).id);
    }
    for (const r of await store.rotations.inState('applying')) {
      result.completed.push((await rotatePostgres(SYSTEM_ACTOR, r)).id);
    }
    const schedule = await store.rotationSchedules.get('signing-key');
    const active = await store.signingKeys.getActive();
    if (
      schedule &&
      active &&
      dueState(new Date(active.createdAt), schedule.periodDays, at).state === 'overdue'
    ) {
      if (!(await store.rotations.open('signing-key'))) {
        result.rotated.push((await run(SYSTEM_ACTOR, 'signing-key')).rotation.id);
      }
    }
    return result;
  }

  return {
    schedules,
    run,
    decide,
    get,
    list: (limit = 100) => store.rotations.list(limit),
    listDue: schedules.listDue,
    runJob,
  };
}

export type RotationWorkflow = ReturnType<typeof createRotation>;
