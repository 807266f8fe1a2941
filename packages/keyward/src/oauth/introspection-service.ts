/**
 * Token introspection (RFC 7662) and revocation (RFC 7009) of Keyward access tokens.
 *
 * Callers: a resource server or operator with an API token (any role may introspect; write or
 * admin may revoke any token), or an agent by private_key_jwt (it may introspect and revoke only
 * tokens it holds: it is their client, their sub, or in their act chain). Anything not provably
 * live — bad signature, expired, revoked, task ended, not the caller's — is `{active: false}`.
 */
import type { Identity } from '@keyward/sdk';
import type { Principal } from '../auth/api-token-service.js';
import { roleAllows } from '../auth/roles.js';
import type { RevocationService } from '../revocation/revocation-service.js';
import type { AccessTokenClaims, AccessTokenVerifier } from './access-token-verifier.js';
import { chainActors } from './delegation-chain.js';
import { oauthError } from './oauth-error.js';

export type Caller = { kind: 'api'; principal: Principal } | { kind: 'agent'; identity: Identity };

export interface IntrospectionDeps {
  accessTokens: AccessTokenVerifier;
  revocation: Pick<RevocationService, 'revokeToken'>;
}

const holds = (caller: Caller, c: AccessTokenClaims): boolean =>
  caller.kind === 'api' ||
  c.client_id === caller.identity.id ||
  c.sub === caller.identity.id ||
  chainActors(c.act).includes(caller.identity.id);

export function createIntrospectionService(deps: IntrospectionDeps) {
  async function introspect(caller: Caller, token: string): Promise<Record<string, unknown>> {
    const verified = await deps.accessTokens.verifyActive(token);
    if (!verified.ok || !holds(caller, verified.claims)) return { active: false };
    const c = verified.claims;
    return {
      active: true,
      token_type: 'Bearer',
      iss: c.iss,
      sub: c.sub,
      aud: c.aud,
      exp: c.exp,
      iat: c.iat,
      jti: c.jti,
      client_id: c.client_id,
      scope: c.scope,
      task_id: c.task_id,
      env: c.env,
      sponsor: c.sponsor,
      ...(c.act ? { act: c.act } : {}),
    };
  }

  /** RFC 7009: an invalid or unknown token is not an error (200, nothing to do). */
  async function revoke(caller: Caller, token: string): Promise<void> {
    const verified = await deps.accessTokens.verify(token);
    if (!verified.ok) return;
    const c = verified.claims;
    if (
      caller.kind === 'api' ? !roleAllows(caller.principal.role, 'write') : c.client_id !== caller.identity.id
    ) {
      throw oauthError('unauthorized_client', 'this client may not revoke that token');
    }
    const actor = caller.kind === 'api' ? caller.principal.tokenId : caller.identity.id;
    await deps.revocation.revokeToken(
      actor,
      {
        jti: c.jti,
        taskId: c.task_id,
        subject: c.sub,
        clientId: c.client_id,
        issuedAt: new Date(c.iat * 1000).toISOString(),
        expiresAt: new Date(c.exp * 1000).toISOString(),
        revokedAt: null,
      },
      'revoked by its holder (RFC 7009)',
    );
  }

  return { introspect, revoke };
}

export type IntrospectionService = ReturnType<typeof createIntrospectionService>;
