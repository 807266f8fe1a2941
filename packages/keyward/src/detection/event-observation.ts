/**
 * What detection reads from an audit event, over the generic AuditEvent fields only (actor,
 * delegationChain, type, action, targetId, outcome, source, details, time), so event types added
 * later (authz.*, mcp.*, approval.*, policy.*) are baselined without changes here. An event is an
 * identity's behaviour when its actor is an identity id (`nhi_…`); Keyward's own and admin events
 * (actor `system` or an API token) are not.
 */
import { isIP } from 'node:net';
import type { AuditEvent } from '../audit/audit-types.js';

export interface Observation {
  identityId: string;
  eventId: string;
  /** When it happened: details.occurredAt (reported activity) when valid, else the event time. */
  at: number;
  type: string;
  action: string | null;
  targetId: string | null;
  outcome: AuditEvent['outcome'];
  /** `cidr:203.0.113.0/24`, `cidr:2001:db8:1:2::/64`, or undefined without an ip. */
  network: string | undefined;
  /** `workload:spiffe://…` when the caller is an attested workload. */
  workload: string | undefined;
  userAgent: string | undefined;
  tool: string | undefined;
  depth: number;
  bytes: number;
  records: number;
  /** authz.escalation and the like: an attempt to get more than was granted. */
  escalation: boolean;
}

const IDENTITY_PREFIX = 'nhi_';

/** The /24 (IPv4) or /64 (IPv6) network of an address, as a baseline key; undefined if not an IP. */
export function networkOf(ip: string): string | undefined {
  const kind = isIP(ip);
  if (kind === 4) return `cidr:${ip.slice(0, ip.lastIndexOf('.'))}.0/24`;
  if (kind === 6) {
    const v4 = /::ffff:(\d+\.\d+\.\d+)\.\d+$/i.exec(ip);
    if (v4) return `cidr:${v4[1]}.0/24`;
    const [head = '', tail] = ip.toLowerCase().split('::');
    const left = head === '' ? [] : head.split(':');
    const right = tail === undefined || tail === '' ? [] : tail.split(':');
    const groups = [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
    return `cidr:${groups
      .slice(0, 4)
      .map((g) => g.replace(/^0+(?=.)/, ''))
      .join(':')}::/64`;
  }
  return undefined;
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export function observe(e: AuditEvent): Observation | undefined {
  if (!e.actor.startsWith(IDENTITY_PREFIX)) return undefined;
  const d = e.details;
  const occurred = str(d['occurredAt']);
  const parsed = occurred === undefined ? Number.NaN : Date.parse(occurred);
  const ip = str(e.source?.ip);
  const tool = str(d['tool']) ?? str(d['toolName']) ?? (e.type.includes('tool') ? str(d['name']) : undefined);
  return {
    identityId: e.actor,
    eventId: e.id,
    at: Number.isNaN(parsed) ? Date.parse(e.time) : parsed,
    type: e.type,
    action: e.action,
    targetId: e.targetId,
    outcome: e.outcome,
    network: ip === undefined ? undefined : networkOf(ip),
    workload: str(e.source?.workload),
    userAgent: str(e.source?.userAgent),
    tool,
    depth: e.delegationChain.length,
    bytes: num(d['bytes']),
    records: num(d['records']),
    escalation: e.type.includes('escalation'),
  };
}
