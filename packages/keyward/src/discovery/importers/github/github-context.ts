/**
 * The state one GitHub import builds up: the batch, the organisation it describes, and the org and
 * repository resources every section points at. A repository is made once (the `repos` section
 * says whether it is private) and the sections after it add to its details: the Actions secrets it
 * holds, its variables' names, its OIDC subject claim.
 */
import type { DiscoveredEdge, DiscoveredResource, FoundIn, ImportBatch } from '../../import-batch.js';

export interface GitHubContext {
  batch: ImportBatch;
  org: string;
  environment: string | undefined;
  /** The org resource (`org/<login>`, kind account). */
  orgResource(foundIn: FoundIn): DiscoveredResource;
  /** The repository resource (`repo/<full_name>`); `visibility` is known once `repos` names it. */
  repoResource(fullName: string, foundIn: FoundIn, visibility?: string): DiscoveredResource;
  /** One has_permission edge per (from, to): actions of repeated grants are merged. */
  grant(from: string, to: string, actions: readonly string[], foundIn: FoundIn, details?: object): void;
  count(what: string, n?: number): void;
  problem(foundIn: FoundIn, reason: string, severity?: 'error' | 'warning'): void;
}

export const orgRef = (login: string): string => `org/${login}`;
export const repoRef = (fullName: string): string => `repo/${fullName}`;
/**
 * The credential of an identity: its own external id, since discovery refs key every record of a
 * feed (identities, resources, credentials, edges) by external id alone.
 */
export const credentialRef = (identityExternalId: string): string => `${identityExternalId}#credential`;

/** Private and internal repositories hold code not meant for everyone; public code is out already. */
function repoSensitivity(visibility: string | undefined): DiscoveredResource['sensitivity'] {
  return visibility === 'public' ? 'medium' : 'high';
}

export function createGitHubContext(
  batch: ImportBatch,
  org: string,
  environment: string | undefined,
): GitHubContext {
  const resources = new Map<string, DiscoveredResource>();
  const edges = new Map<string, DiscoveredEdge>();

  const env = environment ? { environment } : {};
  function ensure(externalId: string, make: () => DiscoveredResource): DiscoveredResource {
    let r = resources.get(externalId);
    if (!r) {
      r = make();
      resources.set(externalId, r);
      batch.resources.push(r);
    }
    return r;
  }

  return {
    batch,
    org,
    environment,
    orgResource: (foundIn) =>
      ensure(orgRef(org), () => ({
        externalId: orgRef(org),
        name: `github:${org}`,
        kind: 'account',
        sensitivity: 'high',
        ...env,
        foundIn,
        details: {},
      })),
    repoResource(fullName, foundIn, visibility) {
      const r = ensure(repoRef(fullName), () => ({
        externalId: repoRef(fullName),
        name: `github:${fullName}`,
        kind: 'repository',
        sensitivity: repoSensitivity(visibility),
        ...env,
        foundIn,
        details: {},
      }));
      if (visibility) {
        // The `repos` section may come after a deploy key named the repository first.
        r.sensitivity = repoSensitivity(visibility);
        r.details = { ...r.details, visibility };
      } else if (r.details && r.details['visibility'] === undefined) {
        r.details['visibility'] = 'unknown (not in the repos export; assumed private)';
      }
      return r;
    },
    grant(from, to, actions, foundIn, details) {
      if (actions.length === 0) return;
      const key = `${from}|${to}`;
      const e = edges.get(key);
      if (e) {
        e.actions = [...new Set([...(e.actions ?? []), ...actions])].sort();
        if (details) {
          // Two grants on one target (org permissions and all-repository ones): keep both's broad actions.
          const before = (e.details?.['broadActions'] as string[] | undefined) ?? [];
          const now = ((details as Record<string, unknown>)['broadActions'] as string[] | undefined) ?? [];
          e.details = { ...e.details, ...details };
          if (before.length + now.length > 0)
            e.details = { ...e.details, broad: true, broadActions: [...new Set([...before, ...now])].sort() };
        }
        return;
      }
      const edge: DiscoveredEdge = {
        kind: 'has_permission',
        from,
        to,
        actions: [...new Set(actions)].sort(),
        foundIn,
        ...(details && Object.keys(details).length > 0 ? { details: { ...details } } : {}),
      };
      edges.set(key, edge);
      batch.edges.push(edge);
    },
    count(what, n = 1) {
      if (n === 0) return;
      batch.counts[what] = (batch.counts[what] ?? 0) + n;
    },
    problem(foundIn, reason, severity = 'error') {
      batch.problems.push({ file: foundIn.file, path: foundIn.path, reason, severity });
    },
  };
}
