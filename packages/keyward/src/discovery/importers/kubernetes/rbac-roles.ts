/**
 * Roles and ClusterRoles as resources of kind `role`, with their effective rules. A ClusterRole with
 * an aggregationRule holds, besides its own rules, the rules of every ClusterRole whose labels match
 * one of its clusterRoleSelectors (as the cluster's aggregation controller fills it in), computed
 * transitively so an aggregated role that feeds another one counts with all it gathered.
 */
import type { DiscoveredResource } from '../../import-batch.js';
import { isRecord } from '../json-document.js';
import { environmentOf, type K8sContext, namespaceOf, recordName, sourceLabelsOf } from './k8s-metadata.js';
import { selectorMatches } from './label-selector.js';
import type { K8sObject } from './manifest-reader.js';
import { type PolicyRule, readRules, rulesSensitivity, uniqueRules } from './rbac-rules.js';

export interface RoleInfo {
  externalId: string;
  rules: PolicyRule[];
  aggregated: boolean;
}

export const roleId = (kind: 'Role' | 'ClusterRole', name: string, namespace?: string): string =>
  kind === 'Role' ? `role/${namespace ?? 'default'}/${name}` : `clusterrole/${name}`;

function selectorsOf(role: K8sObject): unknown[] | undefined {
  const rule = role.body['aggregationRule'];
  if (!isRecord(rule)) return undefined;
  return Array.isArray(rule['clusterRoleSelectors']) ? rule['clusterRoleSelectors'] : [];
}

/** The effective rules of each ClusterRole, by name. */
function aggregate(clusterRoles: readonly K8sObject[]): Map<string, { rules: PolicyRule[]; from: string[] }> {
  const byName = new Map(clusterRoles.map((r) => [r.name, r]));
  const done = new Map<string, { rules: PolicyRule[]; from: string[] }>();
  const visit = (role: K8sObject, stack: Set<string>): PolicyRule[] => {
    const cached = done.get(role.name);
    if (cached) return cached.rules;
    const own = readRules(role.body['rules']);
    const selectors = selectorsOf(role);
    if (!selectors) {
      done.set(role.name, { rules: own, from: [] });
      return own;
    }
    stack.add(role.name);
    const from: string[] = [];
    const gathered: PolicyRule[] = [...own];
    for (const other of byName.values()) {
      if (other.name === role.name || stack.has(other.name)) continue;
      if (!selectors.some((s) => selectorMatches(s, other.labels))) continue;
      from.push(other.name);
      gathered.push(...visit(other, stack));
    }
    stack.delete(role.name);
    const rules = uniqueRules(gathered);
    done.set(role.name, { rules, from: from.sort() });
    return rules;
  };
  for (const r of clusterRoles) visit(r, new Set());
  return done;
}

/** Adds a resource per role; returns each role's effective rules by its external id. */
export function addRoles(
  ctx: K8sContext,
  roles: readonly K8sObject[],
  clusterRoles: readonly K8sObject[],
): Map<string, RoleInfo> {
  const out = new Map<string, RoleInfo>();
  const effective = aggregate(clusterRoles);
  const add = (
    o: K8sObject,
    externalId: string,
    rules: PolicyRule[],
    from: string[] | undefined,
    ns?: string,
  ) => {
    const { sensitivity, reasons } = rulesSensitivity(rules);
    const details: Record<string, unknown> = { kind: o.kind, rules, sensitivityReasons: reasons };
    if (ns) details['namespace'] = ns;
    if (from) details['aggregatedFrom'] = from;
    const resource: DiscoveredResource = {
      externalId,
      name: recordName(ctx, externalId),
      kind: 'role',
      sensitivity,
      environment: ns ? environmentOf(ctx, ns, o.labels) : ctx.environment,
      labels: sourceLabelsOf(o),
      foundIn: o.foundIn,
      details,
    };
    ctx.batch.resources.push(resource);
    out.set(externalId, { externalId, rules, aggregated: from !== undefined });
  };
  for (const r of roles) {
    const ns = namespaceOf(r);
    add(r, roleId('Role', r.name, ns), uniqueRules(readRules(r.body['rules'])), undefined, ns);
  }
  for (const r of clusterRoles) {
    const e = effective.get(r.name);
    add(r, roleId('ClusterRole', r.name), e?.rules ?? [], selectorsOf(r) ? (e?.from ?? []) : undefined);
  }
  return out;
}
