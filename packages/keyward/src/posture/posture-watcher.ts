/**
 * Continuous posture: listens to committed audit events and re-evaluates the identities a change
 * touched (incremental evaluation), shortly after the change and in commit order. Events that
 * change many identities at once (an import) schedule a full evaluation instead. The engine's own
 * finding events are ignored, so an evaluation never triggers another.
 */
import type { AuditEvent } from '../audit/audit-types.js';
import type { CommitSource, Store } from '../storage/storage-types.js';
import type { PostureEngine } from './posture-engine.js';

export interface PostureWatcherDeps {
  commits: CommitSource;
  store: Pick<Store, 'identities'>;
  engine: Pick<PostureEngine, 'evaluate'>;
  /** How long changes gather before one evaluation; default 200 ms. */
  debounceMs?: number | undefined;
  onError: (err: unknown, context: string) => void;
}

/** Event types after which the whole estate is evaluated (they change many identities). */
const ESTATE_EVENTS = new Set(['discovery.imported', 'demo.loaded']);
/** Prefixes of event types that can change an identity's posture. */
const TOUCHING = ['identity.', 'edge.', 'alert.', 'api_token.', 'broker.lease.', 'access_review.attested'];
/** Notices change nothing (and may name many identities). */
const isNotice = (type: string) => type.endsWith('_notice');

const isIdentity = (v: unknown): v is string => typeof v === 'string' && v.startsWith('nhi_');

/** The identities an event touched; 'all' when it changed the estate at large. */
export function touchedBy(e: AuditEvent): string[] | 'all' {
  if (ESTATE_EVENTS.has(e.type)) return 'all';
  if (isNotice(e.type) || !TOUCHING.some((p) => e.type.startsWith(p))) return [];
  const ids: string[] = [];
  if (isIdentity(e.targetId)) ids.push(e.targetId);
  const d = e.details ?? {};
  for (const key of ['fromId', 'toId', 'identityId']) if (isIdentity(d[key])) ids.push(d[key]);
  if (Array.isArray(d.identities)) for (const v of d.identities) if (isIdentity(v)) ids.push(v);
  return ids;
}

export function startPostureWatcher(deps: PostureWatcherDeps) {
  const debounceMs = deps.debounceMs ?? 200;
  let pending = new Set<string>();
  let full = false;
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<void> = Promise.resolve();
  let closed = false;

  async function run(ids: string[], all: boolean): Promise<void> {
    if (all) {
      await deps.engine.evaluate('system');
      return;
    }
    // An identity deleted since its event has nothing left to evaluate.
    const live = (await deps.store.identities.getMany(ids)).map((i) => i.id);
    if (live.length > 0) await deps.engine.evaluate('system', { identityIds: live });
  }

  function flush(): Promise<void> {
    timer = undefined;
    const ids = [...pending];
    const all = full;
    pending = new Set();
    full = false;
    if (ids.length === 0 && !all) return chain;
    chain = chain
      .then(() => run(ids, all))
      .catch((err) => deps.onError(err, 'posture: continuous evaluation'));
    return chain;
  }

  const unsubscribe = deps.commits.onAuditCommit((events) => {
    if (closed) return;
    let touched = false;
    for (const e of events) {
      const ids = touchedBy(e);
      if (ids === 'all') full = true;
      else for (const id of ids) pending.add(id);
      touched ||= ids === 'all' || ids.length > 0;
    }
    if (touched && !timer) timer = setTimeout(flush, debounceMs);
  });

  return {
    /** Evaluates what has gathered now and resolves when every evaluation so far has finished. */
    async settle(): Promise<void> {
      if (timer) clearTimeout(timer);
      await flush();
    },
    async close(): Promise<void> {
      closed = true;
      unsubscribe();
      if (timer) clearTimeout(timer);
      timer = undefined;
      await chain;
    },
  };
}

export type PostureWatcher = ReturnType<typeof startPostureWatcher>;
