/**
 * Workloads (Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob,
 * Pod) as identities of kind `workload`, each able to assume the ServiceAccount its pods run as. An
 * object whose controller is also in the input (a Pod of a listed ReplicaSet, a ReplicaSet of a
 * listed Deployment, a Job of a listed CronJob) is counted and skipped: its controller stands for it.
 * A workload that looks like an AI agent carries the signals, and so does its ServiceAccount.
 */
import type { DiscoveredIdentity } from '../../import-batch.js';
import { isRecord, stringField } from '../json-document.js';
import { containersOf, metadataSignals, podSignals } from './agent-signals.js';
import {
  creationOf,
  environmentOf,
  isBuiltin,
  type K8sContext,
  namespaceOf,
  ownerEmailOf,
  purposeOf,
  recordName,
  sourceLabelsOf,
} from './k8s-metadata.js';
import { type K8sObject, stringMap } from './manifest-reader.js';
import { serviceAccountId } from './service-accounts.js';

/** Kind → API groups it is built in to (extensions: manifests older than apps/v1). */
export const WORKLOAD_KINDS: Readonly<Record<string, readonly string[]>> = {
  Deployment: ['apps', 'extensions'],
  StatefulSet: ['apps'],
  DaemonSet: ['apps', 'extensions'],
  ReplicaSet: ['apps', 'extensions'],
  ReplicationController: [''],
  Job: ['batch'],
  CronJob: ['batch'],
  Pod: [''],
};

export const isWorkload = (o: K8sObject): boolean =>
  Object.hasOwn(WORKLOAD_KINDS, o.kind) && isBuiltin(o, WORKLOAD_KINDS[o.kind] ?? []);

const objectKey = (kind: string, namespace: string, name: string) => `${kind}/${namespace}/${name}`;

/** The pod template of a workload: its metadata and spec (a Pod is its own template). */
function podTemplate(o: K8sObject): { metadata: Record<string, unknown>; spec: Record<string, unknown> } {
  const spec = isRecord(o.body['spec']) ? o.body['spec'] : {};
  if (o.kind === 'Pod') return { metadata: {}, spec };
  let template: unknown = spec['template'];
  if (o.kind === 'CronJob') {
    const job = isRecord(spec['jobTemplate']) ? spec['jobTemplate']['spec'] : undefined;
    template = isRecord(job) ? job['template'] : undefined;
  }
  const t = isRecord(template) ? template : {};
  return {
    metadata: isRecord(t['metadata']) ? t['metadata'] : {},
    spec: isRecord(t['spec']) ? t['spec'] : {},
  };
}

/** The listed controller that owns `o`, if any. */
function listedOwner(o: K8sObject, listed: ReadonlySet<string>): string | undefined {
  const refs = (o.body['metadata'] as Record<string, unknown>)['ownerReferences'];
  for (const ref of Array.isArray(refs) ? refs : []) {
    if (!isRecord(ref)) continue;
    const kind = stringField(ref, 'kind');
    const name = stringField(ref, 'name');
    if (kind && name && listed.has(objectKey(kind, namespaceOf(o), name))) return kind;
  }
  return undefined;
}

export function addWorkloads(
  ctx: K8sContext,
  workloads: readonly K8sObject[],
  accounts: ReadonlyMap<string, DiscoveredIdentity>,
): void {
  const listed = new Set(workloads.map((w) => objectKey(w.kind, namespaceOf(w), w.name)));
  for (const w of workloads) {
    const ns = namespaceOf(w);
    const owner = listedOwner(w, listed);
    if (owner) {
      ctx.count(`${w.kind} (skipped: owned by a listed ${owner})`);
      continue;
    }
    ctx.count(w.kind);
    const template = podTemplate(w);
    const templateLabels = stringMap(template.metadata['labels']);
    const templateAnnotations = stringMap(template.metadata['annotations']);
    const spec = template.spec;
    const sa = stringField(spec, 'serviceAccountName') ?? stringField(spec, 'serviceAccount') ?? 'default';
    const saId = serviceAccountId(ns, sa);
    const containers = containersOf(spec);
    const images = [...new Set(containers.flatMap((c) => stringField(c, 'image') ?? []))].sort();
    const workloadSpec = isRecord(w.body['spec']) ? w.body['spec'] : {};
    const details: Record<string, unknown> = {
      kind: w.kind,
      namespace: ns,
      serviceAccount: sa,
      images,
      containers: containers.flatMap((c) => stringField(c, 'name') ?? []),
    };
    if (typeof workloadSpec['replicas'] === 'number') details['replicas'] = workloadSpec['replicas'];
    if (w.kind === 'CronJob' && typeof workloadSpec['schedule'] === 'string')
      details['schedule'] = workloadSpec['schedule'];
    if (typeof spec['automountServiceAccountToken'] === 'boolean')
      details['automountServiceAccountToken'] = spec['automountServiceAccountToken'];
    if (spec['hostNetwork'] === true) details['hostNetwork'] = true;

    const signals = [
      ...new Set([
        ...metadataSignals(w.labels, w.annotations),
        ...metadataSignals(templateLabels, templateAnnotations),
        ...podSignals(spec),
      ]),
    ];
    const externalId = `${w.kind.toLowerCase()}/${ns}/${w.name}`;
    const identity: DiscoveredIdentity = {
      externalId,
      name: recordName(ctx, externalId),
      kind: 'workload',
      environment: environmentOf(ctx, ns, w.labels, templateLabels),
      purpose: purposeOf(w.annotations),
      ownerEmail: ownerEmailOf(w.annotations),
      labels: sourceLabelsOf(w),
      firstSeen: creationOf(w),
      foundIn: w.foundIn,
      details,
      ...(signals.length > 0 ? { agentSignals: signals } : {}),
    };
    ctx.batch.identities.push(identity);

    const account = accounts.get(saId);
    // Every namespace has a `default` account; naming it when it is not in the input adds nothing.
    if (account || sa !== 'default') {
      ctx.batch.edges.push({
        kind: 'can_assume',
        from: externalId,
        to: saId,
        foundIn: w.foundIn,
        details: { via: 'spec.serviceAccountName' },
      });
    }
    if (account && signals.length > 0) {
      const signal = `used by agent workload ${ns}/${w.name}`;
      account.agentSignals = [...new Set([...(account.agentSignals ?? []), signal])];
    }
  }
}
