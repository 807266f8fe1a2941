/**
 * ServiceAccounts as identities, and where their cloud workload identity leads: IRSA's
 * `eks.amazonaws.com/role-arn` becomes a can_assume edge into the AWS scope (joined when that account
 * is imported), GKE's `iam.gke.io/gcp-service-account` a `gcp-sa:<email>` resource the account can
 * mint tokens for. GKE gets a resource rather than an identity because no importer owns GCP service
 * accounts yet, and a can_assume edge needs an identity at its end; the resource shows in the blast
 * radius today.
 */
import type { DiscoveredIdentity } from '../../import-batch.js';
import {
  creationOf,
  environmentOf,
  type K8sContext,
  namespaceOf,
  ownerEmailOf,
  purposeOf,
  recordName,
  sourceLabelsOf,
} from './k8s-metadata.js';
import type { K8sObject } from './manifest-reader.js';

export const serviceAccountId = (namespace: string, name: string): string =>
  `serviceaccount/${namespace}/${name}`;

const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/.+$/;
const GCP_SA = /^[^\s@]+@[^\s@]+\.iam\.gserviceaccount\.com$/;

function names(list: unknown): string[] | undefined {
  if (!Array.isArray(list)) return undefined;
  const out = list.flatMap((x) =>
    x && typeof x === 'object' && typeof (x as { name?: unknown }).name === 'string'
      ? [(x as { name: string }).name]
      : [],
  );
  return out.length > 0 ? out.sort() : undefined;
}

/** The identity of each ServiceAccount, by external id (workloads add agent signals to them later). */
export function addServiceAccounts(
  ctx: K8sContext,
  accounts: readonly K8sObject[],
): Map<string, DiscoveredIdentity> {
  const out = new Map<string, DiscoveredIdentity>();
  for (const sa of accounts) {
    const ns = namespaceOf(sa);
    const externalId = serviceAccountId(ns, sa.name);
    const details: Record<string, unknown> = { namespace: ns };
    const uid = (sa.body['metadata'] as Record<string, unknown>)['uid'];
    if (typeof uid === 'string') details['uid'] = uid;
    const automount = sa.body['automountServiceAccountToken'];
    if (typeof automount === 'boolean') details['automountServiceAccountToken'] = automount;
    const secrets = names(sa.body['secrets']);
    if (secrets) details['secrets'] = secrets;
    const pullSecrets = names(sa.body['imagePullSecrets']);
    if (pullSecrets) details['imagePullSecrets'] = pullSecrets;

    const roleArn = sa.annotations['eks.amazonaws.com/role-arn']?.trim();
    if (roleArn) {
      details['awsRoleArn'] = roleArn;
      const account = ROLE_ARN.exec(roleArn)?.[1];
      if (account) {
        ctx.batch.edges.push({
          kind: 'can_assume',
          from: externalId,
          to: `aws:${account}|${roleArn}`,
          foundIn: sa.foundIn,
          details: { via: 'eks.amazonaws.com/role-arn (IRSA)', crossAccount: true },
        });
      } else {
        ctx.batch.problems.push({
          ...sa.foundIn,
          severity: 'warning',
          reason: `eks.amazonaws.com/role-arn of ${externalId} is not an IAM role ARN (${roleArn.slice(0, 200)}); kept in details only`,
        });
      }
    }
    const gcp = sa.annotations['iam.gke.io/gcp-service-account']?.trim();
    if (gcp) {
      details['gcpServiceAccount'] = gcp;
      if (GCP_SA.test(gcp)) {
        const resource = `gcp-sa:${gcp}`;
        ctx.batch.resources.push({
          externalId: resource,
          name: recordName(ctx, resource),
          kind: 'service',
          sensitivity: 'high',
          foundIn: sa.foundIn,
          details: { via: 'iam.gke.io/gcp-service-account (GKE Workload Identity)' },
        });
        ctx.batch.edges.push({
          kind: 'has_permission',
          from: externalId,
          to: resource,
          actions: ['iam.serviceAccounts.getAccessToken'],
          foundIn: sa.foundIn,
          details: { via: 'iam.gke.io/gcp-service-account (GKE Workload Identity)' },
        });
      }
    }
    const azure = sa.annotations['azure.workload.identity/client-id']?.trim();
    if (azure) details['azureClientId'] = azure;

    const identity: DiscoveredIdentity = {
      externalId,
      name: recordName(ctx, `${ns}/${sa.name}`),
      kind: 'service_account',
      environment: environmentOf(ctx, ns, sa.labels),
      purpose: purposeOf(sa.annotations),
      ownerEmail: ownerEmailOf(sa.annotations),
      labels: sourceLabelsOf(sa),
      firstSeen: creationOf(sa),
      foundIn: sa.foundIn,
      details,
    };
    out.set(externalId, identity);
  }
  return out;
}
