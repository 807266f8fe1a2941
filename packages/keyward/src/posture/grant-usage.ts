/**
 * Granted versus used: an identity's has_permission edges held against what it did in an
 * observation window. Use comes from two places: allowed `authz.decision` audit events (identity,
 * action, resource: exact pairs) and, for imported cloud identities, a credential's last-used
 * service (AWS access-key last used: only the service, so every granted action of that service
 * counts as used, as IAM Access Advisor does). Loading is here too, so the posture engine and the
 * right-sizer read use the same way.
 */
import type { NodeType, Sensitivity } from '@keyward/sdk';
import type { CredentialRecord } from '../discovery/discovery-types.js';
import type { Neighbour } from '../graph/neighbours.js';
import type { Store } from '../storage/storage-types.js';

/** One action an identity was allowed to do on one node within the window. */
export interface UsedPair {
  /** The action Cedar was asked about (for a tool call, `call_tool`, not the tool's name). */
  action: string;
  resourceId: string;
  /** The decision's resource type (resource, system, identity, tool) when the event records it. */
  resourceType?: string | undefined;
  count: number;
  lastAt: string;
}

/** A service a credential of the identity was last used with, within the window. */
export interface ServiceUse {
  service: string;
  lastUsedAt: string;
}

/** One grant (has_permission edge) and how much of it was used. */
export interface GrantUse {
  resourceId: string;
  resourceType: NodeType;
  sensitivity: Sensitivity | null;
  /** The edge's actions, as granted (may hold wildcards). */
  actions: string[];
  /** Concrete actions used under this grant (the used action, not the wildcard that allowed it). */
  usedActions: string[];
  /** Granted actions that nothing in the window used. */
  unusedActions: string[];
  /** How the use is known: exact audit pairs, or only the service (coarse). */
  evidence: 'audit' | 'service_last_used' | 'none';
}

export interface GrantComparison {
  grants: GrantUse[];
  /** Allowed uses no grant edge covers (another policy allowed them); still part of what it needs. */
  outsideGrants: UsedPair[];
}

const escapeRegExp = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

/** IAM-style action match: `*` and `?` globs, case-insensitive (`s3:Get*` covers `s3:GetObject`). */
export function actionMatches(pattern: string, action: string): boolean {
  if (pattern === '*') return true;
  if (!pattern.includes('*') && !pattern.includes('?')) return pattern.toLowerCase() === action.toLowerCase();
  const re = new RegExp(`^${escapeRegExp(pattern).replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return re.test(action);
}

/** The `svc` of `svc:Action`, lower-cased; undefined for actions without a service prefix. */
const serviceOf = (action: string): string | undefined => {
  const i = action.indexOf(':');
  return i > 0 ? action.slice(0, i).toLowerCase() : undefined;
};

export function compareGrants(
  grants: readonly Neighbour[],
  pairs: readonly UsedPair[],
  services: readonly ServiceUse[],
): GrantComparison {
  const usedServices = new Set(services.map((s) => s.service.toLowerCase()));
  const covered = new Set<UsedPair>();
  const out: GrantUse[] = [];
  for (const g of grants) {
    if (g.kind !== 'has_permission') continue;
    const used = new Set<string>();
    const unused: string[] = [];
    let evidence: GrantUse['evidence'] = 'none';
    for (const a of g.actions) {
      const hits = pairs.filter((p) => p.resourceId === g.id && actionMatches(a, p.action));
      for (const p of hits) {
        used.add(p.action);
        covered.add(p);
        evidence = 'audit';
      }
      if (hits.length > 0) continue;
      const svc = serviceOf(a);
      if (svc && usedServices.has(svc)) {
        used.add(a);
        if (evidence === 'none') evidence = 'service_last_used';
      } else unused.push(a);
    }
    out.push({
      resourceId: g.id,
      resourceType: g.type,
      sensitivity: g.sensitivity,
      actions: [...g.actions].sort(),
      usedActions: [...used].sort(),
      unusedActions: unused.sort(),
      evidence,
    });
  }
  out.sort((a, b) => a.resourceId.localeCompare(b.resourceId));
  const outsideGrants = pairs.filter((p) => !covered.has(p));
  return { grants: out, outsideGrants };
}

/** Services the identity's credentials were last used with at or after `sinceMs`. */
export function serviceUses(credentials: readonly CredentialRecord[], sinceMs: number): ServiceUse[] {
  const out = new Map<string, string>();
  for (const c of credentials) {
    const service = c.details['lastUsedService'];
    if (typeof service !== 'string' || !service || service === 'N/A' || !c.lastUsedAt) continue;
    if (Date.parse(c.lastUsedAt) < sinceMs) continue;
    const prev = out.get(service);
    if (!prev || prev < c.lastUsedAt) out.set(service, c.lastUsedAt);
  }
  return [...out]
    .map(([service, lastUsedAt]) => ({ service, lastUsedAt }))
    .sort((a, b) => a.service.localeCompare(b.service));
}

const PAGE = 1000;

/**
 * Allowed decisions from `sinceIso` on, per acting identity: one keyset walk over the audit log
 * starting at the window (lastSeqBefore skips older history). With `identityId`, only its own.
 */
export async function loadUsedPairs(
  store: Store,
  sinceIso: string,
  identityId?: string,
): Promise<Map<string, UsedPair[]>> {
  const byKey = new Map<string, UsedPair>();
  let afterSeq = await store.audit.lastSeqBefore(sinceIso);
  for (;;) {
    const events = await store.audit.list(
      {
        type: 'authz.decision',
        outcome: 'success',
        from: sinceIso,
        afterSeq,
        ...(identityId ? { identityId } : {}),
      },
      PAGE,
    );
    for (const e of events) {
      // The request as authorize-service.ts records it: the event's own `action` is the tool's
      // name for a tool call, the request's is what a policy names.
      const req = e.details['request'] as { action?: unknown; resource?: { type?: unknown } } | undefined;
      const action = typeof req?.action === 'string' ? req.action : e.action;
      const type = typeof req?.resource?.type === 'string' ? req.resource.type : undefined;
      if (!action || !e.targetId || e.actor === 'unknown') continue;
      if (identityId && e.actor !== identityId) continue;
      const key = `${e.actor}\u0000${action}\u0000${e.targetId}`;
      const p = byKey.get(key);
      if (p) {
        p.count++;
        if (p.lastAt < e.time) p.lastAt = e.time;
      } else
        byKey.set(key, {
          action,
          resourceId: e.targetId,
          ...(type ? { resourceType: type } : {}),
          count: 1,
          lastAt: e.time,
        });
    }
    if (events.length < PAGE) break;
    afterSeq = events.at(-1)!.seq;
  }
  const out = new Map<string, UsedPair[]>();
  for (const [key, p] of byKey) {
    const actor = key.slice(0, key.indexOf('\u0000'));
    const list = out.get(actor);
    if (list) list.push(p);
    else out.set(actor, [p]);
  }
  for (const list of out.values())
    list.sort((a, b) => a.resourceId.localeCompare(b.resourceId) || a.action.localeCompare(b.action));
  return out;
}
