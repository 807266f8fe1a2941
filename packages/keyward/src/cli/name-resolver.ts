/**
 * Resolves what the user typed where an id is expected: a well-formed id is used as-is; anything else
 * is an exact name (an email for humans) looked up through the list endpoint's `q` filter. Zero or
 * several matches fail with a message that says which.
 */
import type { Human, Identity, NodeType, Page, Resource, System } from '@keyward/sdk';
import { isWellFormedId } from '../ids.js';
import { CliError } from './cli-errors.js';

/** The slice of KeywardClient the resolver needs (a fake in unit tests). */
interface Searchable<T> {
  list(filter: { q?: string; cursor?: string; limit?: number }): Promise<Page<T>>;
}
export interface ResolverClient {
  identities: Searchable<Identity>;
  humans: Searchable<Human>;
  systems: Searchable<System>;
  resources: Searchable<Resource>;
}

const MAX_PAGES = 10;

/** Every record accepted by `isMatch` among the `q` search results (a substring match server-side). */
async function exactMatches<T>(
  api: Searchable<T>,
  wanted: string,
  isMatch: (item: T) => boolean,
): Promise<T[]> {
  const matches: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await api.list(
      cursor === undefined ? { q: wanted, limit: 100 } : { q: wanted, limit: 100, cursor },
    );
    matches.push(...result.items.filter(isMatch));
    if (!result.nextCursor) break;
    cursor = result.nextCursor;
  }
  return matches;
}

function single<T extends { id: string }>(what: string, ref: string, matches: T[]): string {
  const [first, second] = matches;
  if (!first) throw new CliError(`no ${what} named "${ref}"`, 'not_found');
  if (second) {
    throw new CliError(
      `"${ref}" matches ${matches.length} ${what}s (${matches.map((m) => m.id).join(', ')}); use an id`,
      'ambiguous',
    );
  }
  return first.id;
}

export async function resolveIdentity(client: ResolverClient, ref: string): Promise<string> {
  if (isWellFormedId(ref)) return ref;
  return single('identity', ref, await exactMatches(client.identities, ref, (i) => i.name === ref));
}

/** Humans are named by email (case-insensitive, as emails are). */
export async function resolveHuman(client: ResolverClient, ref: string): Promise<string> {
  if (isWellFormedId(ref)) return ref;
  const wanted = ref.toLowerCase();
  return single(
    'human',
    ref,
    await exactMatches(client.humans, ref, (h) => h.email.toLowerCase() === wanted),
  );
}

export async function resolveSystem(client: ResolverClient, ref: string): Promise<string> {
  if (isWellFormedId(ref)) return ref;
  return single('system', ref, await exactMatches(client.systems, ref, (s) => s.name === ref));
}

export async function resolveResource(client: ResolverClient, ref: string): Promise<string> {
  if (isWellFormedId(ref)) return ref;
  return single('resource', ref, await exactMatches(client.resources, ref, (r) => r.name === ref));
}

const RESOLVERS: Record<NodeType, (client: ResolverClient, ref: string) => Promise<string>> = {
  identity: resolveIdentity,
  human: resolveHuman,
  system: resolveSystem,
  resource: resolveResource,
};

/**
 * Any graph node: an id, `type:name` (e.g. `resource:payments-db`, `human:ana@example.com`), or a bare
 * name searched across all node types (an `@` makes it an email).
 */
export async function resolveNode(client: ResolverClient, ref: string): Promise<string> {
  if (isWellFormedId(ref)) return ref;
  const colon = ref.indexOf(':');
  const prefix = colon > 0 ? ref.slice(0, colon) : '';
  if (prefix in RESOLVERS) return RESOLVERS[prefix as NodeType](client, ref.slice(colon + 1));

  const found: Array<{ id: string; type: string }> = [];
  for (const type of Object.keys(RESOLVERS) as NodeType[]) {
    if (type === 'human' && !ref.includes('@')) continue;
    try {
      found.push({ id: await RESOLVERS[type](client, ref), type });
    } catch (error) {
      if (!(error instanceof CliError) || error.code !== 'not_found') throw error;
    }
  }
  const [first, second] = found;
  if (!first) throw new CliError(`no identity, resource, system or human named "${ref}"`, 'not_found');
  if (second) {
    const kinds = found.map((f) => f.type).join(' and ');
    throw new CliError(
      `"${ref}" names a ${kinds}; write type:name (e.g. ${first.type}:${ref}) or an id`,
      'ambiguous',
    );
  }
  return first.id;
}
