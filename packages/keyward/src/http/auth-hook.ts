/**
 * Bearer-token authentication and role checks for every route. Deny by default: a route is open
 * only when it says `config.public`, and a route that names no permission needs `admin`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiTokenService, Principal } from '../auth/api-token-service.js';
import { type Permission, roleAllows } from '../auth/roles.js';
import { KeywardError } from '../errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    public?: boolean;
    permission?: Permission;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export function installAuth(app: FastifyInstance, tokens: ApiTokenService): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    if (config.public) return;
    const header = request.headers.authorization;
    if (!header) {
      throw new KeywardError('unauthenticated', 'send an API token: Authorization: Bearer <token>');
    }
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1])
      throw new KeywardError('unauthenticated', 'malformed Authorization header; expected Bearer');
    request.principal = await tokens.authenticate(match[1]);
    const needed = config.permission ?? 'admin';
    if (!roleAllows(request.principal.role, needed)) {
      throw new KeywardError('forbidden', `role ${request.principal.role} may not ${needed} here`);
    }
  });
}

/** The audit actor for a request: the API token that made it. */
export function actorOf(request: FastifyRequest): string {
  if (!request.principal) throw new TypeError('actorOf called on an unauthenticated route');
  return request.principal.tokenId;
}
