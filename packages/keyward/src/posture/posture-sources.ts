/**
 * What the estate KPIs read from the store beyond identities: standing credentials (found ones and
 * identities' own), just-in-time credentials issued lately (tasks, leases), and over-privileged
 * grants (has_permission edges, NHI5 findings). Each is one pass over its table, or a window of it.
 */
import type { Identity } from '@keyward/sdk';
import { ID_PREFIX } from '../ids.js';
import type { Store } from '../storage/storage-types.js';
import { isOverPrivilegedGrant } from './posture-math.js';

const DAY_MS = 86_400_000;
/** Just-in-time credentials counted are those issued in this window. */
const JIT_WINDOW_MS = DAY_MS;
const SEEK_MARGIN_MS = DAY_MS;

/** The smallest UUIDv7 id of `prefix` minted at `ms`: a keyset cursor that skips everything older. */
export const idAt = (prefix: string, ms: number): string =>
  `${prefix}${Math.max(0, Math.floor(ms)).toString(16).padStart(12, '0')}${'0'.repeat(20)}`;

/** Every item of a keyset-paged list, from `start` (a cursor) or the beginning. */
export async function* allPages<T>(
  fetch: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>,
  start?: string,
) {
  let cursor: string | undefined = start;
  do {
    const page = await fetch(cursor);
    yield* page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

/** Per identity: when each standing credential was issued or last rotated (ms). */
export async function standingCredentials(
  store: Store,
  live: ReadonlyMap<string, Identity>,
): Promise<Map<string, number[]>> {
  const found = new Map<string, number[]>();
  for await (const c of allPages((cursor) =>
    store.credentials.list({ status: 'active' }, { cursor, limit: 1000 }),
  )) {
    if (!live.has(c.identityId)) continue;
    const issued = Date.parse(c.lastRotatedAt ?? c.createdAt ?? c.firstSeen);
    found.set(c.identityId, [...(found.get(c.identityId) ?? []), issued]);
  }
  const result = new Map<string, number[]>();
  for (const [id, i] of live) {
    // Found credentials are the detailed view of an identity's secrets; without any, its own
    // credential metadata (or a stored secret) stands for one static credential.
    const fromDiscovery = found.get(id);
    if (fromDiscovery) result.set(id, fromDiscovery);
    else if (i.secretLocations.length > 0 || i.credential.createdAt || i.credential.lastRotatedAt) {
      result.set(id, [Date.parse(i.credential.lastRotatedAt ?? i.credential.createdAt ?? i.firstSeen)]);
    }
  }
  return result;
}

/**
 * Tasks and leases created within the window: credentials that end by themselves. Ids are UUIDv7
 * (time-ordered) and lists are keyset pages by id, so the walk starts at an id minted at the
 * window's start (less a margin for clock skew between id and createdAt) instead of at the
 * beginning of all history; createdAt then decides.
 */
export async function justInTime(store: Store, at: number): Promise<number> {
  const since = at - JIT_WINDOW_MS;
  const from = (prefix: string) => idAt(prefix, since - SEEK_MARGIN_MS);
  let n = 0;
  for await (const t of allPages(
    (cursor) => store.tasks.list({}, { cursor, limit: 1000 }),
    from(ID_PREFIX.task),
  )) {
    if (Date.parse(t.createdAt) >= since) n++;
  }
  for await (const l of allPages(
    (cursor) => store.leases.list({}, { cursor, limit: 1000 }),
    from(ID_PREFIX.lease),
  )) {
    if (Date.parse(l.createdAt) >= since) n++;
  }
  return n;
}

/** Live identities holding a wildcard or admin grant, or a write-class grant on a critical node. */
export async function overPrivileged(
  store: Store,
  live: ReadonlyMap<string, Identity>,
): Promise<Set<string>> {
  const critical = new Set<string>();
  for await (const batch of store.resources.scanNodes())
    for (const r of batch) if (r.sensitivity === 'critical') critical.add(r.id);
  for await (const batch of store.systems.scanNodes())
    for (const s of batch) if (s.sensitivity === 'critical') critical.add(s.id);
  const over = new Set<string>();
  for await (const batch of store.edges.scan()) {
    for (const e of batch) {
      if (e.kind !== 'has_permission' || !live.has(e.fromId) || over.has(e.fromId)) continue;
      if (isOverPrivilegedGrant(e.actions, critical.has(e.toId))) over.add(e.fromId);
    }
  }
  // An over-privilege finding (NHI5) that nobody resolved counts too, whichever rule raised it.
  for await (const f of allPages((cursor) =>
    store.findings.list({ code: 'NHI5' }, { cursor, limit: 1000 }),
  )) {
    if (f.status !== 'resolved' && f.identityId && live.has(f.identityId)) over.add(f.identityId);
  }
  return over;
}
