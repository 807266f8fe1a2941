/**
 * Who is calling a route that both operators and agents use: an API token
 * (`Authorization: Bearer kw_…`) or an agent's own JWT in `X-Keyward-Client-Assertion` (a
 * private_key_jwt client assertion, or a federated workload token). Such routes are `public` to
 * the API-token hook and call this instead.
 */
import type { FastifyRequest } from 'fastify';
import type { ApiTokenService } from '../auth/api-token-service.js';
import { type Permission, roleAllows } from '../auth/roles.js';
import { KeywardError } from '../errors.js';
import type { Caller } from '../oauth/introspection-service.js';
import type { WorkloadAuthenticator } from '../oauth/workload-credential.js';

export const ASSERTION_HEADER = 'x-keyward-client-assertion';

export interface CallerAuthDeps {
  tokens: ApiTokenService;
  authenticateWorkload: WorkloadAuthenticator;
  issuer: () => string;
}

export const headerOf = (request: FastifyRequest, name: string): string | undefined => {
  const v = request.headers[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
};

export async function authenticateCaller(
  deps: CallerAuthDeps,
  request: FastifyRequest,
  permission: Permission,
): Promise<Caller> {
  const assertion = headerOf(request, ASSERTION_HEADER);
  const authorization = request.headers.authorization;
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match?.[1])
      throw new KeywardError('unauthenticated', 'malformed Authorization header; expected Bearer');
    const principal = await deps.tokens.authenticate(match[1]);
    if (!roleAllows(principal.role, permission)) {
      throw new KeywardError('forbidden', `role ${principal.role} may not ${permission} here`);
    }
    request.principal = principal;
    return { kind: 'api', principal };
  }
  if (assertion) {
    const path = request.url.split('?')[0] ?? '';
    // The same audiences task creation accepts: an agent (or the SDK) may sign every assertion for
    // the token endpoint; assertions stay single-use whatever their audience.
    const issuer = deps.issuer();
    const identity = await deps.authenticateWorkload(assertion, [
      issuer,
      `${issuer}${path}`,
      `${issuer}/oauth2/token`,
    ]);
    return { kind: 'agent', identity };
  }
  throw new KeywardError(
    'unauthenticated',
    `send an API token (Authorization: Bearer) or the agent's client assertion (${ASSERTION_HEADER})`,
  );
}

export const callerId = (caller: Caller): string =>
  caller.kind === 'api' ? caller.principal.tokenId : caller.identity.id;
