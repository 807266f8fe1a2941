/**
 * What every Kubernetes record of the batch derives the same way from an object's metadata: its
 * namespace, proposed names, source labels (prefixed and cut to what Keyward's label schema takes),
 * owner, purpose, environment and creation time. Shared by service accounts, workloads and roles.
 */
import { createHash } from 'node:crypto';
import type { ImportBatch } from '../../import-batch.js';
import type { K8sObject } from './manifest-reader.js';

/** What the steps of the importer share: the batch being built and how names are spelled. */
export interface K8sContext {
  scope: string;
  /** The scope without its `k8s:` prefix, as names spell it (`k8s:<cluster>:payments/ledger`). */
  cluster: string;
  environment: string | undefined;
  batch: ImportBatch;
  count: (key: string, by?: number) => void;
}

export const namespaceOf = (o: Pick<K8sObject, 'namespace'>): string => o.namespace ?? 'default';

/** Keyward's limits (http/schemas.ts Name, Labels): names ≤ 200 characters, label keys ≤ 100. */
const MAX_NAME = 200;
const MAX_LABEL_KEY = 100;

const shortHash = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 8);

/** `text` if it fits in `max`, else a prefix and a hash of the whole (stable, still unique). */
export function bounded(text: string, max: number): string {
  const clean = text.replace(/\p{Cc}/gu, '_');
  return clean.length <= max ? clean : `${clean.slice(0, max - 9)}~${shortHash(text)}`;
}

export const recordName = (ctx: K8sContext, rest: string): string =>
  bounded(`k8s:${ctx.cluster}:${rest}`, MAX_NAME);

/** Labels that change on every rollout: dropped, as keeping them would make each re-import an update. */
const VOLATILE_LABELS = new Set([
  'pod-template-hash',
  'controller-revision-hash',
  'controller-uid',
  'batch.kubernetes.io/controller-uid',
  'pod-template-generation',
  'statefulset.kubernetes.io/pod-name',
  'apps.kubernetes.io/pod-index',
]);

/**
 * Annotations worth keeping as labels. Only these: others can be huge or carry secrets
 * (`kubectl.kubernetes.io/last-applied-configuration` of a Secret holds its data).
 */
const KEPT_ANNOTATION =
  /^(keyward\.io\/.+|owner|team|description|kubernetes\.io\/description|eks\.amazonaws\.com\/role-arn|iam\.gke\.io\/gcp-service-account|azure\.workload\.identity\/client-id)$/;

const labelKey = (prefix: string, key: string): string =>
  bounded(`${prefix}${key.replace(/[^A-Za-z0-9._/-]/g, '_')}`, MAX_LABEL_KEY);

/** `k8s.label.<key>` for each label and `k8s.annotation.<key>` for the kept annotations. */
export function sourceLabelsOf(o: Pick<K8sObject, 'labels' | 'annotations'>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o.labels))
    if (!VOLATILE_LABELS.has(k)) out[labelKey('k8s.label.', k)] = v;
  for (const [k, v] of Object.entries(o.annotations))
    if (KEPT_ANNOTATION.test(k)) out[labelKey('k8s.annotation.', k)] = v;
  return out;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function ownerEmailOf(annotations: Record<string, string>): string | undefined {
  for (const key of ['keyward.io/owner', 'owner']) {
    const v = annotations[key]?.trim();
    if (v && EMAIL.test(v)) return v;
  }
  return undefined;
}

export function purposeOf(annotations: Record<string, string>): string | undefined {
  for (const key of ['keyward.io/purpose', 'description', 'kubernetes.io/description']) {
    const v = annotations[key]?.trim();
    if (v) return v.slice(0, 2000);
  }
  return undefined;
}

const ENV_LABELS = ['environment', 'env', 'app.kubernetes.io/environment'];
const NAMESPACE_ENVS: Array<[RegExp, string]> = [
  [/^(prod|production|prd)$/, 'prod'],
  [/^(staging|stage|stg)$/, 'staging'],
  [/^(dev|development)$/, 'dev'],
];

/**
 * The environment the object says (an `environment`/`env` label, of the object or its pod template),
 * else one its namespace's name spells (`payments-prod` → prod), else the import's `--environment`.
 */
export function environmentOf(
  ctx: K8sContext,
  namespace: string | undefined,
  ...labelSets: Array<Record<string, string>>
): string | undefined {
  for (const labels of labelSets)
    for (const key of ENV_LABELS) {
      const v = labels[key]?.trim();
      if (v) return v;
    }
  for (const token of (namespace ?? '').toLowerCase().split(/[-_.]/))
    for (const [pattern, env] of NAMESPACE_ENVS) if (pattern.test(token)) return env;
  return ctx.environment;
}

/** An ISO-8601 time as Keyward stores them, or undefined when `value` is not a time. */
export function isoTime(value: unknown): string | undefined {
  if (!(typeof value === 'string' || value instanceof Date)) return undefined;
  const t = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

export const creationOf = (o: K8sObject): string | undefined =>
  isoTime((o.body['metadata'] as Record<string, unknown> | undefined)?.['creationTimestamp']);

/** The API group of an apiVersion (`rbac.authorization.k8s.io/v1` → rbac.authorization.k8s.io, `v1` → ''). */
export const apiGroupOf = (apiVersion: string): string =>
  apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '';

/**
 * Whether `o` is the built-in kind of one of `groups` (a CRD may reuse a name: Crossplane's `Role`
 * is an AWS role, not RBAC). Typed-list items have no apiVersion and are taken as built-in.
 */
export const isBuiltin = (o: K8sObject, groups: readonly string[]): boolean =>
  o.apiVersion === undefined || groups.includes(apiGroupOf(o.apiVersion));
