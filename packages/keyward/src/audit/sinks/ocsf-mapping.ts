/**
 * Maps audit events to OCSF 1.x JSON (https://schema.ocsf.io). The class is chosen by the event
 * type's prefix (docs/audit.md has the table):
 *   auth.*, token.*                    → Authentication (3002)
 *   decision.*, api.*, access.*        → API Activity (6003)
 *   identity.*, api_token.*            → Account Change (3001)
 *   human.*, edge.*, system.*, resource.* and anything else → Entity Management (3004)
 * activity_id follows the verb suffix (created → 1 Create, updated/disabled → 3 Update, deleted /
 * revoked → 4 Delete, else 99 Other); status_id 1 Success / 2 Failure (denied is a failure with
 * status_detail "denied"). The original event rides along in `unmapped` so nothing is lost.
 */
import type { AuditEvent } from '../audit-types.js';

const CLASSES: Array<[RegExp, number, string, number]> = [
  [/^(auth|token)\./, 3002, 'Authentication', 3],
  [/^(decision|api|access)\./, 6003, 'API Activity', 6],
  [/^(identity|api_token)\./, 3001, 'Account Change', 3],
];
const ENTITY_MANAGEMENT: [number, string, number] = [3004, 'Entity Management', 3];

function activityOf(type: string): { id: number; name: string } {
  const verb = type.slice(type.lastIndexOf('.') + 1);
  if (/created|issued/.test(verb)) return { id: 1, name: 'Create' };
  if (/updated|disabled|enabled|rotated/.test(verb)) return { id: 3, name: 'Update' };
  if (/deleted|revoked/.test(verb)) return { id: 4, name: 'Delete' };
  if (/read|listed|evaluated/.test(verb)) return { id: 2, name: 'Read' };
  return { id: 99, name: 'Other' };
}

export function ocsfClassOf(type: string): { uid: number; name: string; category: number } {
  const hit = CLASSES.find(([re]) => re.test(type));
  const [uid, name, category] = hit ? [hit[1], hit[2], hit[3]] : ENTITY_MANAGEMENT;
  return { uid, name, category };
}

export function toOcsf(e: AuditEvent): Record<string, unknown> {
  const cls = ocsfClassOf(e.type);
  const activity = activityOf(e.type);
  const ok = e.outcome === 'success';
  return {
    class_uid: cls.uid,
    class_name: cls.name,
    category_uid: cls.category,
    activity_id: activity.id,
    activity_name: activity.name,
    type_uid: cls.uid * 100 + activity.id,
    time: Date.parse(e.time),
    severity_id: ok ? 1 : 3,
    status_id: ok ? 1 : 2,
    status: ok ? 'Success' : 'Failure',
    ...(ok ? {} : { status_detail: e.outcome }),
    message: e.type,
    metadata: {
      version: '1.3.0',
      uid: e.id,
      sequence: e.seq,
      product: { name: 'Keyward', vendor_name: 'Keyward' },
      ...(e.taskId ? { correlation_uid: e.taskId } : {}),
    },
    actor: {
      user: { uid: e.actor },
      ...(e.delegationChain.length > 0 ? { authorizations: e.delegationChain.map((uid) => ({ uid })) } : {}),
    },
    ...(e.source
      ? {
          src_endpoint: {
            ...(e.source.ip ? { ip: e.source.ip } : {}),
            ...(e.source.workload ? { uid: e.source.workload } : {}),
          },
          ...(e.source.userAgent ? { http_request: { user_agent: e.source.userAgent } } : {}),
        }
      : {}),
    ...(e.action ? { api: { operation: e.action } } : {}),
    ...(e.targetId ? { resources: [{ uid: e.targetId }] } : {}),
    ...(e.policyIds.length > 0 ? { policies: e.policyIds.map((uid) => ({ uid })) } : {}),
    unmapped: { keyward: e },
  };
}

export type AuditFormat = 'jsonl' | 'ocsf';

/** One event as one line of the chosen format (no trailing newline). */
export function formatEvent(e: AuditEvent, format: AuditFormat): string {
  return JSON.stringify(format === 'ocsf' ? toOcsf(e) : e);
}
