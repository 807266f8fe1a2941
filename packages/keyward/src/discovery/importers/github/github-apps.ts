/**
 * GitHub App installations: each is a bot identity (`installation/<id>`) holding the permissions
 * the org granted it, on every repository (`all`) or on the selected ones. An app that can write
 * code, or whose name says it is an AI coding agent, carries agent signals: it acts in the org
 * without anyone having approved it as an agent.
 */
import { isRecord, jsonPointer as pointer, stringField } from '../json-document.js';
import type { Located, Section } from './github-bundle.js';
import { listItems } from './github-bundle.js';
import { type GitHubContext, orgRef } from './github-context.js';
import { grantRepositories } from './github-grants.js';
import {
  broadDetails,
  canWriteCode,
  githubId,
  githubTime,
  splitPermissions,
  stringList,
} from './github-permissions.js';

const AGENT_NAME =
  /agent|copilot|gpt|claude|anthropic|openai|codex|gemini|devin|sweep|coderabbit|bot-ai|(^|[-_ ])ai($|[-_ ])/i;

/** Apps by slug, from `GET /apps/{slug}` responses: an array, a `{ slug: app }` map, or one app. */
function appsBySlug(sections: readonly Section[]): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const s of sections) {
    const v = s.value;
    const list = Array.isArray(v)
      ? v
      : isRecord(v) && typeof v['slug'] === 'string'
        ? [v]
        : Object.values(isRecord(v) ? v : {});
    for (const app of list) {
      const slug = isRecord(app) ? stringField(app, 'slug') : undefined;
      if (slug && isRecord(app)) out.set(slug, app);
    }
  }
  return out;
}

/** Selected repositories per installation id: `{ "<id>": [repo…] | { repositories: [...] } }`. */
function reposByInstallation(sections: readonly Section[]): Map<string, Located[]> {
  const out = new Map<string, Located[]>();
  for (const s of sections) {
    if (!isRecord(s.value)) continue;
    for (const [id, v] of Object.entries(s.value))
      out.set(id, [...(out.get(id) ?? []), ...listItems(v, [...s.path, id], 'repositories')]);
  }
  return out;
}

export function agentSignalsOf(
  slug: string,
  appName: string | undefined,
  actions: readonly string[],
): string[] {
  const signals: string[] = [];
  const match = AGENT_NAME.exec(slug) ?? (appName ? AGENT_NAME.exec(appName) : null);
  if (match) signals.push(`GitHub App ${slug} is named like an AI coding agent ("${match[0].trim()}")`);
  if (canWriteCode(actions)) {
    const prs = actions.includes('pull_requests:write') ? ' and pull_requests:write' : '';
    signals.push(`GitHub App ${slug} acting as a bot with contents:write${prs}`);
  }
  return signals;
}

export function mapInstallations(
  ctx: GitHubContext,
  installations: readonly Section[],
  apps: readonly Section[],
  installationRepos: readonly Section[],
): void {
  const bySlug = appsBySlug(apps);
  const selected = reposByInstallation(installationRepos);
  ctx.count('app', bySlug.size);
  for (const s of installations) {
    for (const { value, path } of listItems(s.value, s.path, 'installations')) {
      const foundIn = { file: s.file, path: pointer(path) };
      const id = isRecord(value) ? githubId(value['id']) : undefined;
      if (!isRecord(value) || !id) {
        ctx.problem(foundIn, 'app installation without an id; skipped');
        continue;
      }
      ctx.count('installation');
      const app = bySlug.get(stringField(value, 'app_slug') ?? '');
      const appId = githubId(value['app_id']) ?? (app ? githubId(app['id']) : undefined);
      const slug =
        stringField(value, 'app_slug') ?? (app && stringField(app, 'slug')) ?? `app-${appId ?? id}`;
      const appName = app ? stringField(app, 'name') : undefined;
      const selection = stringField(value, 'repository_selection') ?? 'selected';
      const perms = splitPermissions(value['permissions']);
      const externalId = `installation/${id}`;
      const owner = app && isRecord(app['owner']) ? stringField(app['owner'], 'login') : undefined;
      const account = isRecord(value['account']) ? stringField(value['account'], 'login') : undefined;
      const suspendedAt = githubTime(value['suspended_at']);
      const all = [...perms.org, ...perms.repo];
      const signals = agentSignalsOf(slug, appName, all);
      const created = githubTime(value['created_at']);
      ctx.batch.identities.push({
        externalId,
        name: `github:${ctx.org}:app/${slug}`,
        kind: 'bot',
        ...(ctx.environment ? { environment: ctx.environment } : {}),
        labels: {
          'github.app_slug': slug,
          ...(appId ? { 'github.app_id': appId } : {}),
          ...(owner ? { 'github.app_owner': owner } : {}),
          ...(account ? { 'github.account': account } : {}),
          'github.repository_selection': selection,
          ...(suspendedAt ? { 'github.suspended_at': suspendedAt } : {}),
        },
        ...(created ? { firstSeen: created } : {}),
        ...(signals.length > 0 ? { agentSignals: signals } : {}),
        foundIn,
        details: {
          installationId: id,
          ...(appId ? { appId } : {}),
          ...(appName ? { appName } : {}),
          permissions: isRecord(value['permissions']) ? value['permissions'] : {},
          events: stringList(value['events']),
          ...(githubTime(value['updated_at']) ? { updatedAt: githubTime(value['updated_at']) } : {}),
          ...(suspendedAt ? { suspendedAt } : {}),
        },
      });
      if (perms.org.length > 0) {
        ctx.orgResource(foundIn);
        ctx.grant(externalId, orgRef(ctx.org), perms.org, foundIn, broadDetails(perms.broad, perms.org));
      }
      if (perms.repo.length === 0) continue;
      grantRepositories(
        ctx,
        s.file,
        externalId,
        perms,
        selection,
        selection === 'all' ? undefined : selected.get(id),
        foundIn,
      );
    }
  }
}
