/**
 * What a posture rule is: a pure function from one identity (and the context loaded once per
 * evaluation) to the conditions it finds, each mapped to an OWASP Non-Human Identities Top 10
 * (2025) code. Rules never query the store: the engine loads everything they read in bulk, so a
 * full evaluation of a large estate costs a few scans, not a query per identity.
 */
import type { Identity } from '@keyward/sdk';
import type { Alert } from '../detection/alert-types.js';
import type { CredentialRecord, FindingSeverity } from '../discovery/discovery-types.js';
import type { Neighbour } from '../graph/neighbours.js';
import type { UsedPair } from './grant-usage.js';

export type NhiCode = 'NHI1' | 'NHI3' | 'NHI4' | 'NHI5' | 'NHI6' | 'NHI7' | 'NHI8' | 'NHI9' | 'NHI10';

/** One condition a rule found on one identity. */
export interface PostureHit {
  severity: FindingSeverity;
  title: string;
  /** What was seen, as JSON: it is compared run to run, so keep it deterministic (sorted lists). */
  evidence: Record<string, unknown>;
  /** A concrete action: the keyward command where Keyward can act, else the exact steps. */
  remedy: string;
  /** `<rule>:<identityId>[:<detail>]`: the same condition seen again joins its finding. */
  dedupKey: string;
  /** The discovered credential the condition is about, when it is about one. */
  credentialId?: string | undefined;
}

export interface PostureConfig {
  /** An active identity unused this long is NHI1. */
  unusedDays: number;
  /** Rotation period for secrets that name none. */
  rotationDays: number;
  /** This many workload identities assuming one identity is NHI9. */
  manyWorkloads: number;
  /** A third-party app that can write to this many resources has broad grants (NHI3). */
  broadGrantCount: number;
  /** Window (days) in which granted permissions must have been used (NHI5 unused-grants). */
  observationDays: number;
}

export const DEFAULT_POSTURE_CONFIG: PostureConfig = {
  unusedDays: 90,
  rotationDays: 90,
  manyWorkloads: 5,
  broadGrantCount: 10,
  observationDays: 30,
};

/** The reach of an identity, as blast radius counts it. */
export interface ReachTotals {
  reachable: number;
  critical: number;
  high: number;
}

/** Everything rules read, loaded once per evaluation (see posture-context.ts). */
export interface PostureContext {
  /** Evaluation time, ms since the epoch. */
  now: number;
  config: PostureConfig;
  /** The human's active flag; undefined for an unknown id. */
  humanActive(id: string): boolean | undefined;
  /** Discovered credentials of the identity (all statuses). */
  credentials(identityId: string): readonly CredentialRecord[];
  /** The identity's direct edges from the graph index. */
  edgesOf(identityId: string, direction: 'out' | 'in'): readonly Neighbour[];
  /** Discovery's source details of an edge (wildcard, broadSubject, anyone …), merged over its refs. */
  edgeDetails(kind: string, fromId: string, toId: string): Record<string, unknown> | undefined;
  /** Discovery's source details of an identity or resource (passwordAuth, staticCloudKey …). */
  nodeDetails(nodeId: string): Record<string, unknown> | undefined;
  /** Environment of a resource or identity; null or undefined when it has none or is unknown. */
  environmentOf(nodeId: string): string | null | undefined;
  /** originExternalId of an identity (undefined for other nodes or when it has none). */
  externalIdOf(nodeId: string): string | undefined;
  /** Kind of an identity (undefined for other nodes). */
  identityKind(nodeId: string): Identity['kind'] | undefined;
  /** Open or acknowledged human-use alerts of the identity. */
  humanUseAlerts(identityId: string): readonly Alert[];
  /** Allowed (action, resource) uses of the identity within the last observationDays (audit). */
  usedPairs(identityId: string): readonly UsedPair[];
  /** Blast radius totals (a BFS; rules call it only for identities already suspect). */
  reach(identityId: string): ReachTotals;
}

export interface PostureRule {
  /** kebab-case, the Finding's `rule`. */
  id: string;
  code: NhiCode;
  title: string;
  severity: FindingSeverity;
  /** What triggers it, one sentence (docs and `--help`). */
  description: string;
  evaluate(ctx: PostureContext, identity: Identity): PostureHit[];
}

export const DAY_MS = 86_400_000;

/** Live identities are judged; disabled and revoked ones can do no harm. */
export const isLive = (identity: Identity): boolean =>
  identity.status !== 'disabled' && identity.status !== 'revoked';

/** Days between an ISO time and now (NaN when absent or unparseable). */
export const daysSince = (ctx: PostureContext, iso: string | null | undefined): number =>
  iso ? (ctx.now - Date.parse(iso)) / DAY_MS : Number.NaN;

/** A hit of `rule` on `identity`, with the dedup key built the one way. */
export function hit(
  rule: PostureRule,
  identity: Identity,
  fields: Omit<PostureHit, 'dedupKey' | 'severity'> & { severity?: FindingSeverity | undefined },
  detail?: string,
): PostureHit {
  return {
    severity: fields.severity ?? rule.severity,
    title: fields.title,
    evidence: fields.evidence,
    remedy: fields.remedy,
    dedupKey: `${rule.id}:${identity.id}${detail ? `:${detail}` : ''}`,
    ...(fields.credentialId ? { credentialId: fields.credentialId } : {}),
  };
}

/** Admin-equivalent actions: `*`, `admin`, `owner`, or a service-wide wildcard like `s3:*`. */
export function isAdminAction(action: string): boolean {
  const a = action.toLowerCase();
  return a === '*' || a === 'admin' || a === 'owner' || a.endsWith(':*') || a.endsWith('/*') || a === 'iam:*';
}

/** has_permission edges out of the identity that are wildcard (by discovery) or admin-equivalent. */
export function broadGrants(ctx: PostureContext, identity: Identity): Array<Neighbour & { why: string }> {
  const out: Array<Neighbour & { why: string }> = [];
  for (const e of ctx.edgesOf(identity.id, 'out')) {
    if (e.kind !== 'has_permission') continue;
    const details = ctx.edgeDetails(e.kind, identity.id, e.id);
    if (details?.['wildcard'] === true) out.push({ ...e, why: 'wildcard' });
    else if (e.actions.some(isAdminAction)) out.push({ ...e, why: 'admin-equivalent actions' });
  }
  return out;
}
