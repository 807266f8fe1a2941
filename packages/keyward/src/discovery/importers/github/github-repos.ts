/**
 * The org's repositories and what they hold: deploy keys (each a service account with write or
 * read access to one repository), Actions secrets (resources a repository's workflows can read;
 * names like AWS_ACCESS_KEY_ID mark CI/CD running on static cloud keys), Actions variables (names
 * only: a variable's value is never stored, it may be a secret someone put in the wrong place) and
 * the OIDC subject claim (without the repo in it, a cloud trust on it matches any repository).
 */
import { createHash } from 'node:crypto';
import type { DiscoveredResource } from '../../import-batch.js';
import { isRecord, jsonPointer as pointer, stringField } from '../json-document.js';
import { listItems, orgAndRepos, type Section } from './github-bundle.js';
import { credentialRef, type GitHubContext } from './github-context.js';
import { githubId, githubTime, isStaticCloudKey, stringList, subIncludesRepo } from './github-permissions.js';

export function mapRepos(ctx: GitHubContext, sections: readonly Section[]): void {
  for (const s of sections) {
    for (const { value, path } of listItems(s.value, s.path, 'repositories')) {
      const foundIn = { file: s.file, path: pointer(path) };
      const fullName = isRecord(value) ? stringField(value, 'full_name') : undefined;
      if (!isRecord(value) || !fullName) {
        ctx.problem(foundIn, 'repository without a full_name; skipped');
        continue;
      }
      ctx.count('repository');
      const visibility =
        stringField(value, 'visibility') ?? (value['private'] === false ? 'public' : 'private');
      const r = ctx.repoResource(fullName, foundIn, visibility);
      r.foundIn = foundIn;
      const id = githubId(value['id']);
      r.details = { ...r.details, ...(id ? { repositoryId: id } : {}), archived: value['archived'] === true };
      if (value['archived'] === true) r.labels = { ...r.labels, 'github.archived': 'true' };
    }
  }
}

/** The `SHA256:…` fingerprint `ssh-keygen -l` prints for a public key: matches a leaked private key's. */
export function sshFingerprint(publicKey: string | undefined): string | undefined {
  const blob = publicKey?.trim().split(/\s+/)[1];
  if (!blob || !/^[A-Za-z0-9+/]+=*$/.test(blob)) return undefined;
  const digest = createHash('sha256').update(Buffer.from(blob, 'base64')).digest('base64');
  return `SHA256:${digest.replace(/=+$/, '')}`;
}

export function mapDeployKeys(ctx: GitHubContext, sections: readonly Section[]): void {
  for (const s of sections) {
    if (!isRecord(s.value)) {
      ctx.problem(
        { file: s.file, path: pointer(s.path) },
        'deploy_keys must map each repository full_name to its keys (GET /repos/{owner}/{repo}/keys)',
      );
      continue;
    }
    for (const [fullName, keys] of Object.entries(s.value)) {
      for (const { value, path } of listItems(keys, [...s.path, fullName])) {
        const foundIn = { file: s.file, path: pointer(path) };
        const id = isRecord(value) ? githubId(value['id']) : undefined;
        if (!isRecord(value) || !id) {
          ctx.problem(foundIn, 'deploy key without an id; skipped');
          continue;
        }
        ctx.count('deploy key');
        const repo = ctx.repoResource(fullName, foundIn);
        const title = stringField(value, 'title') ?? id;
        const externalId = `deploykey/${id}`;
        const createdAt = githubTime(value['created_at']);
        const lastUsedAt = githubTime(value['last_used']);
        const writes = value['read_only'] === false;
        const addedBy = stringField(value, 'added_by');
        const fingerprint = sshFingerprint(stringField(value, 'key'));
        ctx.batch.identities.push({
          externalId,
          name: `github:${ctx.org}:deploy-key/${fullName.split('/').pop()}/${title}`,
          kind: 'service_account',
          ...(ctx.environment ? { environment: ctx.environment } : {}),
          credential: { ...(createdAt ? { createdAt } : {}), ...(lastUsedAt ? { lastUsedAt } : {}) },
          labels: {
            'github.repository': fullName,
            'github.read_only': String(!writes),
            ...(addedBy ? { 'github.added_by': addedBy } : {}),
          },
          ...(createdAt ? { firstSeen: createdAt } : {}),
          ...(lastUsedAt ? { lastSeen: lastUsedAt } : {}),
          foundIn,
          details: { title, ...(fingerprint ? { fingerprint } : {}) },
        });
        ctx.batch.credentials.push({
          externalId: credentialRef(externalId),
          identity: externalId,
          kind: 'github_deploy_key',
          status: value['enabled'] === false ? 'inactive' : 'active',
          ...(createdAt ? { createdAt } : {}),
          ...(lastUsedAt ? { lastUsedAt } : {}),
          ...(fingerprint ? { hint: fingerprint } : {}),
          foundIn,
        });
        ctx.grant(externalId, repo.externalId, [writes ? 'contents:write' : 'contents:read'], foundIn);
      }
    }
  }
}

/** The org or repository resource a part of a per-org/per-repo section belongs to. */
function holder(ctx: GitHubContext, repo: string | undefined, file: string, path: Array<string | number>) {
  const foundIn = { file, path: pointer(path) };
  return repo ? ctx.repoResource(repo, foundIn) : ctx.orgResource(foundIn);
}

const addDetails = (r: DiscoveredResource, more: Record<string, unknown>) => {
  r.details = { ...r.details, ...more };
};

export function mapActionsSecrets(ctx: GitHubContext, sections: readonly Section[]): void {
  for (const s of sections) {
    const { org, repos } = orgAndRepos(s);
    for (const part of [...(org ? [{ ...org, repo: undefined }] : []), ...repos]) {
      const owner = holder(ctx, part.repo, s.file, part.path);
      const names: string[] = [];
      const staticKeys: string[] = [];
      for (const { value, path } of listItems(part.value, part.path, 'secrets')) {
        const foundIn = { file: s.file, path: pointer(path) };
        const name = isRecord(value) ? stringField(value, 'name') : undefined;
        if (!isRecord(value) || !name) {
          ctx.problem(foundIn, 'Actions secret without a name; skipped');
          continue;
        }
        ctx.count('Actions secret');
        names.push(name);
        const staticCloudKey = isStaticCloudKey(name);
        if (staticCloudKey) staticKeys.push(name);
        const at = part.repo ?? ctx.org;
        const externalId = `actions-secret/${at}/${name}`;
        const createdAt = githubTime(value['created_at']);
        const updatedAt = githubTime(value['updated_at']);
        const visibility = stringField(value, 'visibility');
        ctx.batch.resources.push({
          externalId,
          name: `github:${at}:actions-secret/${name}`,
          kind: 'secret_store',
          sensitivity: 'high',
          ...(ctx.environment ? { environment: ctx.environment } : {}),
          labels: { 'github.secret_level': part.repo ? 'repository' : 'organization' },
          foundIn,
          details: {
            ...(createdAt ? { createdAt } : {}),
            ...(updatedAt ? { updatedAt } : {}),
            ...(visibility ? { visibility } : {}),
            ...(staticCloudKey ? { staticCloudKey: true } : {}),
          },
        });
        // The workflows of the repository (or of the org's repositories) can read the secret.
        ctx.grant(owner.externalId, externalId, ['secrets:read'], foundIn, {
          via: 'GitHub Actions workflows',
        });
      }
      addDetails(owner, {
        actionsSecrets: names.length,
        ...(staticKeys.length > 0 ? { staticCloudKeys: staticKeys } : {}),
      });
    }
  }
}

export function mapActionsVariables(ctx: GitHubContext, sections: readonly Section[]): void {
  for (const s of sections) {
    const { org, repos } = orgAndRepos(s);
    for (const part of [...(org ? [{ ...org, repo: undefined }] : []), ...repos]) {
      const owner = holder(ctx, part.repo, s.file, part.path);
      const names: string[] = [];
      for (const { value } of listItems(part.value, part.path, 'variables')) {
        const name = isRecord(value) ? stringField(value, 'name') : undefined;
        if (name) names.push(name);
      }
      ctx.count('Actions variable', names.length);
      addDetails(owner, { actionsVariables: names.sort() });
    }
  }
}

export function mapOidcCustomization(ctx: GitHubContext, sections: readonly Section[]): void {
  for (const s of sections) {
    const { org, repos } = orgAndRepos(s);
    for (const part of [...(org ? [{ ...org, repo: undefined }] : []), ...repos]) {
      if (!isRecord(part.value)) continue;
      ctx.count('OIDC customization');
      const owner = holder(ctx, part.repo, s.file, part.path);
      const useDefault = part.value['use_default'] === true;
      const keys = stringList(part.value['include_claim_keys']);
      // The default subject (`repo:<owner>/<repo>:…`) names the repository; a custom one may not.
      const includesRepo = useDefault || keys.length === 0 || subIncludesRepo(keys);
      addDetails(owner, {
        oidc: {
          ...(part.repo ? { useDefault } : {}),
          includeClaimKeys: keys,
          subIncludesRepo: includesRepo,
          ...(includesRepo
            ? {}
            : {
                note: 'the OIDC sub claim does not include the repo: a cloud trust on it matches any repository',
              }),
        },
      });
    }
  }
}
