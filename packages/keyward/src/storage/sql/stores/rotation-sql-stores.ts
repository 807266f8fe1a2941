/**
 * The rotation role stores over Kysely: schedules (upsert per subject) and rotation records, whose
 * every step is one conditional update on the state it leaves, so two runners (replicas, or a
 * restart replaying a step) cannot both take it.
 */
import type { Kysely } from 'kysely';
import type {
  ProposalState,
  Rotation,
  RotationSchedule,
  RotationScheduleStore,
  RotationState,
  RotationStore,
} from '../../rotation-stores.js';
import type { RotationRow, RotationScheduleRow } from '../lifecycle-rows.js';
import type { Database } from '../sql-database.js';

const scheduleFromRow = (r: RotationScheduleRow): RotationSchedule => ({
  subject: r.subject,
  periodDays: Number(r.period_days),
  setBy: r.set_by,
  setAt: r.set_at,
});

const rotationFromRow = (r: RotationRow): Rotation => ({
  id: r.id,
  target: r.target,
  state: r.state as RotationState,
  oldRef: r.old_ref,
  newRef: r.new_ref,
  overlapSeconds: Number(r.overlap_seconds),
  overlapUntil: r.overlap_until,
  proposal: r.proposal === null ? null : (JSON.parse(r.proposal) as unknown),
  proposalState: r.proposal_state as ProposalState | null,
  requestedBy: r.requested_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export class RotationScheduleSqlStore implements RotationScheduleStore {
  constructor(private readonly db: Kysely<Database>) {}

  async set(s: RotationSchedule): Promise<void> {
    const row = { period_days: s.periodDays, set_by: s.setBy, set_at: s.setAt };
    await this.db
      .insertInto('rotation_schedules')
      .values({ subject: s.subject, ...row })
      .onConflict((oc) => oc.column('subject').doUpdateSet(row))
      .execute();
  }

  async get(subject: string): Promise<RotationSchedule | undefined> {
    const r = await this.db
      .selectFrom('rotation_schedules')
      .selectAll()
      .where('subject', '=', subject)
      .executeTakeFirst();
    return r && scheduleFromRow(r);
  }

  async remove(subject: string): Promise<boolean> {
    const r = await this.db
      .deleteFrom('rotation_schedules')
      .where('subject', '=', subject)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async list(): Promise<RotationSchedule[]> {
    const rows = await this.db.selectFrom('rotation_schedules').selectAll().orderBy('subject').execute();
    return rows.map(scheduleFromRow);
  }
}

export class RotationSqlStore implements RotationStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(r: Rotation): Promise<void> {
    await this.db
      .insertInto('rotations')
      .values({
        id: r.id,
        target: r.target,
        state: r.state,
        old_ref: r.oldRef,
        new_ref: r.newRef,
        overlap_seconds: r.overlapSeconds,
        overlap_until: r.overlapUntil,
        candidate_sealed: null,
        proposal: r.proposal === null || r.proposal === undefined ? null : JSON.stringify(r.proposal),
        proposal_state: r.proposalState,
        requested_by: r.requestedBy,
        created_at: r.createdAt,
        updated_at: r.updatedAt,
      })
      .execute();
  }

  async get(id: string): Promise<Rotation | undefined> {
    const r = await this.db.selectFrom('rotations').selectAll().where('id', '=', id).executeTakeFirst();
    return r && rotationFromRow(r);
  }

  async advance(
    id: string,
    from: RotationState,
    patch: Partial<
      Pick<Rotation, 'state' | 'oldRef' | 'newRef' | 'overlapUntil' | 'proposalState' | 'updatedAt'>
    >,
  ): Promise<boolean> {
    const set: Partial<RotationRow> = {};
    if (patch.state !== undefined) set.state = patch.state;
    if (patch.oldRef !== undefined) set.old_ref = patch.oldRef;
    if (patch.newRef !== undefined) set.new_ref = patch.newRef;
    if (patch.overlapUntil !== undefined) set.overlap_until = patch.overlapUntil;
    if (patch.proposalState !== undefined) set.proposal_state = patch.proposalState;
    if (patch.updatedAt !== undefined) set.updated_at = patch.updatedAt;
    if (patch.state === 'done') set.candidate_sealed = null;
    const r = await this.db
      .updateTable('rotations')
      .set(set)
      .where('id', '=', id)
      .where('state', '=', from)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async open(target: string): Promise<Rotation | undefined> {
    const r = await this.db
      .selectFrom('rotations')
      .selectAll()
      .where('target', '=', target)
      .where('state', '!=', 'done')
      .orderBy('id')
      .executeTakeFirst();
    return r && rotationFromRow(r);
  }

  async setCandidate(id: string, sealed: string, at: string): Promise<boolean> {
    const r = await this.db
      .updateTable('rotations')
      .set({ state: 'applying', candidate_sealed: sealed, updated_at: at })
      .where('id', '=', id)
      .where('state', '=', 'pending')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async candidate(id: string): Promise<string | null> {
    const r = await this.db
      .selectFrom('rotations')
      .select('candidate_sealed')
      .where('id', '=', id)
      .executeTakeFirst();
    return r?.candidate_sealed ?? null;
  }

  async inState(state: RotationState): Promise<Rotation[]> {
    const rows = await this.db
      .selectFrom('rotations')
      .selectAll()
      .where('state', '=', state)
      .orderBy('id')
      .execute();
    return rows.map(rotationFromRow);
  }

  async list(limit: number): Promise<Rotation[]> {
    const rows = await this.db
      .selectFrom('rotations')
      .selectAll()
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(rotationFromRow);
  }
}
