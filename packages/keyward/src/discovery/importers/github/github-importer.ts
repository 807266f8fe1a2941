/**
 * `keyward import github`: GitHub organisation exports (a bundle keyed by endpoint, or raw REST
 * responses) into one batch of the `org` feed, scope `github:<org login>`. Reads every file first,
 * since the org's login (which every name carries) may sit in any of them, then maps the sections
 * in an order where repositories are known before the grants that point at them.
 */
import { emptyBatch, type ImportParser, type ImportProblem } from '../../import-batch.js';
import { isRecord, jsonPointer, parseJsonDocument, stringField } from '../json-document.js';
import { mapInstallations } from './github-apps.js';
import { listItems, type Section, type SectionName, sectionsOf } from './github-bundle.js';
import { createGitHubContext } from './github-context.js';
import {
  mapActionsSecrets,
  mapActionsVariables,
  mapDeployKeys,
  mapOidcCustomization,
  mapRepos,
} from './github-repos.js';
import { mapCredentialAuthorizations, mapFineGrainedPats } from './github-tokens.js';

/** The org login: from `org`, else an installation's account, else a repository's owner. */
function orgLogin(sections: readonly Section[]): string | undefined {
  const of = (name: SectionName) => sections.filter((s) => s.name === name);
  for (const s of of('org'))
    if (isRecord(s.value) && stringField(s.value, 'login')) return s.value['login'] as string;
  for (const s of of('installations'))
    for (const { value } of listItems(s.value, s.path, 'installations')) {
      const account = isRecord(value) && isRecord(value['account']) ? value['account'] : undefined;
      if (account && account['type'] !== 'User' && stringField(account, 'login'))
        return account['login'] as string;
    }
  for (const s of of('repos'))
    for (const { value } of listItems(s.value, s.path, 'repositories')) {
      const full = isRecord(value) ? stringField(value, 'full_name') : undefined;
      if (full?.includes('/')) return full.split('/')[0];
    }
  return undefined;
}

export const parseGitHub: ImportParser = (files, options) => {
  const sections: Section[] = [];
  const problems: ImportProblem[] = [];
  const counts: Record<string, number> = {};
  for (const file of files) {
    const parsed = parseJsonDocument(file.text, file.path);
    if (!parsed.ok) {
      problems.push(parsed.problem);
      continue;
    }
    const found = sectionsOf(parsed.value, file.path);
    if (!found.recognised) {
      problems.push({
        file: file.path,
        severity: 'warning' as const,
        reason: 'not a GitHub export this importer knows (see docs/import-github.md); ignored',
      });
      counts['unknown document (ignored)'] = (counts['unknown document (ignored)'] ?? 0) + 1;
    }
    for (const key of found.ignoredKeys)
      counts[`key ${key} (ignored)`] = (counts[`key ${key} (ignored)`] ?? 0) + 1;
    sections.push(...found.sections);
  }
  const fromScope = options.scope?.startsWith('github:') ? options.scope.slice('github:'.length) : undefined;
  const org = orgLogin(sections) ?? fromScope ?? options.scope;
  const batch = emptyBatch('github', options.scope ?? (org ? `github:${org}` : ''), 'org');
  batch.problems.push(...problems);
  Object.assign(batch.counts, counts);
  if (!org) {
    if (sections.length > 0)
      batch.problems.push({
        file: files[0]?.path ?? '',
        severity: 'error',
        reason:
          'cannot tell which organisation the export describes: add `org` (GET /orgs/{org}) or pass --scope github:<org>',
      });
    return batch;
  }
  const ctx = createGitHubContext(batch, org, options.environment);
  const of = (name: SectionName) => sections.filter((s) => s.name === name);
  for (const s of of('org')) {
    const r = ctx.orgResource({ file: s.file, path: jsonPointer(s.path) });
    ctx.count('org');
    if (isRecord(s.value)) {
      r.foundIn = { file: s.file, path: jsonPointer(s.path) };
      const plan = isRecord(s.value['plan']) ? stringField(s.value['plan'], 'name') : undefined;
      r.details = {
        ...r.details,
        ...(s.value['id'] !== undefined ? { orgId: String(s.value['id']) } : {}),
        ...(plan ? { plan } : {}),
        ...(typeof s.value['two_factor_requirement_enabled'] === 'boolean'
          ? { twoFactorRequired: s.value['two_factor_requirement_enabled'] }
          : {}),
      };
    }
  }
  mapRepos(ctx, of('repos'));
  mapInstallations(ctx, of('installations'), of('apps'), of('installation_repositories'));
  mapDeployKeys(ctx, of('deploy_keys'));
  mapActionsSecrets(ctx, of('actions_secrets'));
  mapActionsVariables(ctx, of('actions_variables'));
  mapOidcCustomization(ctx, of('oidc_customization'));
  mapFineGrainedPats(ctx, of('fine_grained_pats'), of('pat_repositories'), of('pat_requests'));
  mapCredentialAuthorizations(ctx, of('credential_authorizations'));
  return batch;
};
