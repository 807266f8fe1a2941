/**
 * RBAC policy rules: read from a Role or ClusterRole, expanded into the (namespace, group, resource,
 * name) targets a binding reaches, and judged for sensitivity. The judgement follows what lets a
 * holder escalate: wildcards, reading Secrets, the `escalate`/`bind`/`impersonate` verbs, the
 * kubelet API (`nodes/proxy`) and running commands in pods.
 */
import type { Sensitivity } from '@keyward/sdk';
import { isRecord } from '../json-document.js';

export interface PolicyRule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames: string[];
  nonResourceURLs: string[];
}

const strings = (v: unknown): string[] =>
  Array.isArray(v) ? [...new Set(v.filter((x): x is string => typeof x === 'string'))].sort() : [];

export function readRules(value: unknown): PolicyRule[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).map((r) => ({
    verbs: strings(r['verbs']),
    apiGroups: strings(r['apiGroups']),
    resources: strings(r['resources']),
    resourceNames: strings(r['resourceNames']),
    nonResourceURLs: strings(r['nonResourceURLs']),
  }));
}

export const ruleKey = (r: PolicyRule): string => JSON.stringify(r);

/** Rules with duplicates removed, in first-seen order. */
export function uniqueRules(rules: Iterable<PolicyRule>): PolicyRule[] {
  const out = new Map<string, PolicyRule>();
  for (const r of rules) if (!out.has(ruleKey(r))) out.set(ruleKey(r), r);
  return [...out.values()];
}

export const ruleHasWildcard = (r: PolicyRule): boolean =>
  [r.verbs, r.apiGroups, r.resources, r.nonResourceURLs].some((list) => list.some((x) => x.includes('*')));

const RANK: Record<Sensitivity, number> = { low: 0, medium: 1, high: 2, critical: 3 };
export const maxSensitivity = (a: Sensitivity, b: Sensitivity): Sensitivity => (RANK[b] > RANK[a] ? b : a);

const ESCALATING_VERBS = new Set(['escalate', 'bind', 'impersonate']);
const WRITE_VERBS = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);
const RBAC_RESOURCES = new Set(['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings']);
const EXEC_RESOURCES = new Set(['pods/exec', 'pods/attach', 'pods/portforward', 'serviceaccounts/token']);
/** Who may write these can run a pod as any account of the namespace, and so read what it can. */
const WORKLOAD_RESOURCES = new Set([
  'pods',
  'deployments',
  'statefulsets',
  'daemonsets',
  'replicasets',
  'replicationcontrollers',
  'jobs',
  'cronjobs',
]);

/** How sensitive a reached resource is (`secrets` in the core group → critical …). */
export function targetSensitivity(group: string, resource: string): Sensitivity {
  if (resource === '*' || resource === 'secrets' || resource === 'nodes/proxy') return 'critical';
  if (EXEC_RESOURCES.has(resource)) return 'high';
  if ((group === 'rbac.authorization.k8s.io' || group === '*') && RBAC_RESOURCES.has(resource)) return 'high';
  if (resource === 'configmaps') return 'medium';
  return 'low';
}

/** The sensitivity of a role from its rules, and why (`secrets read`, `verb escalate` …). */
export function rulesSensitivity(rules: readonly PolicyRule[]): {
  sensitivity: Sensitivity;
  reasons: string[];
} {
  const acc: { sensitivity: Sensitivity } = { sensitivity: 'low' };
  const reasons = new Set<string>();
  const raise = (to: Sensitivity, reason: string) => {
    acc.sensitivity = maxSensitivity(acc.sensitivity, to);
    reasons.add(reason);
  };
  for (const r of rules) {
    const anyVerb = r.verbs.includes('*');
    if (anyVerb && r.resources.includes('*')) raise('critical', 'every verb on every resource');
    for (const v of r.verbs) if (ESCALATING_VERBS.has(v)) raise('critical', `verb ${v}`);
    for (const res of r.resources) {
      const reads = anyVerb || r.verbs.some((v) => v === 'get' || v === 'list' || v === 'watch');
      if ((res === 'secrets' || res === '*') && reads) raise('critical', 'reads secrets');
      else if (res === 'nodes/proxy' || res === 'nodes/*') raise('critical', 'kubelet API (nodes/proxy)');
      else if (EXEC_RESOURCES.has(res) || res === 'pods/*') raise('high', `${res}`);
      else if (RBAC_RESOURCES.has(res) && (anyVerb || r.verbs.some((v) => WRITE_VERBS.has(v))))
        raise('high', `writes ${res}`);
      else if (res === 'secrets') raise('high', 'writes secrets');
      else if (WORKLOAD_RESOURCES.has(res) && (anyVerb || r.verbs.some((v) => WRITE_VERBS.has(v))))
        raise('high', `writes ${res}`);
      else if (res === 'configmaps') raise('medium', 'configmaps');
    }
    if (ruleHasWildcard(r) && acc.sensitivity !== 'critical') raise('high', 'wildcard');
  }
  return { sensitivity: acc.sensitivity, reasons: [...reasons].sort() };
}

export interface RuleTarget {
  /** `k8s-resource/<ns|*>/<group|core>/<resource>[/<name>]`, or `k8s-url:<path>` for a non-resource URL. */
  externalId: string;
  group: string;
  resource: string;
  resourceName?: string | undefined;
  nonResourceURL?: string | undefined;
}

/**
 * What a rule reaches in `namespace` (`*` for cluster-wide). The core API group (spelled `""`) is
 * written `core`. A subresource stays in the resource segment (`pods/exec`), so `pods/exec` the
 * subresource and a pod literally named `exec` would share an id; RBAC rules naming pods that way
 * are rare enough to accept that.
 */
export function ruleTargets(rule: PolicyRule, namespace: string): RuleTarget[] {
  const out: RuleTarget[] = [];
  for (const group of rule.apiGroups) {
    const g = group === '' ? 'core' : group;
    for (const resource of rule.resources) {
      const base = `k8s-resource/${namespace}/${g}/${resource}`;
      if (rule.resourceNames.length === 0) out.push({ externalId: base, group: g, resource });
      for (const name of rule.resourceNames)
        out.push({ externalId: `${base}/${name}`, group: g, resource, resourceName: name });
    }
  }
  for (const url of rule.nonResourceURLs)
    out.push({ externalId: `k8s-url:${url}`, group: '', resource: '', nonResourceURL: url });
  return out;
}
