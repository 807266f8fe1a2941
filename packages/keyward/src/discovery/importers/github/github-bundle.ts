/**
 * The GitHub export format: a bundle object keyed by endpoint (what examples/discovery/github/
 * export.sh assembles with `gh api`), or a single raw REST response recognised by its shape. Both
 * become sections (one endpoint's response, with where it sits in the file) that the mappers read.
 * docs/import-github.md documents every key.
 */
import { isRecord } from '../json-document.js';

export const SECTION_NAMES = [
  'org',
  'repos',
  'apps',
  'installations',
  'installation_repositories',
  'deploy_keys',
  'actions_secrets',
  'actions_variables',
  'oidc_customization',
  'fine_grained_pats',
  'pat_repositories',
  'pat_requests',
  'credential_authorizations',
] as const;
export type SectionName = (typeof SECTION_NAMES)[number];

export interface Section {
  name: SectionName;
  value: unknown;
  file: string;
  /** Where the section sits in its file (empty for a raw response). */
  path: Array<string | number>;
}

export interface Located {
  value: unknown;
  path: Array<string | number>;
}

const isSection = (key: string): key is SectionName => (SECTION_NAMES as readonly string[]).includes(key);

/** The list items of a response: a bare array, `{ <key>: [...] }`, or `gh --slurp` pages of either. */
export function listItems(value: unknown, path: Array<string | number>, key?: string): Located[] {
  const out: Located[] = [];
  const fromPage = (page: unknown, at: Array<string | number>) => {
    if (key && isRecord(page) && Array.isArray(page[key])) {
      (page[key] as unknown[]).forEach((v, i) => {
        out.push({ value: v, path: [...at, key, i] });
      });
      return true;
    }
    return false;
  };
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      if (!fromPage(v, [...path, i])) out.push({ value: v, path: [...path, i] });
    });
  } else fromPage(value, path);
  return out;
}

/** The first list item, to recognise an array response by the fields its items carry. */
function firstItem(value: unknown[]): Record<string, unknown> | undefined {
  const first = value.find(isRecord);
  if (!first) return undefined;
  // `gh api --paginate --slurp` wraps each page of an object response in an array.
  for (const key of ['installations', 'secrets', 'variables', 'repositories']) {
    const inner = first[key];
    if (Array.isArray(inner)) return { [`__page_${key}`]: true, ...(inner.find(isRecord) ?? {}) };
  }
  return first;
}

/** Which endpoint a raw response came from, by its shape; undefined when it is not one we know. */
export function detectRaw(doc: unknown): SectionName | undefined {
  if (Array.isArray(doc)) {
    const item = firstItem(doc);
    if (!item) return undefined;
    if (item['__page_installations'] || 'app_slug' in item) return 'installations';
    if (item['__page_secrets']) return 'actions_secrets';
    if (item['__page_variables']) return 'actions_variables';
    if ('credential_id' in item || 'token_last_eight' in item || 'credential_type' in item)
      return 'credential_authorizations';
    if ('token_expired' in item || 'access_granted_at' in item || 'token_id' in item)
      return 'fine_grained_pats';
    if ('reason' in item && 'owner' in item && 'permissions' in item) return 'pat_requests';
    if ('full_name' in item) return 'repos';
    if ('slug' in item && 'permissions' in item) return 'apps';
    return undefined;
  }
  if (!isRecord(doc)) return undefined;
  if (Array.isArray(doc['installations'])) return 'installations';
  if (Array.isArray(doc['secrets'])) return 'actions_secrets';
  if (Array.isArray(doc['variables'])) return 'actions_variables';
  if (Array.isArray(doc['include_claim_keys'])) return 'oidc_customization';
  if (typeof doc['slug'] === 'string' && isRecord(doc['permissions'])) return 'apps';
  if (typeof doc['login'] === 'string' && (doc['type'] === 'Organization' || 'repos_url' in doc))
    return 'org';
  return undefined;
}

/**
 * The sections of one parsed document. A bundle is an object whose keys are section names; keys
 * that are not sections are returned so the caller can count them as ignored.
 */
export function sectionsOf(
  doc: unknown,
  file: string,
): { sections: Section[]; ignoredKeys: string[]; recognised: boolean } {
  // A list response carries `total_count` at its top; a bundle never does.
  const bundle = isRecord(doc) && !('total_count' in doc) && Object.keys(doc).some(isSection);
  const raw = bundle ? undefined : detectRaw(doc);
  if (raw)
    return { sections: [{ name: raw, value: doc, file, path: [] }], ignoredKeys: [], recognised: true };
  if (!isRecord(doc) || !bundle) return { sections: [], ignoredKeys: [], recognised: false };
  const sections: Section[] = [];
  const ignoredKeys: string[] = [];
  for (const [key, value] of Object.entries(doc)) {
    if (isSection(key)) sections.push({ name: key, value, file, path: [key] });
    else if (key !== 'keyward_bundle' && key !== 'exported_at') ignoredKeys.push(key);
  }
  return { sections, ignoredKeys, recognised: sections.length > 0 };
}

/**
 * A section split into org-level and per-repository parts: `{ org: …, repos: { "<full_name>": … } }`,
 * or a bare org-level response (a raw `GET /orgs/{org}/actions/secrets`).
 */
export function orgAndRepos(section: Section): { org?: Located; repos: Array<Located & { repo: string }> } {
  const v = section.value;
  const repos: Array<Located & { repo: string }> = [];
  if (isRecord(v) && (isRecord(v['repos']) || 'org' in v)) {
    if (isRecord(v['repos']))
      for (const [repo, value] of Object.entries(v['repos']))
        repos.push({ repo, value, path: [...section.path, 'repos', repo] });
    return {
      ...(v['org'] !== undefined ? { org: { value: v['org'], path: [...section.path, 'org'] } } : {}),
      repos,
    };
  }
  return { org: { value: v, path: section.path }, repos };
}
