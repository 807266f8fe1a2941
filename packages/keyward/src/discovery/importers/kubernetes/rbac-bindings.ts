/**
 * RoleBindings and ClusterRoleBindings: each ServiceAccount subject becomes `member_of` the bound
 * role and gets one has_permission edge per resource the role's rules reach, with the verbs as
 * spelled. Permissions reaching the same resource through several rules or bindings are merged into
 * one edge (an edge is one per pair of endpoints). The groups `system:serviceaccounts[:<ns>]` stand
 * for every listed account (of that namespace); Users and other Groups are not identities Keyward
 * discovers here: they are counted.
 */
import type { DiscoveredEdge, DiscoveredIdentity, DiscoveredResource, FoundIn } from '../../import-batch.js';
import { isRecord, stringField } from '../json-document.js';
import { type K8sContext, namespaceOf, recordName } from './k8s-metadata.js';
import type { K8sObject } from './manifest-reader.js';
import { type RoleInfo, roleId } from './rbac-roles.js';
import { ruleHasWildcard, ruleTargets, targetSensitivity } from './rbac-rules.js';
import { serviceAccountId } from './service-accounts.js';

interface Grant {
  edge: DiscoveredEdge & { actions: string[] };
  via: Set<string>;
}

/** The accounts a binding names: ServiceAccount subjects, and accounts the SA groups stand for. */
function subjectsOf(
  ctx: K8sContext,
  binding: K8sObject,
  accounts: ReadonlyMap<string, DiscoveredIdentity>,
): Array<{ id: string; group?: string }> {
  const out: Array<{ id: string; group?: string }> = [];
  const subjects = Array.isArray(binding.body['subjects']) ? binding.body['subjects'] : [];
  const clusterBinding = binding.kind === 'ClusterRoleBinding';
  for (const s of subjects) {
    if (!isRecord(s)) continue;
    const kind = stringField(s, 'kind') ?? '(no kind)';
    const name = stringField(s, 'name');
    if (kind === 'ServiceAccount' && name) {
      const ns = stringField(s, 'namespace') ?? (clusterBinding ? undefined : namespaceOf(binding));
      if (ns) out.push({ id: serviceAccountId(ns, name) });
      else
        ctx.batch.problems.push({
          ...binding.foundIn,
          severity: 'warning',
          reason: `${binding.kind} ${binding.name} names ServiceAccount ${name} without a namespace; skipped`,
        });
      continue;
    }
    const saGroup = kind === 'Group' && name ? /^system:serviceaccounts(?::(.+))?$/.exec(name) : null;
    if (saGroup) {
      const prefix = saGroup[1] ? serviceAccountId(saGroup[1], '') : 'serviceaccount/';
      for (const id of accounts.keys()) if (id.startsWith(prefix)) out.push({ id, group: name ?? '' });
      ctx.count(`subjects: Group ${name} (expanded to listed accounts)`);
      continue;
    }
    ctx.count(`subjects: ${kind} (ignored)`);
    if (kind === 'Group' && (name === 'system:authenticated' || name === 'system:unauthenticated'))
      ctx.batch.problems.push({
        ...binding.foundIn,
        severity: 'warning',
        reason: `${binding.kind} ${binding.name} grants its role to ${name} (everyone${name === 'system:unauthenticated' ? ', even anonymous requests' : ' signed in'})`,
      });
  }
  return out;
}

export function addBindings(
  ctx: K8sContext,
  bindings: readonly K8sObject[],
  roles: ReadonlyMap<string, RoleInfo>,
  accounts: ReadonlyMap<string, DiscoveredIdentity>,
): void {
  const grants = new Map<string, Grant>();
  const targets = new Map<string, DiscoveredResource>();
  const memberships = new Map<string, DiscoveredEdge>();
  for (const b of bindings) {
    const clusterWide = b.kind === 'ClusterRoleBinding';
    const ref = isRecord(b.body['roleRef']) ? b.body['roleRef'] : {};
    const refKind = stringField(ref, 'kind');
    const refName = stringField(ref, 'name');
    if (
      !refName ||
      (refKind !== 'Role' && refKind !== 'ClusterRole') ||
      (clusterWide && refKind === 'Role')
    ) {
      ctx.batch.problems.push({
        ...b.foundIn,
        severity: 'error',
        reason: `${b.kind} ${b.name} has no valid roleRef (${refKind ?? '?'} ${refName ?? '?'}); skipped`,
      });
      continue;
    }
    const bindingNs = namespaceOf(b);
    const role = roleId(refKind, refName, bindingNs);
    const bindingId = clusterWide ? `clusterrolebinding/${b.name}` : `rolebinding/${bindingNs}/${b.name}`;
    const info = roles.get(role);
    const subjects = subjectsOf(ctx, b, accounts);
    if (!info && subjects.length > 0)
      ctx.batch.problems.push({
        ...b.foundIn,
        severity: 'warning',
        reason: `${bindingId} binds ${role}, which is not in the input: membership kept, its permissions unknown until it is imported`,
      });
    const ns = clusterWide ? '*' : bindingNs;
    for (const subject of subjects) {
      const memberKey = `${subject.id}|${role}`;
      if (!memberships.has(memberKey))
        memberships.set(memberKey, {
          kind: 'member_of',
          from: subject.id,
          to: role,
          foundIn: b.foundIn,
          details: { binding: bindingId, clusterWide, ...(subject.group ? { viaGroup: subject.group } : {}) },
        });
      for (const rule of info?.rules ?? []) {
        if (rule.verbs.length === 0) continue;
        for (const t of ruleTargets(rule, rule.nonResourceURLs.length > 0 ? '*' : ns)) {
          if (!targets.has(t.externalId)) targets.set(t.externalId, targetResource(ctx, t, b.foundIn));
          grant(
            grants,
            subject,
            t.externalId,
            rule.verbs,
            ruleHasWildcard(rule),
            clusterWide,
            bindingId,
            role,
            b.foundIn,
          );
        }
      }
    }
  }
  ctx.batch.resources.push(...targets.values());
  ctx.batch.edges.push(...memberships.values());
  for (const g of grants.values()) {
    g.edge.actions.sort();
    g.edge.details = { ...g.edge.details, via: [...g.via].sort() };
    ctx.batch.edges.push(g.edge);
  }
}

function grant(
  grants: Map<string, Grant>,
  subject: { id: string; group?: string },
  to: string,
  verbs: readonly string[],
  wildcard: boolean,
  clusterWide: boolean,
  binding: string,
  role: string,
  foundIn: FoundIn,
): void {
  const key = `${subject.id}|${to}`;
  let g = grants.get(key);
  if (!g) {
    g = {
      edge: {
        kind: 'has_permission',
        from: subject.id,
        to,
        actions: [],
        foundIn,
        details: { binding, role, wildcard: false, clusterWide },
      },
      via: new Set(),
    };
    grants.set(key, g);
  }
  for (const v of verbs) if (!g.edge.actions.includes(v)) g.edge.actions.push(v);
  const d = g.edge.details ?? {};
  if (wildcard || verbs.includes('*')) d['wildcard'] = true;
  if (clusterWide) d['clusterWide'] = true;
  if (subject.group) d['viaGroup'] = subject.group;
  g.via.add(`${binding} → ${role}`);
}

function targetResource(
  ctx: K8sContext,
  t: ReturnType<typeof ruleTargets>[number],
  foundIn: FoundIn,
): DiscoveredResource {
  const rest =
    t.nonResourceURL !== undefined ? `url:${t.nonResourceURL}` : t.externalId.slice('k8s-resource/'.length);
  return {
    externalId: t.externalId,
    name: recordName(ctx, rest),
    kind: 'api',
    sensitivity:
      t.nonResourceURL !== undefined
        ? t.nonResourceURL.includes('*')
          ? 'medium'
          : 'low'
        : targetSensitivity(t.group, t.resource),
    foundIn,
    details:
      t.nonResourceURL !== undefined
        ? { nonResourceURL: t.nonResourceURL }
        : {
            apiGroup: t.group,
            resource: t.resource,
            ...(t.resourceName ? { resourceName: t.resourceName } : {}),
          },
  };
}
