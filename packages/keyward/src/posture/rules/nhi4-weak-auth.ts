/**
 * NHI4 (insecure authentication): a static cloud key on an identity a workload already reaches
 * (it could federate instead), found keys and tokens that never expire, and password sign-in
 * enabled on a machine account.
 */
import type { CredentialRecord } from '../../discovery/discovery-types.js';
import { hit, isLive, type PostureRule } from '../posture-rule.js';

const STATIC_KEYS = new Set(['aws_access_key', 'gcp_service_account_key']);
/** Kinds whose secret is a bearer value that should expire. */
const EXPIRING_KINDS = new Set([
  'api_key',
  'github_token',
  'aws_access_key',
  'gcp_service_account_key',
  'other',
]);

const active = (creds: readonly CredentialRecord[]) => creds.filter((c) => c.status === 'active');
const isWorkload = (kind: string | undefined) => kind === 'workload';

export const staticKeyFederable: PostureRule = {
  id: 'static-key-federable',
  code: 'NHI4',
  title: 'Static cloud key where the workload could federate',
  severity: 'high',
  description:
    'an identity with an active AWS access key or GCP key that a workload identity (e.g. a Kubernetes service account) can assume or is used by',
  evaluate(ctx, identity) {
    if (!isLive(identity)) return [];
    const keys = active(ctx.credentials(identity.id)).filter((c) => STATIC_KEYS.has(c.kind));
    if (keys.length === 0) return [];
    const workloads = ctx
      .edgesOf(identity.id, 'in')
      .filter((e) => e.kind === 'can_assume' && isWorkload(ctx.identityKind(e.id)))
      .map((e) => e.id)
      .sort();
    if (workloads.length === 0) return [];
    return [
      hit(this, identity, {
        title: `${identity.name}: static ${keys[0]!.kind.replaceAll('_', ' ')} while workloads could federate`,
        evidence: { keys: keys.map((k) => k.hint ?? k.externalId).sort(), workloads },
        remedy: `Federate the workload instead (EKS: IRSA / pod identity on a role; GitHub: OIDC), then deactivate and delete the key (aws iam update-access-key --status Inactive, then delete-access-key) and re-import.`,
      }),
    ];
  },
};

export const nonExpiringCredential: PostureRule = {
  id: 'non-expiring-credential',
  code: 'NHI4',
  title: 'Key or token without expiry',
  severity: 'medium',
  description:
    'an api_key or token identity whose credential has no expiry, or an active discovered API key, token or cloud key with no expiry date',
  evaluate(ctx, identity) {
    if (!isLive(identity)) return [];
    const own =
      (identity.kind === 'api_key' || identity.kind === 'token') && !identity.credential.expiresAt
        ? [
            hit(this, identity, {
              title: `${identity.name}: ${identity.kind.replace('_', ' ')} never expires`,
              evidence: { kind: identity.kind, expiresAt: null },
              remedy: `Reissue it with an expiry at ${identity.origin} and record it (keyward identity update ${identity.name} --expires +90d), or replace it with a short-lived credential (a Keyward task token, OIDC federation).`,
            }),
          ]
        : [];
    return own.concat(
      active(ctx.credentials(identity.id))
        .filter((c) => EXPIRING_KINDS.has(c.kind) && !c.expiresAt)
        .map((c) =>
          hit(
            this,
            identity,
            {
              title: `${identity.name}: ${c.kind.replaceAll('_', ' ')} ${c.hint ?? c.externalId} never expires`,
              credentialId: c.id,
              evidence: { credentialId: c.id, kind: c.kind, hint: c.hint, createdAt: c.createdAt },
              remedy: `Replace it with a short-lived credential (a Keyward task token, OIDC federation) or one with an expiry, then revoke ${c.hint ?? c.externalId} at its provider and re-import.`,
            },
            c.id,
          ),
        ),
    );
  },
};

export const passwordAuth: PostureRule = {
  id: 'password-auth',
  code: 'NHI4',
  title: 'Password sign-in on a machine identity',
  severity: 'high',
  description:
    'discovery found password authentication enabled (e.g. an AWS IAM user with a console password)',
  evaluate(ctx, identity) {
    if (!isLive(identity) || ctx.nodeDetails(identity.id)?.['passwordAuth'] !== true) return [];
    const mfa = ctx.nodeDetails(identity.id)?.['mfaActive'] === true;
    return [
      hit(this, identity, {
        severity: mfa ? 'medium' : 'high',
        title: `${identity.name}: password sign-in enabled${mfa ? '' : ' without MFA'}`,
        evidence: { passwordAuth: true, mfaActive: mfa },
        remedy:
          'Remove the login profile (aws iam delete-login-profile --user-name <user>); machines authenticate with federation or keys, never passwords.',
      }),
    ];
  },
};
