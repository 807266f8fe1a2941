/**
 * Activity ingestion: resource servers report what a credential did on their side (which identity,
 * what action on which resource or system, from where, when, how much data), so detection sees use
 * that never passed through Keyward, and the data volume of an incident (its impact) is on record.
 * Each item becomes one `activity.access` (or `activity.denied`) audit event whose actor is the
 * identity; a batch is all-or-nothing: any unknown identity or target refuses the whole batch.
 */
import type { AuditEvent, AuditOutcome, AuditSource } from '../audit/audit-types.js';
import type { AuditWriter } from '../audit/audit-writer.js';
import { KeywardError } from '../errors.js';
import { newId } from '../ids.js';
import type { Store } from '../storage/storage-types.js';

export interface ActivityItem {
  /** The identity that acted (`nhi_…`): its id, or the `sub` of the access token it presented. */
  identityId?: string | undefined;
  subject?: string | undefined;
  action: string;
  /** The resource (`res_…`) or system (`sys_…`) acted on. */
  target?: string | undefined;
  outcome?: AuditOutcome | undefined;
  source?: AuditSource | undefined;
  /** When it happened (ISO); default: when reported. */
  time?: string | undefined;
  bytes?: number | undefined;
  records?: number | undefined;
  taskId?: string | undefined;
}

export interface ActivityResult {
  recorded: number;
  firstSeq: number;
  lastSeq: number;
}

export function createActivityService(deps: {
  store: Pick<Store, 'identities' | 'resources' | 'systems'>;
  writer: Pick<AuditWriter, 'appendMany'>;
  now: () => Date;
}) {
  async function checkRefs(items: readonly ActivityItem[]): Promise<string[]> {
    const errors: Array<{ path: string; message: string }> = [];
    const known = new Map<string, boolean>();
    const exists = async (id: string): Promise<boolean> => {
      let hit = known.get(id);
      if (hit === undefined) {
        const found = id.startsWith('nhi_')
          ? await deps.store.identities.get(id)
          : id.startsWith('res_')
            ? await deps.store.resources.get(id)
            : id.startsWith('sys_')
              ? await deps.store.systems.get(id)
              : undefined;
        hit = found !== undefined;
        known.set(id, hit);
      }
      return hit;
    };
    const actors: string[] = [];
    for (const [i, item] of items.entries()) {
      const who = item.identityId ?? item.subject;
      if (who === undefined) errors.push({ path: `/items/${i}`, message: 'needs identityId or subject' });
      else if (!(await exists(who))) errors.push({ path: `/items/${i}`, message: `unknown identity ${who}` });
      if (item.target !== undefined && !(await exists(item.target))) {
        errors.push({ path: `/items/${i}/target`, message: `unknown resource or system ${item.target}` });
      }
      actors.push(who ?? '');
    }
    if (errors.length > 0) {
      throw new KeywardError('invalid_reference', `${errors.length} activity item(s) name unknown records`, {
        errors: errors.slice(0, 20),
      });
    }
    return actors;
  }

  /** Records a batch of reported activity as audit events (durable when this resolves). */
  async function record(reporter: string, items: readonly ActivityItem[]): Promise<ActivityResult> {
    const actors = await checkRefs(items);
    const receivedAt = deps.now().toISOString();
    const stored: AuditEvent[] = await deps.writer.appendMany(
      items.map((item, i) => {
        const outcome = item.outcome ?? 'success';
        return {
          id: newId('auditEvent'),
          time: receivedAt,
          actor: actors[i]!,
          type: outcome === 'success' ? 'activity.access' : 'activity.denied',
          action: item.action,
          targetId: item.target ?? null,
          taskId: item.taskId ?? null,
          outcome,
          source: item.source ?? null,
          details: {
            reportedBy: reporter,
            occurredAt: item.time ?? receivedAt,
            ...(item.bytes !== undefined ? { bytes: item.bytes } : {}),
            ...(item.records !== undefined ? { records: item.records } : {}),
          },
        };
      }),
    );
    const seqs = stored.map((e) => e.seq);
    return { recorded: stored.length, firstSeq: seqs[0]!, lastSeq: seqs[seqs.length - 1]! };
  }

  return { record };
}

export type ActivityService = ReturnType<typeof createActivityService>;
