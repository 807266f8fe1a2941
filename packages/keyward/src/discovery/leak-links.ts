/**
 * Linking a leaked secret to the inventory by what it reveals without being the secret: an AWS key
 * id, a GitHub token's last eight characters, a GCP key id or service-account email, a Kubernetes
 * service account named in a token's claims, the SHA-256 of the secret (Kubernetes token Secrets
 * and Keyward's own API tokens are known by that hash).
 */
import type { StoreTx } from '../storage/storage-types.js';
import type { CredentialRecord } from './discovery-types.js';

export interface LeakLink {
  credential: CredentialRecord | null;
  identityId: string | null;
  /** A Keyward API token the secret is (matched by the hash the server keeps). */
  apiTokenId: string | null;
  /** Which identifier made the match, for the evidence. */
  matchedBy: string | null;
}

export const NO_LINK: LeakLink = { credential: null, identityId: null, apiTokenId: null, matchedBy: null };

const fromCredential = (credential: CredentialRecord, matchedBy: string): LeakLink => ({
  credential,
  identityId: credential.identityId,
  apiTokenId: null,
  matchedBy,
});

/** The first active credential matching, else any matching (a revoked key still names its owner). */
const pick = (items: CredentialRecord[]): CredentialRecord | undefined =>
  items.find((c) => c.status === 'active') ?? items[0];

/** Finds what a secret with these identifiers and this fingerprint (`sha256:<hex>`) belongs to. */
export async function findLeakLink(
  tx: StoreTx,
  identifiers: Record<string, string>,
  fingerprint: string,
): Promise<LeakLink> {
  const byCredential = async (filter: Parameters<StoreTx['credentials']['list']>[0], matchedBy: string) => {
    const found = pick((await tx.credentials.list(filter, { limit: 20 })).items);
    return found ? fromCredential(found, matchedBy) : undefined;
  };
  const sha = fingerprint.startsWith('sha256:') ? fingerprint.slice(7) : undefined;
  const keyId = identifiers['awsAccessKeyId'];
  const attempts: Array<() => Promise<LeakLink | undefined>> = [
    async () =>
      keyId
        ? ((await byCredential({ hint: keyId }, 'awsAccessKeyId')) ??
          (await byCredential({ externalId: keyId }, 'awsAccessKeyId')))
        : undefined,
    async () => (sha ? byCredential({ secretSha256: sha }, 'fingerprint') : undefined),
    async () =>
      identifiers['lastEight'] ? byCredential({ hint: identifiers['lastEight'] }, 'lastEight') : undefined,
    async () =>
      identifiers['gcpPrivateKeyId']
        ? byCredential({ externalId: identifiers['gcpPrivateKeyId'] }, 'gcpPrivateKeyId')
        : undefined,
    async () => {
      const hash = identifiers['keywardTokenSha256'] ?? (identifiers['keywardTokenPrefix'] ? sha : undefined);
      if (!hash) return undefined;
      const token = await tx.apiTokens.getByHash(hash);
      return token ? { ...NO_LINK, apiTokenId: token.id, matchedBy: 'keywardToken' } : undefined;
    },
    async () => {
      const names: string[] = [];
      if (identifiers['k8sServiceAccount']) names.push(`serviceaccount/${identifiers['k8sServiceAccount']}`);
      if (identifiers['gcpClientEmail']) names.push(identifiers['gcpClientEmail']);
      if (names.length === 0) return undefined;
      for (const { scope } of await tx.discoveryRefs.scopes()) {
        const ref = (await tx.discoveryRefs.findByExternalIds(scope, names)).find(
          (r) => r.nodeType === 'identity' && r.nodeId,
        );
        if (ref)
          return {
            ...NO_LINK,
            identityId: ref.nodeId,
            matchedBy: identifiers['k8sServiceAccount'] ? 'k8sServiceAccount' : 'gcpClientEmail',
          };
      }
      return undefined;
    },
  ];
  for (const attempt of attempts) {
    const link = await attempt();
    if (link) return link;
  }
  return NO_LINK;
}

/** Whether `credential` (found by an import) is the one a finding's identifiers describe. */
export function credentialMatches(
  credential: CredentialRecord,
  identifiers: Record<string, string>,
  fingerprint: string,
): boolean {
  const sha = fingerprint.startsWith('sha256:') ? fingerprint.slice(7) : undefined;
  const keyId = identifiers['awsAccessKeyId'];
  return (
    (keyId !== undefined && (credential.hint === keyId || credential.externalId === keyId)) ||
    (sha !== undefined && credential.secretSha256 === sha) ||
    (identifiers['lastEight'] !== undefined && credential.hint === identifiers['lastEight']) ||
    (identifiers['gcpPrivateKeyId'] !== undefined && credential.externalId === identifiers['gcpPrivateKeyId'])
  );
}
