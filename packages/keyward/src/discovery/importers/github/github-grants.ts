/**
 * Where a GitHub App installation's or a fine-grained token's repository permissions land: on
 * each selected repository when the export lists them, else on the organisation (`all`, or a
 * selection the export does not list). Shared by apps and tokens, which grant the same way.
 */
import type { FoundIn } from '../../import-batch.js';
import { isRecord, jsonPointer as pointer, stringField } from '../json-document.js';
import type { Located } from './github-bundle.js';
import { type GitHubContext, orgRef } from './github-context.js';
import { broadDetails, type PermissionSplit } from './github-permissions.js';

export function grantRepositories(
  ctx: GitHubContext,
  file: string,
  externalId: string,
  perms: Pick<PermissionSplit, 'repo' | 'broad'>,
  selection: string,
  repos: readonly Located[] | undefined,
  foundIn: FoundIn,
): void {
  if (!repos) {
    ctx.orgResource(foundIn);
    ctx.grant(externalId, orgRef(ctx.org), perms.repo, foundIn, {
      wildcard: selection === 'all',
      repositorySelection: selection,
      ...(selection === 'all' ? {} : { selectedRepositoriesUnknown: true }),
      ...broadDetails(perms.broad, perms.repo),
    });
    return;
  }
  for (const r of repos) {
    const fullName = isRecord(r.value) ? stringField(r.value, 'full_name') : undefined;
    if (!fullName) {
      ctx.problem({ file, path: pointer(r.path) }, 'repository without a full_name; skipped');
      continue;
    }
    const repo = ctx.repoResource(fullName, foundIn);
    ctx.grant(externalId, repo.externalId, perms.repo, foundIn, {
      wildcard: false,
      repositorySelection: selection,
      ...broadDetails(perms.broad, perms.repo),
    });
  }
}
