/**
 * API tokens: creation (the secret is shown once), authentication of a presented secret, revocation
 * and the first-start bootstrap admin token. Only SHA-256 hashes of secrets are stored: the secrets
 * are 256-bit random, so a fast hash is enough (no dictionary to attack) and keeps auth cheap.
 *
 * Tokens found are kept in memory by hash for up to a minute, so a request is authenticated without
 * a query: revoking one drops them all here at once, and in every other process of a cluster or
 * replica on hearing 'api-tokens' (invalidate()); expiry is checked on every use.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { ApiToken, ApiTokenInput, CreatedApiToken, Page, PageRequest } from '@keyward/sdk';
import type { AuditRecorder } from '../audit/audit-recorder.js';
import { KeywardError, notFound, validationFailed } from '../errors.js';
import { newId } from '../ids.js';
import type { Store, StoreTx } from '../storage/storage-types.js';

const SECRET_PREFIX = 'kw_';
/** lastUsedAt is a hint, not an audit record: write it at most once a minute per token. */
const TOUCH_INTERVAL_MS = 60_000;
/** How long a found token is trusted without re-reading it (revocations invalidate at once). */
const CACHE_MS = 60_000;
const CACHE_MAX = 10_000;

export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

export interface Principal {
  tokenId: string;
  name: string;
  role: ApiToken['role'];
}

export interface ApiTokenServiceDeps {
  store: Store;
  audit: AuditRecorder;
  now: () => Date;
}

export function createApiTokenService({ store, audit, now }: ApiTokenServiceDeps) {
  const lastTouch = new Map<string, number>();
  const found = new Map<string, { token: ApiToken; at: number }>();
  /** Bumped by every invalidation: a read that straddles one is not cached. */
  let cacheGeneration = 0;

  async function lookup(hash: string, at: number): Promise<ApiToken | undefined> {
    const hit = found.get(hash);
    if (hit && at - hit.at < CACHE_MS) return hit.token;
    // Read before cleared: a revocation landing meanwhile clears the cache after this read.
    const generation = cacheGeneration;
    const token = await store.apiTokens.getByHash(hash);
    if (token && !token.revokedAt && generation === cacheGeneration) {
      if (found.size >= CACHE_MAX) found.clear();
      found.set(hash, { token, at });
    }
    return token;
  }

  function invalidate(): void {
    cacheGeneration++;
    found.clear();
  }

  /** `alsoInTx` runs in the creating transaction (rotation records its step with the new token). */
  async function create(
    actor: string,
    input: ApiTokenInput,
    options: { alsoInTx?: (tx: StoreTx, token: ApiToken) => Promise<void> } = {},
  ): Promise<CreatedApiToken> {
    const at = now();
    if (input.expiresAt != null && Date.parse(input.expiresAt) <= at.getTime()) {
      throw validationFailed('expiresAt must be in the future', [
        { path: '/expiresAt', message: 'must be in the future' },
      ]);
    }
    const secret = SECRET_PREFIX + randomBytes(32).toString('base64url');
    const token: ApiToken = {
      id: newId('apiToken'),
      name: input.name,
      role: input.role,
      prefix: secret.slice(0, 10),
      createdAt: at.toISOString(),
      expiresAt: input.expiresAt ?? null,
      lastUsedAt: null,
      revokedAt: null,
    };
    await store.transaction(async (tx) => {
      await tx.apiTokens.create(token, hashSecret(secret));
      await tx.audit.append(
        audit.event(actor, 'api_token.created', token.id, { name: token.name, role: token.role }),
      );
      await options.alsoInTx?.(tx, token);
    });
    return { token, secret };
  }

  /** Resolves a presented bearer secret; throws unauthenticated for anything but a live token. */
  async function authenticate(secret: string): Promise<Principal> {
    if (!secret.startsWith(SECRET_PREFIX) || secret.length > 200) {
      throw new KeywardError('unauthenticated', 'invalid API token');
    }
    const hash = hashSecret(secret);
    const at = now();
    const token = await lookup(hash, at.getTime());
    // Looked up by hash of the whole secret: response timing says nothing about the secret itself.
    if (!token) throw new KeywardError('unauthenticated', 'invalid API token');
    if (token.revokedAt) throw new KeywardError('unauthenticated', 'API token has been revoked');
    if (token.expiresAt && Date.parse(token.expiresAt) <= at.getTime()) {
      throw new KeywardError('unauthenticated', 'API token has expired');
    }
    const last = lastTouch.get(token.id) ?? 0;
    if (at.getTime() - last > TOUCH_INTERVAL_MS) {
      lastTouch.set(token.id, at.getTime());
      await store.apiTokens.touch(token.id, at.toISOString());
    }
    return { tokenId: token.id, name: token.name, role: token.role };
  }

  async function revoke(actor: string, id: string): Promise<ApiToken> {
    try {
      return await store.transaction(async (tx) => {
        const token = await tx.apiTokens.revoke(id, now().toISOString());
        if (!token) throw notFound('API token', id);
        await tx.audit.append(audit.event(actor, 'api_token.revoked', id, { name: token.name }));
        return token;
      });
    } finally {
      invalidate();
    }
  }

  function list(page: PageRequest): Promise<Page<ApiToken>> {
    return store.apiTokens.list(page);
  }

  /** On first start (no token at all) mints an admin token; returns its secret, or null if tokens exist. */
  async function bootstrap(): Promise<string | null> {
    if ((await store.apiTokens.count()) > 0) return null;
    const created = await create('system', { name: 'bootstrap-admin', role: 'admin' });
    return created.secret;
  }

  return {
    create,
    authenticate,
    revoke,
    list,
    bootstrap,
    /** Forgets every token found so far (another process revoked one). */
    invalidate,
  };
}

export type ApiTokenService = ReturnType<typeof createApiTokenService>;
