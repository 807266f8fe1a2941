/**
 * The Kubernetes importer: manifests and `kubectl get -o yaml|json` dumps of one cluster in, one
 * batch of the `manifests` feed out. ServiceAccounts and workloads become identities, Roles and
 * ClusterRoles (with aggregation) and what their rules reach become resources, bindings become
 * member_of and has_permission edges, service-account token Secrets become credentials (hash only).
 * Everything else is counted as ignored. Bad documents are problems; the parser never throws.
 */
import { emptyBatch, type ImportBatch, type ImportParser } from '../../import-batch.js';
import { metadataSignals } from './agent-signals.js';
import { isBuiltin, type K8sContext, namespaceOf } from './k8s-metadata.js';
import { type K8sObject, readManifests } from './manifest-reader.js';
import { addBindings } from './rbac-bindings.js';
import { addRoles } from './rbac-roles.js';
import { addServiceAccounts } from './service-accounts.js';
import { addTokenSecrets } from './token-secrets.js';
import { addWorkloads, isWorkload, WORKLOAD_KINDS } from './workloads.js';

const RBAC = ['rbac.authorization.k8s.io'];

const KNOWN_KINDS = new Set([
  'ServiceAccount',
  'Secret',
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
  ...Object.keys(WORKLOAD_KINDS),
]);

type Bucket = 'accounts' | 'roles' | 'clusterRoles' | 'bindings' | 'secrets' | 'workloads';

function bucketOf(o: K8sObject): Bucket | undefined {
  if (o.kind === 'ServiceAccount' && isBuiltin(o, [''])) return 'accounts';
  if (o.kind === 'Secret' && isBuiltin(o, [''])) return 'secrets';
  if (o.kind === 'Role' && isBuiltin(o, RBAC)) return 'roles';
  if (o.kind === 'ClusterRole' && isBuiltin(o, RBAC)) return 'clusterRoles';
  if ((o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding') && isBuiltin(o, RBAC)) return 'bindings';
  if (isWorkload(o)) return 'workloads';
  return undefined;
}

const CLUSTER_SCOPED = new Set(['ClusterRole', 'ClusterRoleBinding']);
const identityKey = (o: K8sObject) =>
  `${o.kind}/${CLUSTER_SCOPED.has(o.kind) ? '' : namespaceOf(o)}/${o.name}`;

function build(batch: ImportBatch, files: Parameters<ImportParser>[0], ctx: K8sContext): void {
  const buckets: Record<Bucket, K8sObject[]> = {
    accounts: [],
    roles: [],
    clusterRoles: [],
    bindings: [],
    secrets: [],
    workloads: [],
  };
  const seen = new Map<string, K8sObject>();
  for (const file of files) {
    const read = readManifests(file);
    batch.problems.push(...read.problems);
    for (const o of read.objects) {
      const bucket = bucketOf(o);
      if (!bucket) {
        // A kind Keyward reads, from another API group (Crossplane's `Role` is an AWS role): say which.
        const foreign = KNOWN_KINDS.has(o.kind) && o.apiVersion ? `: ${o.apiVersion}` : '';
        ctx.count(`${o.kind} (ignored${foreign})`);
        continue;
      }
      const key = identityKey(o);
      const first = seen.get(key);
      if (first) {
        // The same object in a dump and a manifest: the first one read stands for it.
        batch.problems.push({
          ...o.foundIn,
          severity: 'warning',
          reason: `${key} appears again (first at ${first.foundIn.file}:${first.foundIn.line ?? '?'}); this copy is ignored`,
        });
        continue;
      }
      seen.set(key, o);
      buckets[bucket].push(o);
    }
  }
  const accounts = addServiceAccounts(ctx, buckets.accounts);
  for (const sa of buckets.accounts) {
    const signals = metadataSignals(sa.labels, sa.annotations);
    const identity = accounts.get(`serviceaccount/${namespaceOf(sa)}/${sa.name}`);
    if (identity && signals.length > 0) identity.agentSignals = signals;
  }
  ctx.count('ServiceAccount', buckets.accounts.length);
  addWorkloads(ctx, buckets.workloads, accounts);
  batch.identities.unshift(...accounts.values());

  const roles = addRoles(ctx, buckets.roles, buckets.clusterRoles);
  ctx.count('Role', buckets.roles.length);
  ctx.count('ClusterRole', buckets.clusterRoles.length);
  addBindings(ctx, buckets.bindings, roles, accounts);
  for (const b of buckets.bindings) ctx.count(b.kind);
  addTokenSecrets(ctx, buckets.secrets);
}

export const parseKubernetes: ImportParser = (files, options) => {
  const scope = options.scope ?? 'k8s:default';
  const batch = emptyBatch('kubernetes', scope, 'manifests');
  const ctx: K8sContext = {
    scope,
    cluster: scope.startsWith('k8s:') ? scope.slice('k8s:'.length) : scope,
    environment: options.environment,
    batch,
    count: (key, by = 1) => {
      if (by > 0) batch.counts[key] = (batch.counts[key] ?? 0) + by;
    },
  };
  try {
    build(batch, files, ctx);
  } catch (err) {
    // A bug here must not lose the import's other problems or crash the caller.
    batch.problems.push({
      file: files[0]?.path ?? '(input)',
      severity: 'error',
      reason: `the Kubernetes importer failed: ${err instanceof Error ? err.message : String(err)}`,
    });
  }
  return batch;
};
