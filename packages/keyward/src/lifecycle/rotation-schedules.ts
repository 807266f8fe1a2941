/**
 * Rotation schedules: a period per identity, identity kind, API key name or the signing key, and
 * what is due. An item's last rotation is its credential's lastRotatedAt, else its createdAt (for an
 * identity: the credential's, else the identity's); due at last + period. An item is `overdue` once
 * past that, `due` within the last tenth of its period (at most 7 days) before it. An identity's own
 * schedule wins over its kind's, which wins over its credential's rotationPeriodDays.
 */
import type { Identity } from '@keyward/sdk';
import type { AuditRecorder } from '../audit/audit-recorder.js';
import { notFound, validationFailed } from '../errors.js';
import type { RotationSchedule } from '../storage/rotation-stores.js';
import type { Store } from '../storage/storage-types.js';
import { allIdentities } from './lifecycle-paging.js';

const DAY_MS = 86_400_000;

export interface DueItem {
  subject: string;
  /** What `rotation run` takes, when Keyward can rotate it itself. */
  target: string | null;
  identityId: string | null;
  name: string;
  periodDays: number;
  lastRotatedAt: string;
  dueAt: string;
  state: 'due' | 'overdue';
}

/** `90d`, `90`, `P90D`, `P12W` → days. */
export function parsePeriodDays(text: string): number {
  const m = /^(?:(\d+)d?|P(\d+)D|P(\d+)W)$/i.exec(text.trim());
  const days = m ? Number(m[1] ?? m[2] ?? Number(m[3]) * 7) : Number.NaN;
  if (!Number.isInteger(days) || days < 1 || days > 3650) {
    throw validationFailed(`invalid rotation period "${text}" (e.g. 90d or P90D, 1 to 3650 days)`);
  }
  return days;
}

export function validSubject(subject: string): string {
  if (/^(identity|kind|api-key):.+$/.test(subject) || subject === 'signing-key') return subject;
  throw validationFailed(
    `invalid schedule subject "${subject}" (identity:<id>, kind:<kind>, api-key:<name> or signing-key)`,
  );
}

export function dueState(
  last: Date,
  periodDays: number,
  at: Date,
): { dueAt: Date; state: DueItem['state'] | null } {
  const dueAt = new Date(last.getTime() + periodDays * DAY_MS);
  const window = Math.min(7 * DAY_MS, (periodDays * DAY_MS) / 10);
  if (at.getTime() >= dueAt.getTime()) return { dueAt, state: 'overdue' };
  return { dueAt, state: at.getTime() >= dueAt.getTime() - window ? 'due' : null };
}

export interface RotationScheduleDeps {
  store: Store;
  audit: AuditRecorder;
  now: () => Date;
}

export function createRotationSchedules({ store, audit, now }: RotationScheduleDeps) {
  async function set(actor: string, subject: string, period: string | number): Promise<RotationSchedule> {
    const s: RotationSchedule = {
      subject: validSubject(subject),
      periodDays: typeof period === 'number' ? parsePeriodDays(String(period)) : parsePeriodDays(period),
      setBy: actor,
      setAt: now().toISOString(),
    };
    if (s.subject.startsWith('identity:')) {
      const id = s.subject.slice('identity:'.length);
      if (!(await store.identities.get(id))) throw notFound('identity', id);
    }
    await store.transaction(async (tx) => {
      await tx.rotationSchedules.set(s);
      await tx.audit.append(
        audit.event(actor, 'rotation_schedule.set', s.subject, { periodDays: s.periodDays }),
      );
    });
    return s;
  }

  function list(): Promise<RotationSchedule[]> {
    return store.rotationSchedules.list();
  }

  function identityItem(i: Identity, periodDays: number, subject: string, at: Date): DueItem | null {
    const lastText = i.credential.lastRotatedAt ?? i.credential.createdAt ?? i.createdAt;
    const last = new Date(lastText);
    if (Number.isNaN(last.getTime())) return null;
    const { dueAt, state } = dueState(last, periodDays, at);
    if (!state) return null;
    return {
      subject,
      target: null,
      identityId: i.id,
      name: i.name,
      periodDays,
      lastRotatedAt: last.toISOString(),
      dueAt: dueAt.toISOString(),
      state,
    };
  }

  /** Due and overdue items, overdue first, then by due date. */
  async function listDue(): Promise<DueItem[]> {
    const at = now();
    const schedules = new Map((await list()).map((s) => [s.subject, s]));
    const items: DueItem[] = [];
    for (const i of await allIdentities(store, { status: 'active' })) {
      const own = schedules.get(`identity:${i.id}`) ?? schedules.get(`kind:${i.kind}`);
      const periodDays = own?.periodDays ?? i.credential.rotationPeriodDays;
      if (!periodDays) continue;
      const item = identityItem(i, periodDays, own?.subject ?? `identity:${i.id}`, at);
      if (item) items.push(item);
    }
    for (const s of schedules.values()) {
      const last = await lastOfTarget(s.subject);
      if (!last) continue;
      const { dueAt, state } = dueState(new Date(last), s.periodDays, at);
      if (!state) continue;
      items.push({
        subject: s.subject,
        target: s.subject,
        identityId: null,
        name: s.subject,
        periodDays: s.periodDays,
        lastRotatedAt: last,
        dueAt: dueAt.toISOString(),
        state,
      });
    }
    return items.sort((a, b) =>
      a.state === b.state ? a.dueAt.localeCompare(b.dueAt) : a.state === 'overdue' ? -1 : 1,
    );
  }

  /** When an API key name's newest live token, or the active signing key, was made. */
  async function lastOfTarget(subject: string): Promise<string | null> {
    if (subject === 'signing-key') return (await store.signingKeys.getActive())?.createdAt ?? null;
    if (!subject.startsWith('api-key:')) return null;
    const token = await newestLiveToken(store, subject.slice('api-key:'.length), now());
    return token?.createdAt ?? null;
  }

  return { set, list, listDue };
}

/** The newest unrevoked, unexpired API token with that name. */
export async function newestLiveToken(store: Store, name: string, at: Date) {
  let newest: Awaited<ReturnType<Store['apiTokens']['get']>>;
  let cursor: string | undefined;
  do {
    const page = await store.apiTokens.list({ limit: 500, ...(cursor ? { cursor } : {}) });
    for (const t of page.items) {
      const live = !t.revokedAt && (!t.expiresAt || Date.parse(t.expiresAt) > at.getTime());
      if (live && t.name === name && (!newest || t.createdAt >= newest.createdAt)) newest = t;
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return newest;
}

export type RotationSchedules = ReturnType<typeof createRotationSchedules>;
