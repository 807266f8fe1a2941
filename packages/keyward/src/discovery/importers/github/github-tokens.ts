/**
 * Tokens people made that act on the org: fine-grained personal access tokens the org approved
 * (`GET /orgs/{org}/personal-access-tokens`) and classic tokens and SSH keys authorised for SAML
 * SSO (`GET /orgs/{org}/credential-authorizations`). Each is an identity with one credential; a
 * classic token's credential carries its `token_last_eight`, which is how a leaked `ghp_…` found
 * by a scan is linked back to it.
 */
import { isRecord, jsonPointer as pointer, stringField } from '../json-document.js';
import { type Located, listItems, type Section } from './github-bundle.js';
import { credentialRef, type GitHubContext, orgRef } from './github-context.js';
import { grantRepositories } from './github-grants.js';
import {
  broadDetails,
  githubId,
  githubTime,
  splitTokenPermissions,
  stringList,
  wildcardScopes,
} from './github-permissions.js';

/** `o` without its undefined fields (so optional ones stay absent rather than `undefined`). */
const defined = <T extends Record<string, unknown>>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as never;

function patRepositories(sections: readonly Section[]): Map<string, Located[]> {
  const out = new Map<string, Located[]>();
  for (const s of sections) {
    if (!isRecord(s.value)) continue;
    for (const [id, v] of Object.entries(s.value)) out.set(id, listItems(v, [...s.path, id], 'repositories'));
  }
  return out;
}

export function mapFineGrainedPats(
  ctx: GitHubContext,
  pats: readonly Section[],
  repositories: readonly Section[],
  requests: readonly Section[],
): void {
  const reposOf = patRepositories(repositories);
  for (const s of requests)
    ctx.count('PAT request (not granted; ignored)', listItems(s.value, s.path).length);
  for (const s of pats) {
    for (const { value, path } of listItems(s.value, s.path)) {
      const foundIn = { file: s.file, path: pointer(path) };
      const id = isRecord(value) ? githubId(value['id']) : undefined;
      if (!isRecord(value) || !id) {
        ctx.problem(foundIn, 'fine-grained personal access token without an id; skipped');
        continue;
      }
      ctx.count('fine-grained PAT');
      const login = isRecord(value['owner']) ? stringField(value['owner'], 'login') : undefined;
      const tokenName = stringField(value, 'token_name');
      const externalId = `fgpat/${id}`;
      const expiresAt = githubTime(value['token_expires_at']);
      const lastUsedAt = githubTime(value['token_last_used_at']);
      const grantedAt = githubTime(value['access_granted_at']);
      const expired = value['token_expired'] === true;
      const selection = stringField(value, 'repository_selection') ?? 'subset';
      ctx.batch.identities.push({
        externalId,
        name: `github:${ctx.org}:fine-grained-pat/${login ?? 'unknown'}/${tokenName ?? id}`,
        kind: 'token',
        ...(ctx.environment ? { environment: ctx.environment } : {}),
        credential: defined({ createdAt: grantedAt, expiresAt, lastUsedAt }),
        labels: defined({
          'github.owner': login,
          'github.token_name': tokenName,
          'github.repository_selection': selection,
          'github.token_expired': expired ? 'true' : undefined,
        }),
        ...(grantedAt ? { firstSeen: grantedAt } : {}),
        ...(lastUsedAt ? { lastSeen: lastUsedAt } : {}),
        foundIn,
        details: defined({ tokenId: githubId(value['token_id']), permissions: value['permissions'] }),
      });
      ctx.batch.credentials.push({
        externalId: credentialRef(externalId),
        identity: externalId,
        kind: 'github_token',
        status: expired ? 'inactive' : 'active',
        ...defined({ createdAt: grantedAt, expiresAt, lastUsedAt }),
        foundIn,
        details: defined({ type: 'fine-grained', tokenId: githubId(value['token_id']) }),
      });
      const perms = splitTokenPermissions(value['permissions']);
      if (perms.org.length > 0) {
        ctx.orgResource(foundIn);
        ctx.grant(externalId, orgRef(ctx.org), perms.org, foundIn, broadDetails(perms.broad, perms.org));
      }
      if (perms.repo.length === 0 || selection === 'none') continue;
      grantRepositories(
        ctx,
        s.file,
        externalId,
        perms,
        selection,
        selection === 'all' ? undefined : reposOf.get(id),
        foundIn,
      );
    }
  }
}

export function mapCredentialAuthorizations(ctx: GitHubContext, sections: readonly Section[]): void {
  for (const s of sections) {
    for (const { value, path } of listItems(s.value, s.path)) {
      const foundIn = { file: s.file, path: pointer(path) };
      const id = isRecord(value) ? githubId(value['credential_id']) : undefined;
      if (!isRecord(value) || !id) {
        ctx.problem(foundIn, 'credential authorization without a credential_id; skipped');
        continue;
      }
      const type = stringField(value, 'credential_type') ?? 'personal access token';
      const ssh = /ssh/i.test(type);
      ctx.count(ssh ? 'SSO-authorized SSH key' : 'SSO-authorized classic token');
      const login = stringField(value, 'login') ?? 'unknown';
      const externalId = `${ssh ? 'ssh' : 'classic'}/${id}`;
      const authorizedAt = githubTime(value['credential_authorized_at']);
      const lastUsedAt = githubTime(value['credential_accessed_at']);
      const expiresAt = githubTime(value['authorized_credential_expires_at']);
      const note =
        stringField(value, 'authorized_credential_note') ?? stringField(value, 'authorized_credential_title');
      const scopes = stringList(value['scopes']);
      const lastEight = stringField(value, 'token_last_eight');
      const fingerprint = stringField(value, 'fingerprint');
      ctx.batch.identities.push({
        externalId,
        name: `github:${ctx.org}:${ssh ? 'ssh-key' : 'classic-pat'}/${login}/${id}`,
        kind: 'token',
        ...(ctx.environment ? { environment: ctx.environment } : {}),
        credential: defined({ createdAt: authorizedAt, expiresAt, lastUsedAt }),
        labels: defined({ 'github.owner': login, 'github.credential_type': type, 'github.note': note }),
        ...(authorizedAt ? { firstSeen: authorizedAt } : {}),
        ...(lastUsedAt ? { lastSeen: lastUsedAt } : {}),
        foundIn,
        details: defined({ scopes, note, credentialType: type }),
      });
      ctx.batch.credentials.push({
        externalId: credentialRef(externalId),
        identity: externalId,
        kind: ssh ? 'other' : 'github_token',
        status: 'active',
        ...defined({ createdAt: authorizedAt, expiresAt, lastUsedAt, hint: ssh ? fingerprint : lastEight }),
        foundIn,
        details: defined({ type: ssh ? 'ssh-key' : 'classic', ssoAuthorizedAt: authorizedAt }),
      });
      ctx.orgResource(foundIn);
      if (ssh) {
        // An SSH key acts with all of its owner's repository access; the export does not say which.
        ctx.grant(externalId, orgRef(ctx.org), ['git:ssh'], foundIn, { ownerAccess: true });
        continue;
      }
      const wild = wildcardScopes(scopes);
      ctx.grant(externalId, orgRef(ctx.org), scopes, foundIn, {
        wildcard: wild.length > 0,
        ...(wild.length > 0 ? { wildcardScopes: wild } : {}),
      });
    }
  }
}
