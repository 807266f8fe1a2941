/**
 * Trusted external OIDC issuers (Kubernetes, CI systems, SPIFFE …): create, read, update, delete,
 * each change committed with its audit event. Validation: issuer and jwksUri are https URLs (http
 * only on loopback, for local issuers and tests); a static JWKS holds public keys only; every rule
 * has exactly one subject test and exactly one target, and the target exists.
 */
import type { Page, PageRequest } from '@keyward/sdk';
import type { AuditRecorder } from '../audit/audit-recorder.js';
import { KeywardError, notFound, validationFailed } from '../errors.js';
import { newId } from '../ids.js';
import type {
  FederationIssuer,
  FederationRule,
  PublicJwk,
  Store,
  StoreTx,
} from '../storage/storage-types.js';
import { parsePublicJwk } from './public-jwk.js';
import { subjectPattern } from './subject-match.js';

/** Algorithms a trusted issuer may be configured to use. */
export const FEDERATION_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA', 'Ed25519'];
export const DEFAULT_FEDERATION_ALGS = ['RS256', 'ES256', 'PS256', 'EdDSA'];

export interface FederationIssuerInput {
  issuer: string;
  jwksUri?: string | null | undefined;
  jwks?: { keys: unknown[] } | null | undefined;
  audiences: string[];
  algorithms?: string[] | undefined;
  rules: FederationRule[];
}
export type FederationIssuerPatch = Partial<FederationIssuerInput> & { version: number };

export interface FederationIssuerServiceDeps {
  store: Store;
  audit: AuditRecorder;
  now: () => Date;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

function checkUrl(value: string, path: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw validationFailed(`${path.slice(1)} is not a URL`, [{ path, message: 'not a URL' }]);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    throw validationFailed(`${path.slice(1)} must be https (http only on loopback)`, [
      { path, message: 'must be https' },
    ]);
  }
  if (url.search || url.hash)
    throw validationFailed(`${path.slice(1)} must not have a query or fragment`, [
      { path, message: 'no query or fragment' },
    ]);
  return value;
}

async function checkRules(tx: StoreTx, rules: FederationRule[]): Promise<void> {
  for (const [i, rule] of rules.entries()) {
    const path = `/rules/${i}`;
    if ((rule.subject === undefined) === (rule.subjectRegex === undefined)) {
      throw validationFailed('each rule needs exactly one of subject or subjectRegex', [
        { path, message: 'one subject test' },
      ]);
    }
    try {
      subjectPattern(rule);
    } catch {
      throw validationFailed('subjectRegex is not a valid regular expression', [
        { path: `${path}/subjectRegex`, message: 'invalid' },
      ]);
    }
    const targets = [rule.identityId, rule.humanId, rule.humanEmailClaim].filter((t) => t !== undefined);
    if (targets.length !== 1) {
      throw validationFailed('each rule needs exactly one of identityId, humanId or humanEmailClaim', [
        { path, message: 'one target' },
      ]);
    }
    if (rule.identityId !== undefined && !(await tx.identities.get(rule.identityId))) {
      throw new KeywardError('invalid_reference', `rule ${i}: identity ${rule.identityId} does not exist`);
    }
    if (rule.humanId !== undefined && !(await tx.humans.get(rule.humanId))) {
      throw new KeywardError('invalid_reference', `rule ${i}: human ${rule.humanId} does not exist`);
    }
  }
}

async function normalize(
  input: FederationIssuerInput,
): Promise<Omit<FederationIssuer, 'id' | 'createdAt' | 'updatedAt' | 'version'>> {
  const issuer = checkUrl(input.issuer, '/issuer');
  const jwksUri = input.jwksUri ? checkUrl(input.jwksUri, '/jwksUri') : null;
  if (jwksUri && input.jwks)
    throw validationFailed('give jwksUri or jwks, not both', [
      { path: '/jwks', message: 'not with jwksUri' },
    ]);
  let jwks: { keys: PublicJwk[] } | null = null;
  if (input.jwks)
    jwks = { keys: await Promise.all(input.jwks.keys.map(async (k) => (await parsePublicJwk(k)).jwk)) };
  const algorithms = input.algorithms ?? DEFAULT_FEDERATION_ALGS;
  const bad = algorithms.filter((a) => !FEDERATION_ALGS.includes(a));
  if (bad.length > 0)
    throw validationFailed(`algorithms not accepted: ${bad.join(', ')}`, [
      { path: '/algorithms', message: `one of ${FEDERATION_ALGS.join(', ')}` },
    ]);
  return { issuer, jwksUri, jwks, audiences: input.audiences, algorithms, rules: input.rules };
}

export function createFederationIssuerService({ store, audit, now }: FederationIssuerServiceDeps) {
  async function create(actor: string, input: FederationIssuerInput): Promise<FederationIssuer> {
    const iso = now().toISOString();
    const record: FederationIssuer = {
      id: newId('federationIssuer'),
      ...(await normalize(input)),
      createdAt: iso,
      updatedAt: iso,
      version: 1,
    };
    await store.transaction(async (tx) => {
      await checkRules(tx, record.rules);
      await tx.federationIssuers.create(record);
      await tx.audit.append(
        audit.event(actor, 'federation_issuer.created', record.id, {
          issuer: record.issuer,
          rules: record.rules.length,
        }),
      );
    });
    return record;
  }

  async function get(id: string): Promise<FederationIssuer> {
    const found = await store.federationIssuers.get(id);
    if (!found) throw notFound('federation issuer', id);
    return found;
  }

  function list(page: PageRequest): Promise<Page<FederationIssuer>> {
    return store.federationIssuers.list(page);
  }

  async function update(actor: string, id: string, patch: FederationIssuerPatch): Promise<FederationIssuer> {
    const current = await get(id);
    const { version, ...changes } = patch;
    const merged = await normalize({ ...current, ...changes });
    const next: FederationIssuer = {
      ...current,
      ...merged,
      updatedAt: now().toISOString(),
      version: version + 1,
    };
    await store.transaction(async (tx) => {
      await checkRules(tx, next.rules);
      await tx.federationIssuers.update(next, version);
      await tx.audit.append(
        audit.event(actor, 'federation_issuer.updated', id, {
          issuer: next.issuer,
          changed: Object.keys(changes),
        }),
      );
    });
    return next;
  }

  async function remove(actor: string, id: string): Promise<FederationIssuer> {
    return store.transaction(async (tx) => {
      const removed = await tx.federationIssuers.delete(id);
      if (!removed) throw notFound('federation issuer', id);
      await tx.audit.append(audit.event(actor, 'federation_issuer.deleted', id, { issuer: removed.issuer }));
      return removed;
    });
  }

  return { create, get, list, update, remove };
}

export type FederationIssuerService = ReturnType<typeof createFederationIssuerService>;
